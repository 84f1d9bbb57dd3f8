/* The per-lookup state stages share. */
#include "stage.h"

#include "clock.h"
#include "workspace.h"

#include <string.h>
#include <sys/socket.h>

void mxf_query_init(struct mxf_query *q, const char *name, int family,
		    const struct mxf_config *cfg, const struct mxf_trace *trace,
		    struct mxf_workspace *ws)
{
	/* Field by field, not a memset: the resolver is large, and clearing
	 * it cost more than a fifth of an lmhosts lookup.  It is set up by
	 * mxf_dns_open. */
	q->name = name;
	q->ws = ws;
	q->family = family;
	q->cfg = cfg;
	q->trace = trace;
	q->dns_opened = false;
	q->dns_done = false;
	q->stop = false;
	q->mx_final = false;
	q->check_name = true;
	q->sys_errno = 0;
	q->walked = false;
	q->walk_as_written = false;
	q->walk_outcome = MXF_NO_NAME;
	q->walk = NULL;
	q->found_at = NULL;
	q->netbios_end = 0;
}

int64_t mxf_query_netbios_end(struct mxf_query *q)
{
	if (q->netbios_end == 0)
		q->netbios_end = mxf_now_ms() + MXF_NETBIOS_MS;
	return q->netbios_end;
}

void mxf_query_finish(struct mxf_query *q)
{
	if (q->dns_opened)
		mxf_dns_close(&q->dns);
	q->dns_opened = false;
	q->walk = NULL;
}

bool mxf_query_name_ok(struct mxf_query *q)
{
	if (!q->check_name || mxf_dns_name_ok(q->name))
		return true;
	mxf_trace(q->trace, "%s fails res_hnok: not sent to DNS (as nss_dns)", q->name);
	q->dns_done = true;
	return false;
}

void mxf_query_trace_name(const struct mxf_query *q, const char *before,
			  const unsigned char *name, const char *after)
{
	char text[NS_MAXDNAME];

	if (q->trace != NULL && mxf_dnsmsg_text(name, text) == 0)
		mxf_trace(q->trace, "%s%s%s", before, text, after);
}

static enum mxf_outcome walk(struct mxf_query *q)
{
	struct mxf_dns *dns;
	int families[2];
	enum mxf_outcome o;

	if (!mxf_query_name_ok(q))
		return MXF_NO_NAME;
	o = mxf_query_dns(q, &dns);
	if (o != MXF_FOUND)
		return o;
	q->walk = dns->kept;
	mxf_query_families(q, families);
	o = mxf_dns_query_into(dns, q->name, families[0] == AF_INET ? ns_t_a : ns_t_aaaa,
			       !q->walk_as_written, q->walk);
	if (o == MXF_FOUND) {
		q->found_at = q->walk->qname;
		mxf_query_trace_name(q, "search reached ", q->found_at, "");
	}
	if (o == MXF_NO_NAME || mxf_outcome_is_temporary(o))
		q->dns_done = true; /* no name on the list, or DNS is down */
	return o;
}

enum mxf_outcome mxf_query_walk(struct mxf_query *q, const struct mxf_dnsmsg **msg)
{
	if (!q->walked) {
		q->walk_outcome = walk(q);
		q->walked = true;
	}
	*msg = q->walk;
	return q->walk_outcome;
}

enum mxf_outcome mxf_query_dns(struct mxf_query *q, struct mxf_dns **dns)
{
	if (!q->dns_opened) {
		enum mxf_outcome o = mxf_dns_open(&q->dns, q->cfg, &q->ws->dns);
		q->dns_opened = true;
		q->dns.trace = q->trace;
		if (o != MXF_FOUND) {
			q->dns_done = true;
			return o;
		}
	}
	if (!q->dns.ready)
		return MXF_NO_RESOURCES;
	*dns = &q->dns;
	return MXF_FOUND;
}

/* IPv4 first for AF_UNSPEC, as nss_dns lists A before AAAA; getaddrinfo
 * re-sorts by RFC 6724 anyway. */
unsigned mxf_query_families(const struct mxf_query *q, int families[2])
{
	if (q->family != AF_UNSPEC) {
		families[0] = q->family;
		return 1;
	}
	families[0] = AF_INET;
	families[1] = AF_INET6;
	return 2;
}

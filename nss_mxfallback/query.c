/* The per-lookup state stages share. */
#include "stage.h"

#include <sys/socket.h>

void mxf_query_init(struct mxf_query *q, const char *name, int family,
		    const struct mxf_config *cfg, const struct mxf_trace *trace)
{
	/* Field by field, not a memset: found_at and the resolver are 1.6 KB,
	 * and clearing them cost more than a fifth of an lmhosts lookup.  The
	 * resolver is set up by mxf_dns_open, found_at by whoever finds. */
	q->name = name;
	q->family = family;
	q->cfg = cfg;
	q->trace = trace;
	q->dns_opened = false;
	q->dns_done = false;
	q->stop = false;
	q->mx_final = false;
	q->found_at[0] = '\0';
}

enum mxf_outcome mxf_query_dns(struct mxf_query *q, struct mxf_dns **dns)
{
	if (!q->dns_opened) {
		enum mxf_outcome o = mxf_dns_open(&q->dns, q->cfg);
		q->dns_opened = true;
		q->dns.trace = q->trace;
		if (o != MXF_FOUND) {
			q->dns_done = true;
			return o;
		}
	}
	if (!q->dns.ready || q->dns.buf == NULL)
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

/* Stage mx: the addresses of the name's mail exchangers, best first, as
 * Exchange 5.0's Internet Mail Service resolved a mail domain. */
#include "mxset.h"
#include "stage.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>

struct mx_work {
	struct mxf_mx mx[MXF_MAX_MX_RECORDS];
	unsigned order[MXF_MAX_MX_RECORDS];
	/* The MX reply's index: it keeps what it needs, so the exchangers'
	 * queries can reuse the buffer the reply came in. */
	struct mxf_dnsmsg msg;
	char owner[NS_MAXDNAME];
	int owner_hops; /* CNAMEs from the asked name to the owner of the MX */
};

static uint32_t shuffle_seed(void)
{
	uint32_t seed;
	struct timespec ts;

	if (getrandom(&seed, sizeof(seed), GRND_NONBLOCK) == sizeof(seed))
		return seed;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint32_t)ts.tv_nsec ^ (uint32_t)ts.tv_sec;
}

/* Adds one exchanger's addresses: from the additional section when the
 * reply carries them for a family, else by asking for them. */
static enum mxf_outcome exchanger_addresses(struct mxf_query *q, struct mx_work *w,
					    const char *host, struct mxf_answer *ans)
{
	int families[2];
	unsigned n = mxf_query_families(q, families);
	enum mxf_outcome worst = MXF_NO_DATA;
	unsigned before = ans->n_addrs;

	for (unsigned i = 0; i < n; i++) {
		unsigned glue = mxf_dnsmsg_addresses(&w->msg, ns_s_ar, host, families[i], ans);
		if (glue > 0) {
			mxf_trace(q->trace, "%s: %u %s from the additional section", host, glue,
				  families[i] == AF_INET ? "A" : "AAAA");
			continue;
		}
		enum mxf_outcome o = mxf_resolve_addresses(q, host, false, families[i], false, ans);
		mxf_trace(q->trace, "%s: no glue, asked %s: %s", host,
			  families[i] == AF_INET ? "A" : "AAAA", mxf_outcome_name(o));
		if (o != MXF_FOUND)
			worst = mxf_outcome_heavier(worst, o);
	}
	return ans->n_addrs > before ? MXF_FOUND : worst;
}

/* Names the answer for the best exchanger that gave addresses; the asked
 * domain (and any CNAME on the way to it) become aliases. */
static void name_answer(struct mx_work *w, const char *exchanger, struct mxf_answer *ans)
{
	uint32_t ttl = MXF_TTL_NONE;
	char owner[NS_MAXDNAME];

	mxf_answer_set_name(ans, exchanger);
	if (w->owner_hops > 0)
		mxf_dnsmsg_follow_cnames(&w->msg, w->msg.qname, owner, ans, &ttl);
	mxf_answer_add_alias(ans, w->owner);
	mxf_answer_lower_ttl(ans, ttl);
}

static enum mxf_outcome use_exchangers(struct mxf_query *q, struct mx_work *w, unsigned n,
				       struct mxf_answer *ans)
{
	unsigned chosen = mxf_mx_order(w->mx, n, q->cfg->mx_targets_all, q->cfg->mx_max_hosts,
				       shuffle_seed(), w->order);
	enum mxf_outcome worst = MXF_NO_DATA;
	const char *best = NULL;

	for (unsigned i = 0; i < n; i++)
		mxf_trace(q->trace, "MX %u %s", w->mx[i].preference,
			  w->mx[i].host[0] != '\0' ? w->mx[i].host : ".");
	mxf_trace(q->trace, "using %u exchanger(s) (mx_targets %s, mx_max_hosts %u)", chosen,
		  q->cfg->mx_targets_all ? "all" : "best", q->cfg->mx_max_hosts);
	mxf_dns_begin_exchangers(&q->dns);
	for (unsigned i = 0; i < chosen; i++) {
		const struct mxf_mx *mx = &w->mx[w->order[i]];
		enum mxf_outcome o = exchanger_addresses(q, w, mx->host, ans);
		if (o != MXF_FOUND) {
			worst = mxf_outcome_heavier(worst, o);
		} else {
			mxf_answer_lower_ttl(ans, mx->ttl);
			if (best == NULL)
				best = mx->host;
		}
		if (mxf_dns_stop_exchangers(&q->dns, o))
			break; /* the exchangers' time is one query's (dns.h) */
	}
	if (best != NULL) {
		name_answer(w, best, ans);
		return MXF_FOUND;
	}
	/* A temporary failure must not fall back to the domain's own address:
	 * the mail would go to the wrong host.  Otherwise IMS's rule holds:
	 * exchangers without addresses send us on to the A records (RFC 5321
	 * would call this an error; README says so). */
	if (mxf_outcome_is_temporary(worst))
		q->dns_done = true;
	else
		mxf_trace(q->trace, "no exchanger has an address: on to the a stage (as IMS did)");
	return worst;
}

static enum mxf_outcome read_mx_reply(struct mxf_query *q, struct mx_work *w,
				      struct mxf_answer *ans)
{
	uint32_t ttl = MXF_TTL_NONE;
	unsigned n;

	w->owner_hops = mxf_dnsmsg_follow_cnames(&w->msg, w->msg.qname, w->owner, NULL, &ttl);
	if (w->owner_hops < 0)
		return MXF_ALIAS_ONLY; /* a CNAME loop */
	n = mxf_dnsmsg_mx(&w->msg, w->owner, w->mx, MXF_MAX_MX_RECORDS);
	if (n == 0) {
		mxf_trace(q->trace, "no MX for %s: the implicit MX is the name itself", w->owner);
		return MXF_NO_DATA;
	}
	if (mxf_mx_is_null(w->mx, n)) {
		mxf_trace(q->trace, "null MX (RFC 7505): no mail, no fallback");
		q->stop = true; /* RFC 7505: no mail, and no fallback to A */
		return MXF_NO_DATA;
	}
	return use_exchangers(q, w, n, ans);
}

enum mxf_outcome mxf_stage_mx(struct mxf_query *q, struct mxf_answer *ans)
{
	const struct mxf_dnsmsg *walk;
	struct mxf_dns *dns;
	struct mx_work *w;
	enum mxf_outcome o;

	if (!mxf_config_mx_allowed(q->cfg, program_invocation_short_name)) {
		mxf_trace(q->trace, "skipped: %s is not in mx_programs", program_invocation_short_name);
		return MXF_NO_NAME;
	}
	/* The MX is read at the name the A search reaches (dns.h). */
	o = mxf_query_walk(q, &walk);
	if (o != MXF_FOUND && o != MXF_NO_DATA)
		return o;
	o = mxf_query_dns(q, &dns);
	if (o != MXF_FOUND)
		return o;
	/* Not calloc: the work area is large and every field read is written. */
	w = malloc(sizeof(*w));
	if (w == NULL)
		return MXF_NO_RESOURCES;
	if (q->found_at[0] != '\0')
		o = mxf_dns_query_into(dns, q->found_at, ns_t_mx, false, &w->msg);
	else /* the name exists without an address: a mail-only domain */
		o = mxf_dns_query_into(dns, q->name, ns_t_mx, true, &w->msg);
	if (o == MXF_NO_NAME || mxf_outcome_is_temporary(o))
		q->dns_done = true; /* RFC 5321 §5.1: no A fallback for these */
	if (o == MXF_FOUND)
		o = read_mx_reply(q, w, ans);
	free(w);
	return o;
}

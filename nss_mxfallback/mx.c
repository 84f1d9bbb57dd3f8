/* Stage mx: the addresses of the name's mail exchangers, best first, as
 * Exchange 5.0's Internet Mail Service resolved a mail domain.  Which
 * exchangers are asked and what the answer is are mxpolicy.h's rules. */
#include "mxpolicy.h"
#include "stage.h"
#include "workspace.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>

static uint32_t shuffle_seed(void)
{
	uint32_t seed;
	struct timespec ts;

	if (getrandom(&seed, sizeof(seed), GRND_NONBLOCK) == sizeof(seed))
		return seed;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint32_t)ts.tv_nsec ^ (uint32_t)ts.tv_sec;
}

/* libresolv reports a SERVFAIL or REFUSED reply like a server that never
 * answered, but leaves the reply in the buffer (dns.c's try_candidate reads
 * it too).  The policy stops asking after a timeout, not after an answer:
 * a server that said SERVFAIL for one exchanger may know the next. */
static void clear_reply(struct mxf_query *q)
{
	if (q->dns_opened)
		memset(q->dns.buf, 0, HFIXEDSZ);
}

static enum mxf_outcome server_answered(const struct mxf_query *q, enum mxf_outcome o)
{
	if (o == MXF_UNREACHABLE && (q->dns.buf[2] & 0x80) != 0)
		return MXF_SERVER_FAILED;
	return o;
}

/* Asks for one family of HOST's addresses: from the additional
 * section when the reply carries them, else from DNS.  SCRATCH collects
 * them for the policy. */
static enum mxf_outcome family_addresses(struct mxf_query *q, struct mxf_mx_room *w,
					 const struct mxf_mx_exchanger *ex, int family)
{
	const char *type = family == AF_INET ? "A" : "AAAA";
	const char *host = ex->host;
	enum mxf_outcome o;
	unsigned glue;

	mxf_answer_init(&w->scratch);
	glue = mxf_dnsmsg_addresses(&w->msg, ns_s_ar, ex->host_wire, family, &w->scratch);
	if (glue > 0) {
		mxf_trace(q->trace, "%s: %u %s from the additional section", host, glue, type);
		return MXF_FOUND;
	}
	clear_reply(q);
	o = server_answered(q, mxf_resolve_addresses(q, host, false, family, false, &w->scratch));
	mxf_trace(q->trace, "%s: no glue, asked %s: %s", host, type, mxf_outcome_name(o));
	return o;
}

static void resolve_exchanger(struct mxf_query *q, struct mxf_mx_room *w, unsigned i)
{
	const struct mxf_mx_exchanger *ex = &w->policy.ex[i];
	int families[2];
	unsigned n = mxf_query_families(q, families);
	enum mxf_outcome o = MXF_NO_DATA;

	for (unsigned f = 0; f < n; f++) {
		/* No such name for one family means none for the other. */
		if (o != MXF_NO_NAME)
			o = family_addresses(q, w, ex, families[f]);
		else
			mxf_answer_init(&w->scratch);
		mxf_mx_policy_record(&w->policy, i, families[f], o, w->scratch.addrs,
				     w->scratch.n_addrs, w->scratch.ttl);
	}
}

/* Names the answer for the best exchanger that gave addresses; the asked
 * domain (and any CNAME on the way to it) become aliases. */
static void name_answer(struct mxf_mx_room *w, const struct mxf_mx_decision *d,
			struct mxf_answer *ans)
{
	uint32_t ttl = MXF_TTL_NONE;
	const unsigned char *owner;
	char text[NS_MAXDNAME];

	mxf_mx_policy_answer(&w->policy, d, ans);
	if (w->owner_hops > 0)
		mxf_dnsmsg_follow_cnames(&w->msg, w->msg.qname, &owner, ans, &ttl);
	if (mxf_dnsmsg_text(w->owner, text) == 0)
		mxf_answer_add_alias(ans, text);
	mxf_answer_lower_ttl(ans, ttl);
}

static void trace_set(struct mxf_query *q, const struct mxf_mx_room *w, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		mxf_trace(q->trace, "MX %u %s", w->mx[i].preference,
			  w->mx[i].host[0] != '\0' ? w->mx[i].host : ".");
	mxf_trace(q->trace, "mx_targets %s, mx_max_hosts %u, mx_fallback %s",
		  q->cfg->mx_targets_all ? "all" : "best", q->cfg->mx_max_hosts,
		  q->cfg->mx_fallback_a ? "a" : "none");
}

/* Resolves exchangers as mxpolicy.h's rules ask, then answers as they say. */
static enum mxf_outcome use_exchangers(struct mxf_query *q, struct mxf_mx_room *w, unsigned n,
				       struct mxf_answer *ans)
{
	struct mxf_mx_settings set = { .all = q->cfg->mx_targets_all,
				       .max_hosts = q->cfg->mx_max_hosts,
				       .fallback_a = q->cfg->mx_fallback_a,
				       .family = q->family };
	struct mxf_mx_decision d;

	trace_set(q, w, n);
	mxf_mx_policy_init(&w->policy, w->mx, n, &set, shuffle_seed());
	/* All exchangers together get one query's time (dns.h); a query
	 * past it is not sent and reads as a timeout, which ends the walk. */
	mxf_dns_begin_exchangers(&q->dns);
	while ((d = mxf_mx_policy_decide(&w->policy)).verdict == MXF_MXV_RESOLVE)
		resolve_exchanger(q, w, d.exchanger);
	mxf_dns_end_exchangers(&q->dns);
	mxf_trace(q->trace, "rule: %s", d.rule);
	switch (d.verdict) {
	case MXF_MXV_ADDRESSES:
		name_answer(w, &d, ans);
		return MXF_FOUND;
	case MXF_MXV_NULL_MX:
	case MXF_MXV_NOT_FOUND:
		q->stop = true; /* no mail, and no fallback to the domain's address */
		q->mx_final = true;
		return MXF_NO_DATA;
	case MXF_MXV_FAILED:
		q->dns_done = true; /* never the domain's own address */
		q->mx_final = true;
		return d.outcome;
	case MXF_MXV_FALLBACK_A:
	case MXF_MXV_RESOLVE:
		break;
	}
	return MXF_NO_DATA;
}

static enum mxf_outcome read_mx_reply(struct mxf_query *q, struct mxf_mx_room *w,
				      struct mxf_answer *ans)
{
	uint32_t ttl = MXF_TTL_NONE;
	unsigned n;

	w->owner_hops = mxf_dnsmsg_follow_cnames(&w->msg, w->msg.qname, &w->owner, NULL, &ttl);
	if (w->owner_hops < 0)
		return MXF_ALIAS_ONLY; /* a CNAME loop */
	n = mxf_dnsmsg_mx(&w->msg, w->owner, w->mx, MXF_MAX_MX_RECORDS, w->hosts, sizeof(w->hosts));
	if (n == 0) {
		mxf_query_trace_name(q, "no MX for ", w->owner, ": the implicit MX is the name itself");
		return MXF_NO_DATA;
	}
	return use_exchangers(q, w, n, ans);
}

/* Outcomes after which the domain may have MX records we could not read. */
static bool hides_the_mx(enum mxf_outcome o)
{
	return o == MXF_MALFORMED || o == MXF_SERVER_FAILED || o == MXF_UNREACHABLE ||
	       o == MXF_NO_SERVERS;
}

/* Whether res_search asks NAME as written before the names of the search
 * list (resolv/res_query.c): a relative name with ndots dots or more, with
 * RES_DNSRCH on and a search list to go on to.  dnsrch[0] is read only to
 * know whether the list is empty: glibc fills dnsrch from the first names
 * of resolv.conf's list (a program's own dnsrch is what res_search walks
 * then), never walked here. */
static bool asked_as_written_first(const struct mxf_query *q)
{
	size_t len = strlen(q->name);
	int dots = 0;

	if (len == 0 || q->name[len - 1] == '.' || (q->dns.res->options & RES_DNSRCH) == 0 ||
	    q->dns.res->dnsrch[0] == NULL)
		return false;
	for (const char *p = q->name; *p != '\0'; p++)
		dots += *p == '.';
	return dots >= q->dns.res->ndots;
}

/* The MX walk (dns.h).  A dotted name res_search would ask as written
 * first is asked so alone first: when it exists (MX records, or none: the
 * implicit MX), the walk ends there, where nss_dns's A walk ends for a name
 * with addresses, and no name of the search list is asked for its MX.  Its
 * implicit MX is then itself as written: the a stage asks its addresses
 * there, never those of a search-list name whose MX was not asked.  Any
 * other answer (NXDOMAIN, SERVFAIL, a timeout) is what res_search goes on
 * from, so it walks as before, that name again included.  (A single label
 * is left to res_search: HOSTALIASES comes first there.) */
static enum mxf_outcome ask_mx(struct mxf_query *q, struct mxf_dns *dns, struct mxf_mx_room *w)
{
	if (asked_as_written_first(q) && strchr(q->name, '.') != NULL) {
		enum mxf_outcome o = mxf_dns_query_into(dns, q->name, ns_t_mx, false, &w->msg);
		if (o == MXF_NO_DATA) {
			mxf_trace(q->trace, "%s exists without MX: the walk ends here, and the a stage "
					    "asks it as written", q->name);
			q->walk_as_written = true;
		}
		if (o == MXF_FOUND || o == MXF_NO_DATA || o == MXF_MALFORMED ||
		    o == MXF_NO_SERVERS || o == MXF_NO_RESOURCES)
			return o;
	}
	return mxf_dns_query_into(dns, q->name, ns_t_mx, true, &w->msg);
}

/* What the MX walk's failure O means for the rest of the lookup (dns.h):
 * no such name anywhere on the list, or an MX set we could not read, is
 * final, with no address query (RFC 5321 §5.1, issue 12); NODATA is the
 * implicit MX, which the a stage resolves with its own search as nss_dns
 * does. */
static void after_mx_walk(struct mxf_query *q, enum mxf_outcome o)
{
	/* glibc's res_search reports the NXDOMAIN of a name asked as written
	 * first over a NODATA of a later name of the search list (the saved
	 * h_errno wins): its "no such name" may hide a name that exists
	 * without MX records, whose implicit MX the a stage finds with its
	 * own search, as nss_dns does. */
	if (o == MXF_NO_NAME && asked_as_written_first(q)) {
		mxf_trace(q->trace, "no MX as written nor on the search list; the a stage searches "
				    "(res_search's NXDOMAIN may hide a name without MX)");
		return;
	}
	if (o == MXF_NO_NAME || hides_the_mx(o) || o == MXF_NO_RESOURCES)
		q->dns_done = true;
	if (o == MXF_NO_NAME || hides_the_mx(o))
		q->mx_final = true;
	if (o == MXF_NO_DATA)
		mxf_trace(q->trace, "no MX on the search list: the implicit MX is the name itself");
}

enum mxf_outcome mxf_stage_mx(struct mxf_query *q, struct mxf_answer *ans)
{
	struct mxf_dns *dns;
	struct mxf_mx_room *w;
	enum mxf_outcome o;

	if (!mxf_config_mx_allowed(q->cfg, program_invocation_short_name)) {
		mxf_trace(q->trace, "skipped: %s is not in mx_programs", program_invocation_short_name);
		return MXF_NO_NAME;
	}
	if (!mxf_query_name_ok(q))
		return MXF_NO_NAME;
	o = mxf_query_dns(q, &dns);
	if (o != MXF_FOUND)
		return o;
	w = &q->ws->mx;
	/* MX first, with glibc's own search (dns.h).  The reply's question
	 * names where the walk ended. */
	o = ask_mx(q, dns, w);
	after_mx_walk(q, o);
	if (o == MXF_FOUND) {
		mxf_query_trace_name(q, "MX search reached ", w->msg.qname, "");
		o = read_mx_reply(q, w, ans);
	}
	return o;
}

/* The only place that talks to DNS servers: libresolv, on the calling
 * thread's own resolver state (_res, through res_search and res_query) as
 * nss_dns uses it: glibc keeps it per thread, reloads it when resolv.conf
 * changes, closes its socket after each query and frees it when the
 * thread exits; a program's own changes to _res count for us as they do
 * for nss_dns.  With the config's dns_server lines, a private state
 * (res_ninit) for the lookup instead, their servers in place of
 * resolv.conf's.  Through NSS (getaddrinfo, gethostbyname*_r) glibc brings
 * _res up to date when the call starts, before the module reads its
 * timeouts for the deadline; a program that calls the module's entry
 * points itself (dlopen) gets its first lookup after a change of
 * resolv.conf bounded by the settings of its previous one, as the reload
 * only happens inside that lookup's first query.
 *
 * Not bounded by anything here: libresolv's TCP read (a reply truncated
 * over UDP, or `options use-vc`) has no timeout in glibc 2.36 (send_vc
 * blocks in read), so a server that accepts the connection and never
 * answers stalls the lookup, as it stalls nss_dns; the transport is
 * libresolv's by design (no sockets of our own for DNS).
 *
 * One search algorithm: glibc's own res_search, which walks resolv.conf's
 * whole search list (not only the 6 domains struct __res_state shows),
 * reads "." as the root, applies ndots, HOSTALIASES, and goes on after
 * SERVFAIL and NODATA.  Nothing here walks res->dnsrch by hand.
 *
 * MX first.  A dotted name res_search asks as written first (relative, ndots
 * dots or more, a search list to go on to) is asked so alone first
 * (res_query, type MX): when it exists there, with MX records or none, the
 * walk ends at it, where nss_dns's A walk ends for a name with addresses;
 * without MX the a stage then asks its addresses as written too.
 * Otherwise (NXDOMAIN, SERVFAIL, a timeout), and for every other name, the mx
 * stage searches for the MX (res_search, type MX), as Postfix's own MX
 * lookup does: the MX is the first name of the search list that has MX
 * records, as res_search finds it.  The reply's question names where the
 * walk ended.  MX records there: the exchangers (their glue,
 * or one A/AAAA query each).  A null MX: final, no address query.
 * HOST_NOT_FOUND (res_search's verdict: the name exists nowhere it looked):
 * final, NOTFOUND/HOST_NOT_FOUND, no address query; but when the name was
 * asked as written first, glibc reports that try's NXDOMAIN over a later
 * candidate's NODATA, so the a stage searches then (mx.c).  NO_DATA: the
 * implicit MX, and the a stage then searches for A/AAAA exactly as nss_dns
 * does (its own res_search walk, the other family asked where it
 * stopped).  A temporary failure or a malformed reply: final (mx_final),
 * TRY_AGAIN or NO_RECOVERY, never the domain's own address.  Queries: one
 * MX walk (one query for a dotted name that exists as written; one more
 * than res_search alone for one that does not), plus the exchangers
 * without glue, plus the address walk only after NO_DATA. */
#ifndef MXF_DNS_H
#define MXF_DNS_H

#include "config.h"
#include "dnsmsg.h"
#include "outcome.h"
#include "trace.h"

#include <resolv.h>
#include <stdbool.h>
#include <stdint.h>

/* The DNS part of a lookup never takes longer than this, whatever
 * resolv.conf says (glibc allows timeout:30 attempts:5, 150 s a query). */
#define MXF_DNS_MAX_MS 20000

struct mxf_dns {
	res_state res; /* the thread's _res, or &OWN */
	bool thread_state; /* RES is the thread's _res */
	struct __res_state own; /* with dns_server lines only */
	bool ready;
	/* The time bound (CLOCK_MONOTONIC ms).  QUERY_MS is the longest one
	 * query can take with resolv.conf's timeout, attempts and servers, as
	 * libresolv sends it: what nss_dns could spend on one name whose
	 * servers are silent.  The lookup's DNS part ends by DEADLINE, twice
	 * that (at most MXF_DNS_MAX_MS) after it opened; a phase (the
	 * exchangers) may end sooner, at PHASE_END. */
	int64_t query_ms;
	int64_t deadline;
	int64_t phase_end;
	bool phase_pending; /* PHASE_END is set by the phase's first query */
	/* A query cut to fit changed RES's timeout and attempts: these put
	 * them back. */
	bool cut;
	int saved_retrans, saved_retry;
	int cut_retrans, cut_retry; /* what the cut set */
	unsigned char *buf; /* NS_MAXMSG bytes: the reply of the latest query */
	struct mxf_dnsmsg *msg; /* reads BUF */
	struct mxf_dnsmsg *kept; /* for a reply kept across queries (the search's) */
	bool debug;
	int sys_errno; /* with MXF_NO_RESOURCES: EMFILE, ENFILE or ENOMEM */
	const struct mxf_trace *trace;
};

/* What DNS reads replies with: the reply buffer and two readers (an
 * index each, too large for a thread's stack).  Part of the thread's
 * workspace (workspace.h), so a lookup allocates nothing. */
struct mxf_dns_room {
	struct mxf_dnsmsg msg, kept;
	unsigned char buf[NS_MAXMSG];
};

/* Prepares DNS for one lookup in ROOM and starts its deadline: the
 * thread's resolver state, initialised by res_init on the thread's first
 * lookup as nss_dns's first lookup does (nothing else: glibc caches
 * resolv.conf), or a private one for dns_server lines. */
enum mxf_outcome mxf_dns_open(struct mxf_dns *dns, const struct mxf_config *cfg,
			      struct mxf_dns_room *room);
void mxf_dns_close(struct mxf_dns *dns);

/* Asks NAME/TYPE (class IN).  SEARCH applies resolv.conf's search list as
 * nss_dns does (a trailing dot means absolute); otherwise NAME is taken as
 * fully qualified.  On MXF_FOUND, DNS->msg reads the reply, valid until the
 * next query.  A reply that fails validation is MXF_MALFORMED.  The query's
 * timeout and attempts are cut so it ends by the deadline; when not even
 * one attempt fits, nothing is sent and the answer is MXF_UNREACHABLE. */
enum mxf_outcome mxf_dns_query(struct mxf_dns *dns, const char *name, int type, bool search);

/* The same, with the reply read by MSG, which later queries leave alone
 * (they reuse only DNS->buf, which MSG no longer needs). */
enum mxf_outcome mxf_dns_query_into(struct mxf_dns *dns, const char *name, int type, bool search,
				    struct mxf_dnsmsg *msg);

/* Starts the exchangers' phase: all their queries together get one
 * query's time (QUERY_MS), within the lookup's deadline.  The MX walk
 * before it has the first budget (up to the deadline, in practice one
 * query's time: a timeout ends res_search's walk). */
void mxf_dns_begin_exchangers(struct mxf_dns *dns);

/* Ends the exchangers' phase: a later query (the a stage's search after
 * the IMS fallback) has what is left until the lookup's deadline. */
void mxf_dns_end_exchangers(struct mxf_dns *dns);

/* Whether resolving exchangers stops after one ended in O: at the first
 * temporary failure (the answer is TRY_AGAIN then, unless an earlier one
 * gave addresses), or when the phase's time is spent. */
bool mxf_dns_stop_exchangers(const struct mxf_dns *dns, enum mxf_outcome o);

/* Whether nss_dns would send NAME to DNS at all: glibc's res_hnok (letters,
 * digits, hyphens, dots between non-empty labels).  nss_dns answers
 * NOTFOUND/HOST_NOT_FOUND for any other name without a query
 * (resolv/nss_dns/dns-host.c); the DNS stages do the same. */
bool mxf_dns_name_ok(const char *name);

#endif

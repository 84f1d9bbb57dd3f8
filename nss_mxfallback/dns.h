/* The only place that talks to DNS servers: libresolv on per-lookup state
 * (res_ninit), with the config's dns_server lines replacing resolv.conf's
 * servers when given.
 *
 * One search algorithm: glibc's own res_nsearch, which walks resolv.conf's
 * whole search list (not only the 6 domains struct __res_state shows),
 * reads "." as the root, applies ndots, HOSTALIASES, and goes on after
 * SERVFAIL and NODATA.  A lookup walks the list once, with the address type
 * of its first family (A, or AAAA for AF_INET6), exactly as nss_dns asks;
 * the name that answers is the name reached (the reply's question).  The mx
 * stage then asks the MX of that name alone (res_nquery), so the MX is
 * always read at the name the A search reaches, and the a stage reuses the
 * walk's reply instead of asking again: queries are the walk, one MX
 * query, and the exchangers without glue.  Only when the walk ends in
 * NODATA (the name exists with no address: a mail-only domain) does the mx
 * stage search again, for MX, with res_nsearch. */
#ifndef MXF_DNS_H
#define MXF_DNS_H

#include "config.h"
#include "dnsmsg.h"
#include "outcome.h"
#include "trace.h"

#include <resolv.h>
#include <stdbool.h>

struct mxf_dns {
	struct __res_state res;
	bool ready;
	unsigned char *buf; /* NS_MAXMSG bytes: the reply of the latest query */
	struct mxf_dnsmsg *msg; /* reads BUF: heap, not stack (it holds an index) */
	bool debug;
	int sys_errno; /* with MXF_NO_RESOURCES: EMFILE, ENFILE or ENOMEM */
	const struct mxf_trace *trace;
};

/* Prepares DNS for one lookup.  Cheap: glibc caches resolv.conf. */
enum mxf_outcome mxf_dns_open(struct mxf_dns *dns, const struct mxf_config *cfg);
void mxf_dns_close(struct mxf_dns *dns);

/* Asks NAME/TYPE (class IN).  SEARCH applies resolv.conf's search list as
 * nss_dns does (a trailing dot means absolute); otherwise NAME is taken as
 * fully qualified.  On MXF_FOUND, DNS->msg reads the reply, valid until the
 * next query.  A reply that fails validation is MXF_MALFORMED. */
enum mxf_outcome mxf_dns_query(struct mxf_dns *dns, const char *name, int type, bool search);

/* The same, with the reply read by MSG, which later queries leave alone
 * (they reuse only DNS->buf, which MSG no longer needs). */
enum mxf_outcome mxf_dns_query_into(struct mxf_dns *dns, const char *name, int type, bool search,
				    struct mxf_dnsmsg *msg);

/* Whether nss_dns would send NAME to DNS at all: glibc's res_hnok (letters,
 * digits, hyphens, dots between non-empty labels).  nss_dns answers
 * NOTFOUND/HOST_NOT_FOUND for any other name without a query
 * (resolv/nss_dns/dns-host.c); the DNS stages do the same. */
bool mxf_dns_name_ok(const char *name);

#endif

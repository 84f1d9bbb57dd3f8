/* The only place that talks to DNS servers: libresolv on per-lookup state
 * (res_ninit), with the config's dns_server lines replacing resolv.conf's
 * servers when given. */
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

/* Searches NAME/TYPE through resolv.conf's search list in res_nsearch's
 * order (resolv/res_query.c), with one difference: a NODATA answer ends the
 * search, as the name exists there.  For the MX query that is the domain
 * whose implicit MX is itself (RFC 5321 §5.1), and asking the rest of the
 * list would only cost queries.  FOUND_AT gets the name that answered;
 * MSG reads the reply, as for mxf_dns_query_into. */
enum mxf_outcome mxf_dns_search_into(struct mxf_dns *dns, const char *name, int type,
				     struct mxf_dnsmsg *msg, char found_at[NS_MAXDNAME]);

#endif

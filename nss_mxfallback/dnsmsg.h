/* A pure reader of DNS answers, over libresolv's ns_* parser.  A message is
 * validated whole once (mxf_dnsmsg_open); the readers after it never meet a
 * malformed record. */
#ifndef MXF_DNSMSG_H
#define MXF_DNSMSG_H

#include "answer.h"

#include <arpa/nameser.h>
#include <stddef.h>
#include <stdint.h>

/* Longer chains are refused: they are loops or hostile (RFC 1034 §3.6.2
 * discourages chains at all). */
#define MXF_MAX_CNAME_HOPS 32

struct mxf_dnsmsg {
	ns_msg handle;
	char qname[NS_MAXDNAME];
	uint16_t qtype;
};

struct mxf_mx {
	uint16_t preference;
	uint32_t ttl;
	char host[NS_MAXDNAME]; /* "" for the null MX's "." */
};

/* Returns 0 when MSG is a well-formed response with one IN question and
 * every record of every section readable, A/AAAA of the right size and
 * MX/CNAME data exactly one domain name; -1 otherwise. */
int mxf_dnsmsg_open(struct mxf_dnsmsg *m, const unsigned char *msg, size_t len);

/* Follows CNAMEs in the answer section from NAME and writes the name at the
 * end of the chain to CANON.  Each name left behind becomes an alias of ANS
 * (when ANS is not NULL) and every CNAME used lowers *TTL.  Returns the
 * number of CNAMEs followed, or -1 for a loop or a chain of more than
 * MXF_MAX_CNAME_HOPS. */
int mxf_dnsmsg_follow_cnames(const struct mxf_dnsmsg *m, const char *name,
			     char canon[NS_MAXDNAME], struct mxf_answer *ans, uint32_t *ttl);

/* Adds to ANS the FAMILY addresses owned by OWNER in SECTION, in message
 * order, lowering ANS's TTL; returns how many records matched. */
unsigned mxf_dnsmsg_addresses(const struct mxf_dnsmsg *m, ns_sect section, const char *owner,
			      int family, struct mxf_answer *ans);

/* Copies up to MAX MX records owned by OWNER in the answer section, in
 * message order; returns how many. */
unsigned mxf_dnsmsg_mx(const struct mxf_dnsmsg *m, const char *owner, struct mxf_mx *out,
		       unsigned max);

#endif

/* A pure reader of DNS answers, over libc's own primitives (ns_name_unpack,
 * ns_skiprr, ns_get16/ns_get32).  A message is validated and indexed once
 * (mxf_dnsmsg_open): every record read is unpacked exactly once, and the
 * readers after it walk the index, never meeting a malformed record.
 * Names stay in wire form (uncompressed, RFC 1035 §3.1) and are compared
 * there, case-insensitively (RFC 4343): only a name that becomes part of
 * the answer or a query is turned into text (ns_name_ntop), as nss_dns's
 * getanswer_r does.  The index holds copies of what it needs, so the
 * reply's buffer is free for the next query as soon as it is open (the mx
 * stage asks for exchangers' addresses into the buffer its MX reply came
 * in). */
#ifndef MXF_DNSMSG_H
#define MXF_DNSMSG_H

#include "answer.h"

#include <arpa/nameser.h>
#include <stddef.h>
#include <stdint.h>

/* Longer chains are refused: they are loops or hostile (RFC 1034 §3.6.2
 * discourages chains at all). */
#define MXF_MAX_CNAME_HOPS 32

/* How many A/AAAA/CNAME/MX records of a message are indexed, and the room
 * for their names: more than an answer uses (64 addresses, 32 CNAMEs).
 * Records past either limit are validated but left out whole, never half
 * read; for a huge MX set that only means an exchanger whose glue was left
 * out is asked for its addresses. */
#define MXF_DNSMSG_MAX_RRS 128
#define MXF_DNSMSG_NAME_ROOM 8192

/* One indexed record: an IN-class A, AAAA, CNAME or MX. */
struct mxf_dnsrr {
	unsigned char addr[16]; /* A/AAAA: the address (A in the first 4) */
	uint32_t ttl;
	uint16_t type;
	uint16_t preference; /* MX */
	uint16_t owner; /* offset of the owner's wire name in the name room */
	uint16_t target; /* CNAME/MX: offset of the target's wire name */
	uint8_t section; /* ns_s_an or ns_s_ar */
};

struct mxf_dnsmsg {
	unsigned char qname[NS_MAXCDNAME]; /* the question's name, wire form */
	uint16_t qtype;
	uint16_t ancount, arcount; /* as the header says (traces) */
	unsigned n_rrs;
	struct mxf_dnsrr rrs[MXF_DNSMSG_MAX_RRS];
	size_t names_used;
	unsigned char names[MXF_DNSMSG_NAME_ROOM];
};

struct mxf_mx {
	uint16_t preference;
	uint32_t ttl;
	const char *host; /* as text, in the caller's TEXT; "" for the null MX's "." */
	const unsigned char *host_wire; /* the same name in wire form, in the index */
};

/* Returns 0 when MSG is a well-formed response with one IN question and
 * every record of the answer section readable and, when it is a CNAME or
 * an MX the question asked, well formed (a CNAME's data starts with one
 * domain name, an MX's is a preference and exactly one name); -1
 * otherwise.  An A/AAAA record of the wrong size is skipped, as nss_dns's
 * getanswer_r skips it.  Answer records of other types
 * are not judged, and nothing after the answer section is (nss_dns's
 * getanswer_r reads the answer section only: a broken authority section or
 * trailing bytes cost it no answer).  For an MX question the additional
 * section's A/AAAA records are read as glue as far as they can be: a
 * broken one is left out, never failing the reply.  The readers never
 * look at MSG again: it may be overwritten once this returns. */
int mxf_dnsmsg_open(struct mxf_dnsmsg *m, const unsigned char *msg, size_t len);

/* Writes wire name NAME as text (ns_name_ntop: the root is ".", special
 * characters escaped); -1 when it does not fit, which no name unpacked by
 * mxf_dnsmsg_open does. */
int mxf_dnsmsg_text(const unsigned char *name, char out[NS_MAXDNAME]);

/* Follows CNAMEs in the answer section from wire name NAME and points
 * *CANON at the name at the end of the chain (NAME itself, or a name in
 * M).  Each name left behind becomes an alias of ANS (when ANS is not
 * NULL), as text, and every CNAME used lowers *TTL.  Returns the number of
 * CNAMEs followed, or -1 for a loop or a chain of more than
 * MXF_MAX_CNAME_HOPS. */
int mxf_dnsmsg_follow_cnames(const struct mxf_dnsmsg *m, const unsigned char *name,
			     const unsigned char **canon, struct mxf_answer *ans, uint32_t *ttl);

/* Adds to ANS the FAMILY addresses owned by wire name OWNER in SECTION, in
 * message order, lowering ANS's TTL; returns how many records matched. */
unsigned mxf_dnsmsg_addresses(const struct mxf_dnsmsg *m, ns_sect section,
			      const unsigned char *owner, int family, struct mxf_answer *ans);

/* Lists up to MAX MX records owned by wire name OWNER in the answer
 * section, in message order, their exchangers written as text into TEXT
 * (SIZE bytes; the records that do not fit are left out, as past MAX);
 * returns how many.  The hosts stay valid as long as M and TEXT. */
unsigned mxf_dnsmsg_mx(const struct mxf_dnsmsg *m, const unsigned char *owner, struct mxf_mx *out,
		       unsigned max, char *text, size_t size);

#endif

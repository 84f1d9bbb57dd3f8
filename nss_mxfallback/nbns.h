/* A pure codec for the NetBIOS Name Service (RFC 1001 §14, RFC 1002 §4.2):
 * names, the NAME QUERY REQUEST, and replies validated whole.  No sockets. */
#ifndef MXF_NBNS_H
#define MXF_NBNS_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#define MXF_NB_NAME_LEN 16 /* 15 characters, space padded, and the suffix byte */
#define MXF_NB_ENCODED_LEN 34 /* 0x20, 32 half-byte letters, 0x00 (no scope) */
#define MXF_NB_QUERY_LEN 50
#define MXF_NB_MAX_ADDRS 32
#define MXF_NB_PORT 137

/* Makes the 16-byte name of NAME (1..15 characters of the NetBIOS alphabet,
 * upper-cased in ASCII, space padded) with SUFFIX as byte 16.  Returns -1
 * for an empty or long name or a byte Windows does not allow in one. */
int mxf_nb_make_name(const char *name, size_t len, unsigned char suffix,
		     unsigned char out[MXF_NB_NAME_LEN]);

/* First-level encoding (RFC 1001 §14.1) with the null scope. */
void mxf_nb_encode(const unsigned char name[MXF_NB_NAME_LEN], unsigned char out[MXF_NB_ENCODED_LEN]);

/* The reverse; -1 unless IN is a length-32 label of 'A'..'P' and the root. */
int mxf_nb_decode(const unsigned char in[MXF_NB_ENCODED_LEN], unsigned char name[MXF_NB_NAME_LEN]);

/* NAME QUERY REQUEST (RFC 1002 §4.2.12), unicast: RD set, B clear. */
void mxf_nb_query(uint16_t id, const unsigned char name[MXF_NB_NAME_LEN],
		  unsigned char out[MXF_NB_QUERY_LEN]);

/* The same, broadcast (the B-node form): B set, RD clear. */
void mxf_nb_bcast_query(uint16_t id, const unsigned char name[MXF_NB_NAME_LEN],
			unsigned char out[MXF_NB_QUERY_LEN]);

enum mxf_nb_kind {
	MXF_NB_POSITIVE, /* addresses follow */
	MXF_NB_NEGATIVE, /* the server does not know the name (any RCODE) */
	MXF_NB_WACK, /* wait: ttl seconds more (RFC 1002 §4.2.16) */
};

struct mxf_nb_reply {
	enum mxf_nb_kind kind;
	unsigned rcode;
	uint32_t ttl;
	unsigned n_addrs;
	struct in_addr addrs[MXF_NB_MAX_ADDRS];
};

/* Reads PKT as the reply to query ID for NAME.  Returns -1 when it is not
 * one (another ID or name, a request, a broadcast, a redirect) or is
 * malformed in any way; the caller keeps waiting.  Addresses 0.0.0.0 and
 * 255.255.255.255 are left out. */
int mxf_nb_parse_reply(const unsigned char *pkt, size_t len, uint16_t id,
		       const unsigned char name[MXF_NB_NAME_LEN], struct mxf_nb_reply *out);

/* NODE STATUS REQUEST (RFC 1002 §4.2.17) for the wildcard name "*", what
 * `nmblookup -A ADDRESS` sends: the host lists the names it holds. */
void mxf_nb_status_query(uint16_t id, unsigned char out[MXF_NB_QUERY_LEN]);

/* Reads PKT as the NODE STATUS RESPONSE (§4.2.18) to query ID and writes the
 * host's first unique name with suffix <00> to NAME (trailing spaces cut).
 * Returns -1 when PKT is not such a reply, is malformed, or has no such
 * name. */
int mxf_nb_parse_status(const unsigned char *pkt, size_t len, uint16_t id,
			char name[MXF_NB_NAME_LEN]);

#endif

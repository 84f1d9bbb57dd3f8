#include "nbns.h"

#include <arpa/nameser.h>
#include <string.h>

#define FLAG_RESPONSE 0x8000
#define OPCODE_MASK 0x7800
#define OPCODE_QUERY 0x0000
#define OPCODE_WACK 0x3800 /* 7 << 11 */
#define FLAG_RD 0x0100
#define FLAG_BROADCAST 0x0010
#define RCODE_MASK 0x000f
#define TYPE_NB 0x0020
#define TYPE_NULL 0x000a
#define TYPE_NBSTAT 0x0021
#define NAME_FLAG_GROUP 0x8000
#define STATUS_ENTRY_LEN 18
#define CLASS_IN 0x0001
#define HEADER_LEN 12

/* Characters Windows refuses in a computer name, and '.', which makes a
 * DNS name rather than a NetBIOS one. */
static int allowed(unsigned char c)
{
	return c > 0x20 && c < 0x7f && strchr("\\/:*?\"<>|.", c) == NULL;
}

int mxf_nb_make_name(const char *name, size_t len, unsigned char suffix,
		     unsigned char out[MXF_NB_NAME_LEN])
{
	if (len == 0 || len > MXF_NB_NAME_LEN - 1)
		return -1;
	memset(out, ' ', MXF_NB_NAME_LEN - 1);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];
		if (!allowed(c))
			return -1;
		out[i] = c >= 'a' && c <= 'z' ? (unsigned char)(c - 32) : c;
	}
	out[MXF_NB_NAME_LEN - 1] = suffix;
	return 0;
}

void mxf_nb_encode(const unsigned char name[MXF_NB_NAME_LEN], unsigned char out[MXF_NB_ENCODED_LEN])
{
	out[0] = 32;
	for (int i = 0; i < MXF_NB_NAME_LEN; i++) {
		out[1 + 2 * i] = (unsigned char)('A' + (name[i] >> 4));
		out[2 + 2 * i] = (unsigned char)('A' + (name[i] & 0x0f));
	}
	out[33] = 0;
}

int mxf_nb_decode(const unsigned char in[MXF_NB_ENCODED_LEN], unsigned char name[MXF_NB_NAME_LEN])
{
	if (in[0] != 32 || in[33] != 0)
		return -1;
	for (int i = 0; i < 32; i++)
		if (in[1 + i] < 'A' || in[1 + i] > 'P')
			return -1;
	for (int i = 0; i < MXF_NB_NAME_LEN; i++)
		name[i] = (unsigned char)(((in[1 + 2 * i] - 'A') << 4) | (in[2 + 2 * i] - 'A'));
	return 0;
}

void mxf_nb_query(uint16_t id, const unsigned char name[MXF_NB_NAME_LEN],
		  unsigned char out[MXF_NB_QUERY_LEN])
{
	memset(out, 0, HEADER_LEN);
	ns_put16(id, out);
	ns_put16(FLAG_RD, out + 2);
	ns_put16(1, out + 4); /* QDCOUNT */
	mxf_nb_encode(name, out + HEADER_LEN);
	ns_put16(TYPE_NB, out + HEADER_LEN + MXF_NB_ENCODED_LEN);
	ns_put16(CLASS_IN, out + HEADER_LEN + MXF_NB_ENCODED_LEN + 2);
}

void mxf_nb_bcast_query(uint16_t id, const unsigned char name[MXF_NB_NAME_LEN],
			unsigned char out[MXF_NB_QUERY_LEN])
{
	mxf_nb_query(id, name, out);
	ns_put16(FLAG_BROADCAST, out + 2); /* RFC 1002 §4.2.12: B; nobody recurses */
}

/* Reads the name at *AT: our encoded name in full, or (in an answer only)
 * one pointer to the question at offset 12, the one place RFC 1002 packets
 * use label compression.  Anything else is refused. */
static int expect_name(const unsigned char *pkt, size_t len, size_t *at, int pointer_ok,
		       const unsigned char encoded[MXF_NB_ENCODED_LEN])
{
	if (*at + 2 <= len && (pkt[*at] & 0xc0) == 0xc0) {
		if (!pointer_ok || ns_get16(pkt + *at) != (0xc000 | HEADER_LEN))
			return -1;
		*at += 2;
		return 0;
	}
	if (*at + MXF_NB_ENCODED_LEN > len || memcmp(pkt + *at, encoded, MXF_NB_ENCODED_LEN) != 0)
		return -1;
	*at += MXF_NB_ENCODED_LEN;
	return 0;
}

static int read_addresses(const unsigned char *rdata, size_t rdlen, struct mxf_nb_reply *out)
{
	if (rdlen == 0 || rdlen % 6 != 0)
		return -1;
	for (size_t i = 0; i < rdlen; i += 6) {
		uint32_t a;
		memcpy(&a, rdata + i + 2, 4); /* after NB_FLAGS; network order kept */
		if (a == 0 || a == 0xffffffffu || out->n_addrs == MXF_NB_MAX_ADDRS)
			continue;
		out->addrs[out->n_addrs++].s_addr = a;
	}
	return 0;
}

/* The answer record, given the reply's kind: type, class, data size. */
static int read_answer(const unsigned char *rr, size_t avail, struct mxf_nb_reply *out)
{
	uint16_t type, rdlen;

	if (avail < 10)
		return -1;
	type = ns_get16(rr);
	out->ttl = ns_get32(rr + 4);
	rdlen = ns_get16(rr + 8);
	if (ns_get16(rr + 2) != CLASS_IN || (size_t)rdlen + 10 != avail)
		return -1;
	switch (out->kind) {
	case MXF_NB_WACK:
		return type == TYPE_NULL && rdlen == 2 ? 0 : -1;
	case MXF_NB_NEGATIVE:
		return 0; /* RFC 1002 says NULL, rdlen 0; any record will do */
	case MXF_NB_POSITIVE:
		return type == TYPE_NB ? read_addresses(rr + 10, rdlen, out) : -1;
	}
	return -1;
}

int mxf_nb_parse_reply(const unsigned char *pkt, size_t len, uint16_t id,
		       const unsigned char name[MXF_NB_NAME_LEN], struct mxf_nb_reply *out)
{
	unsigned char encoded[MXF_NB_ENCODED_LEN];
	size_t at = HEADER_LEN;
	uint16_t flags, qd;

	memset(out, 0, sizeof(*out));
	if (len < HEADER_LEN || ns_get16(pkt) != id)
		return -1;
	flags = ns_get16(pkt + 2);
	qd = ns_get16(pkt + 4);
	if (!(flags & FLAG_RESPONSE) || (flags & FLAG_BROADCAST) || qd > 1 ||
	    ns_get16(pkt + 6) != 1 || ns_get16(pkt + 8) != 0 || ns_get16(pkt + 10) != 0)
		return -1; /* a REDIRECT has no answer but NS/AR records: ignored */
	if ((flags & OPCODE_MASK) == OPCODE_WACK)
		out->kind = MXF_NB_WACK;
	else if ((flags & OPCODE_MASK) != OPCODE_QUERY)
		return -1;
	else
		out->kind = (flags & RCODE_MASK) != 0 ? MXF_NB_NEGATIVE : MXF_NB_POSITIVE;
	out->rcode = flags & RCODE_MASK;
	mxf_nb_encode(name, encoded);
	if (qd == 1) {
		if (expect_name(pkt, len, &at, 0, encoded) != 0 || at + 4 > len)
			return -1;
		at += 4; /* QTYPE, QCLASS */
	}
	if (expect_name(pkt, len, &at, qd == 1, encoded) != 0)
		return -1;
	if (read_answer(pkt + at, len - at, out) != 0)
		return -1;
	if (out->kind == MXF_NB_POSITIVE && out->n_addrs == 0)
		out->kind = MXF_NB_NEGATIVE; /* only unusable addresses */
	return 0;
}

static void wildcard_name(unsigned char name[MXF_NB_NAME_LEN])
{
	memset(name, 0, MXF_NB_NAME_LEN);
	name[0] = '*';
}

void mxf_nb_status_query(uint16_t id, unsigned char out[MXF_NB_QUERY_LEN])
{
	unsigned char name[MXF_NB_NAME_LEN];

	wildcard_name(name);
	mxf_nb_query(id, name, out);
	ns_put16(0, out + 2); /* no RD: the host itself answers */
	ns_put16(TYPE_NBSTAT, out + HEADER_LEN + MXF_NB_ENCODED_LEN);
}

/* The first unique <00> name of a NODE_NAME array. */
static int pick_workstation_name(const unsigned char *rdata, size_t rdlen,
				 char name[MXF_NB_NAME_LEN])
{
	unsigned count;

	if (rdlen < 1)
		return -1;
	count = rdata[0];
	if (1 + (size_t)count * STATUS_ENTRY_LEN > rdlen)
		return -1;
	for (unsigned i = 0; i < count; i++) {
		const unsigned char *e = rdata + 1 + (size_t)i * STATUS_ENTRY_LEN;
		if (e[15] != 0x00 || (ns_get16(e + 16) & NAME_FLAG_GROUP))
			continue;
		size_t n = MXF_NB_NAME_LEN - 1;
		while (n > 0 && e[n - 1] == ' ')
			n--;
		for (size_t j = 0; j < n; j++)
			if (!allowed(e[j]))
				return -1;
		if (n == 0)
			return -1;
		memcpy(name, e, n);
		name[n] = '\0';
		return 0;
	}
	return -1;
}

int mxf_nb_parse_status(const unsigned char *pkt, size_t len, uint16_t id,
			char name[MXF_NB_NAME_LEN])
{
	unsigned char wildcard[MXF_NB_NAME_LEN], encoded[MXF_NB_ENCODED_LEN];
	size_t at = HEADER_LEN;
	uint16_t flags, rdlen;

	if (len < HEADER_LEN || ns_get16(pkt) != id)
		return -1;
	flags = ns_get16(pkt + 2);
	if (!(flags & FLAG_RESPONSE) || (flags & OPCODE_MASK) != OPCODE_QUERY ||
	    (flags & RCODE_MASK) != 0 || ns_get16(pkt + 4) != 0 || ns_get16(pkt + 6) != 1 ||
	    ns_get16(pkt + 8) != 0 || ns_get16(pkt + 10) != 0)
		return -1;
	wildcard_name(wildcard);
	mxf_nb_encode(wildcard, encoded);
	if (expect_name(pkt, len, &at, 0, encoded) != 0 || at + 10 > len)
		return -1;
	rdlen = ns_get16(pkt + at + 8);
	if (ns_get16(pkt + at) != TYPE_NBSTAT || ns_get16(pkt + at + 2) != CLASS_IN ||
	    at + 10 + rdlen != len)
		return -1;
	return pick_workstation_name(pkt + at + 10, rdlen, name);
}

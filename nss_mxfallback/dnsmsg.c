#include "dnsmsg.h"

#include <netinet/in.h>
#include <resolv.h>
#include <stdbool.h>
#include <string.h>

static unsigned char fold(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/* Label lengths are at most 63 and so never letters: folding every byte
 * of a wire name folds only its labels' text. */
bool mxf_dnsmsg_same_name(const unsigned char *a, const unsigned char *b)
{
	for (;;) {
		unsigned n = *a;
		if (n != *b)
			return false;
		if (n == 0)
			return true;
		for (a++, b++; n > 0; n--, a++, b++)
			if (*a != *b && fold(*a) != fold(*b))
				return false;
	}
}

/* The length of an uncompressed wire name, its root label included. */
static size_t wire_len(const unsigned char *name)
{
	const unsigned char *p = name;

	while (*p != 0)
		p += *p + 1;
	return (size_t)(p - name) + 1;
}

int mxf_dnsmsg_text(const unsigned char *name, char out[NS_MAXDNAME])
{
	return ns_name_ntop(name, out, NS_MAXDNAME) < 0 ? -1 : 0;
}

/* Copies LEN bytes into M's name room; their offset, or -1 when the room
 * is full. */
static int keep(struct mxf_dnsmsg *m, const void *bytes, size_t len)
{
	if (len > sizeof(m->names) - m->names_used)
		return -1;
	memcpy(m->names + m->names_used, bytes, len);
	m->names_used += len;
	return (int)(m->names_used - len);
}

/* Adds E, owned by OWNER (and pointing at TARGET, for CNAME and MX, whose
 * text is TEXT for MX), to the index while there is room; a record that
 * does not fit is left out whole.  Records of one owner mostly come
 * together: the owner is kept once. */
static void index_record(struct mxf_dnsmsg *m, struct mxf_dnsrr *e, const unsigned char *owner,
			 const unsigned char *target, const char *text)
{
	const struct mxf_dnsrr *prev = m->n_rrs > 0 ? &m->rrs[m->n_rrs - 1] : NULL;
	size_t mark = m->names_used, len = wire_len(owner);
	int at;

	if (m->n_rrs == MXF_DNSMSG_MAX_RRS)
		return;
	if (prev != NULL && memcmp(m->names + prev->owner, owner, len) == 0)
		at = prev->owner;
	else if ((at = keep(m, owner, len)) < 0)
		return;
	e->owner = (uint16_t)at;
	if (target != NULL) {
		if ((at = keep(m, target, wire_len(target))) < 0)
			goto full;
		e->target = (uint16_t)at;
	}
	if (text != NULL) {
		if ((at = keep(m, text, strlen(text) + 1)) < 0)
			goto full;
		e->target_text = (uint16_t)at;
	}
	m->rrs[m->n_rrs++] = *e;
	return;
full:
	m->names_used = mark;
}

/* Where a message is read, and up to where. */
struct cursor {
	const unsigned char *base, *p, *eom;
};

/* One resource record (RFC 1035 §4.1.3), its owner unpacked. */
struct rr {
	unsigned char owner[NS_MAXCDNAME];
	uint16_t type, class, rdlen;
	uint32_t ttl;
	const unsigned char *rdata;
};

/* Reads the record at C->p and moves past it; -1 when its owner does not
 * unpack or its data runs past the message. */
static int next_rr(struct cursor *c, struct rr *rr)
{
	int n = ns_name_unpack(c->base, c->eom, c->p, rr->owner, sizeof(rr->owner));
	const unsigned char *p;

	if (n < 0 || c->eom - (c->p + n) < NS_RRFIXEDSZ)
		return -1;
	p = c->p + n;
	rr->type = ns_get16(p);
	rr->class = ns_get16(p + 2);
	rr->ttl = ns_get32(p + 4);
	rr->rdlen = ns_get16(p + 8);
	p += NS_RRFIXEDSZ;
	if (c->eom - p < rr->rdlen)
		return -1;
	rr->rdata = p;
	c->p = p + rr->rdlen;
	return 0;
}

/* Unpacks the domain name at P into OUT; it must end exactly at END. */
static int unpack_exact(const struct cursor *c, const unsigned char *p, const unsigned char *end,
			unsigned char out[NS_MAXCDNAME])
{
	int used = ns_name_unpack(c->base, c->eom, p, out, NS_MAXCDNAME);

	return used >= 0 && p + used == end ? 0 : -1;
}

/* Validates one record and indexes it; -1 only for a malformed record. */
static int take_record(struct mxf_dnsmsg *m, const struct cursor *c, ns_sect section,
		       const struct rr *rr)
{
	const unsigned char *end = rr->rdata + rr->rdlen;
	struct mxf_dnsrr e = { .ttl = rr->ttl, .type = rr->type, .section = (uint8_t)section };
	unsigned char target[NS_MAXCDNAME];
	char text[NS_MAXDNAME];

	switch (e.type) {
	case ns_t_a:
	case ns_t_aaaa: {
		size_t size = e.type == ns_t_a ? 4 : 16;
		if (rr->rdlen != size)
			return -1;
		memcpy(e.addr, rr->rdata, size);
		index_record(m, &e, rr->owner, NULL, NULL);
		return 0;
	}
	case ns_t_cname:
		if (unpack_exact(c, rr->rdata, end, target) != 0)
			return -1;
		index_record(m, &e, rr->owner, target, NULL);
		return 0;
	case ns_t_mx:
		if (rr->rdlen < 3 || unpack_exact(c, rr->rdata + 2, end, target) != 0 ||
		    mxf_dnsmsg_text(target, text) != 0)
			return -1;
		e.preference = ns_get16(rr->rdata);
		index_record(m, &e, rr->owner, target, text);
		return 0;
	default:
		return 0;
	}
}

/* Whether a record of TYPE in SECTION is one the readers use: in the
 * answer section the asked type and CNAME (nss_dns's getanswer_r skips the
 * rest unread), in an MX reply's additional section the glue. */
static bool record_read(const struct mxf_dnsmsg *m, ns_sect section, uint16_t type)
{
	if (section == ns_s_an)
		return type == m->qtype || type == ns_t_cname;
	return type == ns_t_a || type == ns_t_aaaa;
}

/* Reads the COUNT records of SECTION once, in order.  A bad record the
 * readers use makes the answer section unusable as a whole; in the
 * additional section it is only glue missing, so it is skipped, as
 * nss_dns never reads that section at all (the exchanger is then asked for
 * its addresses), as long as ns_skiprr can step over it. */
static int read_section(struct mxf_dnsmsg *m, struct cursor *c, ns_sect section, unsigned count)
{
	bool must_parse = section == ns_s_an;
	struct rr rr;

	for (unsigned i = 0; i < count; i++) {
		const unsigned char *at = c->p;
		int skip;
		if (next_rr(c, &rr) != 0) {
			if (must_parse || (skip = ns_skiprr(at, c->eom, section, 1)) < 0)
				return -1;
			c->p = at + skip;
			continue;
		}
		if (rr.class != ns_c_in || !record_read(m, section, rr.type))
			continue;
		if (take_record(m, c, section, &rr) != 0 && must_parse)
			return -1;
	}
	return 0;
}

/* Steps over the COUNT records of a section nothing reads. */
static int skip_section(struct cursor *c, ns_sect section, unsigned count)
{
	int n = count > 0 ? ns_skiprr(c->p, c->eom, section, (int)count) : 0;

	if (n < 0)
		return -1;
	c->p += n;
	return 0;
}

/* The header and the question (RFC 1035 §4.1.1, §4.1.2). */
static int read_question(struct mxf_dnsmsg *m, struct cursor *c)
{
	unsigned flags;
	int n;

	if (c->eom - c->p < NS_HFIXEDSZ)
		return -1;
	flags = ns_get16(c->p + 2);
	/* A response (QR), to a standard query (opcode 0), of one question. */
	if ((flags & 0x8000) == 0 || (flags & 0x7800) != 0 || ns_get16(c->p + 4) != 1)
		return -1;
	m->ancount = ns_get16(c->p + 6);
	m->arcount = ns_get16(c->p + 10);
	c->p += NS_HFIXEDSZ;
	n = ns_name_unpack(c->base, c->eom, c->p, m->qname, sizeof(m->qname));
	if (n < 0 || c->eom - (c->p + n) < NS_QFIXEDSZ)
		return -1;
	c->p += n;
	m->qtype = ns_get16(c->p);
	if (ns_get16(c->p + 2) != ns_c_in)
		return -1;
	c->p += NS_QFIXEDSZ;
	return 0;
}

int mxf_dnsmsg_open(struct mxf_dnsmsg *m, const unsigned char *msg, size_t len)
{
	struct cursor c = { .base = msg, .p = msg, .eom = msg + len };
	unsigned nscount;

	m->n_rrs = 0;
	m->names_used = 0;
	if (len > NS_MAXMSG || read_question(m, &c) != 0)
		return -1;
	nscount = ns_get16(msg + 8);
	if (read_section(m, &c, ns_s_an, m->ancount) != 0 || skip_section(&c, ns_s_ns, nscount) != 0)
		return -1;
	/* Only an MX reply's additional section is read: the exchangers' glue. */
	if (m->qtype == ns_t_mx ? read_section(m, &c, ns_s_ar, m->arcount) != 0
				: skip_section(&c, ns_s_ar, m->arcount) != 0)
		return -1;
	/* As ns_initparse: the records must end where the message does. */
	return c.p == c.eom ? 0 : -1;
}

static const unsigned char *name_at(const struct mxf_dnsmsg *m, uint16_t at)
{
	return m->names + at;
}

/* The record of TYPE owned by NAME in SECTION from index entry *FROM on,
 * advancing *FROM past it; NULL when there is none. */
static const struct mxf_dnsrr *next_record(const struct mxf_dnsmsg *m, unsigned *from,
					   ns_sect section, uint16_t type,
					   const unsigned char *name)
{
	while (*from < m->n_rrs) {
		const struct mxf_dnsrr *r = &m->rrs[(*from)++];
		if (r->section == section && r->type == type &&
		    mxf_dnsmsg_same_name(name_at(m, r->owner), name))
			return r;
	}
	return NULL;
}

static void add_alias(struct mxf_answer *ans, const unsigned char *name)
{
	char text[NS_MAXDNAME];

	if (mxf_dnsmsg_text(name, text) == 0)
		mxf_answer_add_alias(ans, text);
}

int mxf_dnsmsg_follow_cnames(const struct mxf_dnsmsg *m, const unsigned char *name,
			     const unsigned char **canon, struct mxf_answer *ans, uint32_t *ttl)
{
	*canon = name;
	for (int hops = 0; hops <= MXF_MAX_CNAME_HOPS; hops++) {
		unsigned from = 0;
		const struct mxf_dnsrr *r = next_record(m, &from, ns_s_an, ns_t_cname, *canon);
		if (r == NULL)
			return hops;
		if (r->ttl < *ttl)
			*ttl = r->ttl;
		if (ans != NULL)
			add_alias(ans, *canon);
		*canon = name_at(m, r->target);
	}
	return -1;
}

unsigned mxf_dnsmsg_addresses(const struct mxf_dnsmsg *m, ns_sect section,
			      const unsigned char *owner, int family, struct mxf_answer *ans)
{
	uint16_t type = family == AF_INET ? ns_t_a : ns_t_aaaa;
	const struct mxf_dnsrr *r;
	unsigned from = 0, found = 0;

	while ((r = next_record(m, &from, section, type, owner)) != NULL) {
		found++;
		mxf_answer_add_address(ans, family, r->addr);
		mxf_answer_lower_ttl(ans, r->ttl);
	}
	return found;
}

unsigned mxf_dnsmsg_mx(const struct mxf_dnsmsg *m, const unsigned char *owner, struct mxf_mx *out,
		       unsigned max)
{
	const struct mxf_dnsrr *r;
	unsigned from = 0, n = 0;

	while (n < max && (r = next_record(m, &from, ns_s_an, ns_t_mx, owner)) != NULL) {
		out[n].preference = r->preference;
		out[n].ttl = r->ttl;
		out[n].host_wire = name_at(m, r->target);
		/* The root is "."; the null MX wants it empty. */
		out[n].host = out[n].host_wire[0] == 0 ? ""
						      : (const char *)m->names + r->target_text;
		n++;
	}
	return n;
}

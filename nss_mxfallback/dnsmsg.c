#include "dnsmsg.h"

#include <netinet/in.h>
#include <resolv.h>
#include <stdbool.h>
#include <string.h>

static unsigned char fold(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/* Whether two wire names are the same name (ASCII case folded: RFC 4343;
 * never the locale's case rules).  Label lengths are at most 63 and so
 * never letters: folding every byte of a wire name folds only its labels'
 * text. */
static bool same_name(const unsigned char *a, const unsigned char *b)
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

/* How many names unpacked whole are remembered by their place in the
 * message: the question and the first owners and targets, which the
 * owners after them point at (RFC 1035 §4.1.4). */
#define KNOWN_NAMES 16

/* Where a message is read, and up to where. */
struct reader {
	const unsigned char *base, *p, *eom;
	unsigned n_known;
	struct {
		uint16_t at; /* offset in the message */
		uint16_t name; /* offset in the name room */
	} known[KNOWN_NAMES];
};

/* Remembers that the name at message offset AT is the name room's NAME. */
static void know(struct reader *r, const unsigned char *at, int name)
{
	if (r->n_known < KNOWN_NAMES && name >= 0) {
		r->known[r->n_known].at = (uint16_t)(at - r->base);
		r->known[r->n_known].name = (uint16_t)name;
		r->n_known++;
	}
}

/* When the name at P is one compression pointer to a name unpacked before,
 * that name's offset in the name room; else -1.  Servers write most owners
 * so: a pointer to the question, or to an MX record's exchanger. */
static int known_name(const struct reader *r, const unsigned char *p)
{
	unsigned at;

	if (r->eom - p < 2 || (p[0] & NS_CMPRSFLGS) != NS_CMPRSFLGS)
		return -1;
	at = (unsigned)(p[0] & ~NS_CMPRSFLGS) << 8 | p[1];
	for (unsigned i = 0; i < r->n_known; i++)
		if (r->known[i].at == at)
			return r->known[i].name;
	return -1;
}

/* One resource record (RFC 1035 §4.1.3).  Its owner is the name room's
 * OWNER_AT when it was known, else unpacked into OWNER from OWNER_IN. */
struct rr {
	int owner_at;
	const unsigned char *owner_in;
	unsigned char owner[NS_MAXCDNAME];
	uint16_t type, class, rdlen;
	uint32_t ttl;
	const unsigned char *rdata;
};

/* Reads the record at R->p and moves past it; -1 when its owner does not
 * unpack or its data runs past the message. */
static int next_rr(struct reader *r, struct rr *rr)
{
	const unsigned char *p;
	int n;

	rr->owner_in = r->p;
	rr->owner_at = known_name(r, r->p);
	if (rr->owner_at >= 0)
		n = 2;
	else
		n = ns_name_unpack(r->base, r->eom, r->p, rr->owner, sizeof(rr->owner));
	if (n < 0 || r->eom - (r->p + n) < NS_RRFIXEDSZ)
		return -1;
	p = r->p + n;
	rr->type = ns_get16(p);
	rr->class = ns_get16(p + 2);
	rr->ttl = ns_get32(p + 4);
	rr->rdlen = ns_get16(p + 8);
	p += NS_RRFIXEDSZ;
	if (r->eom - p < rr->rdlen)
		return -1;
	rr->rdata = p;
	r->p = p + rr->rdlen;
	return 0;
}

/* The name room's offset of RR's owner, kept there if it is not yet;
 * -1 when the room is full.  Records of one owner mostly come together:
 * an owner like the one before is kept once. */
static int owner_name(struct mxf_dnsmsg *m, struct reader *r, const struct rr *rr)
{
	const struct mxf_dnsrr *prev = m->n_rrs > 0 ? &m->rrs[m->n_rrs - 1] : NULL;
	size_t len;
	int at;

	if (rr->owner_at >= 0)
		return rr->owner_at;
	len = wire_len(rr->owner);
	if (prev != NULL && wire_len(m->names + prev->owner) == len &&
	    memcmp(m->names + prev->owner, rr->owner, len) == 0)
		return prev->owner;
	at = keep(m, rr->owner, len);
	know(r, rr->owner_in, at);
	return at;
}

/* Adds E, the record RR (pointing at TARGET, found at TARGET_IN, for
 * CNAME and MX), to the index while there is room; a record that does not
 * fit is left out whole. */
static void index_record(struct mxf_dnsmsg *m, struct reader *r, struct mxf_dnsrr *e,
			 const struct rr *rr, const unsigned char *target,
			 const unsigned char *target_in)
{
	size_t mark = m->names_used;
	unsigned n_known = r->n_known;
	int at;

	if (m->n_rrs == MXF_DNSMSG_MAX_RRS || (at = owner_name(m, r, rr)) < 0)
		goto full;
	e->owner = (uint16_t)at;
	if (target != NULL) {
		if ((at = keep(m, target, wire_len(target))) < 0)
			goto full;
		e->target = (uint16_t)at;
		know(r, target_in, at);
	}
	m->rrs[m->n_rrs++] = *e;
	return;
full:
	m->names_used = mark;
	r->n_known = n_known;
}

/* Unpacks the domain name at P into OUT; it must end exactly at END, or
 * (EXACT false) no later than END. */
static int unpack_in(const struct reader *r, const unsigned char *p, const unsigned char *end,
		     bool exact, unsigned char out[NS_MAXCDNAME])
{
	int used = ns_name_unpack(r->base, r->eom, p, out, NS_MAXCDNAME);

	return used >= 0 && (exact ? p + used == end : p + used <= end) ? 0 : -1;
}

/* Validates one record and indexes it; -1 only for a malformed record. */
static int take_record(struct mxf_dnsmsg *m, struct reader *r, ns_sect section,
		       const struct rr *rr)
{
	const unsigned char *end = rr->rdata + rr->rdlen;
	struct mxf_dnsrr e = { .ttl = rr->ttl, .type = rr->type, .section = (uint8_t)section };
	unsigned char target[NS_MAXCDNAME];

	/* As nss_dns's getanswer_r: an address of the wrong size is skipped,
	 * and bytes after a CNAME's target are not read. */
	switch (e.type) {
	case ns_t_a:
	case ns_t_aaaa: {
		size_t size = e.type == ns_t_a ? 4 : 16;
		if (rr->rdlen != size)
			return 0;
		memcpy(e.addr, rr->rdata, size);
		index_record(m, r, &e, rr, NULL, NULL);
		return 0;
	}
	case ns_t_cname:
		if (unpack_in(r, rr->rdata, end, false, target) != 0)
			return -1;
		index_record(m, r, &e, rr, target, rr->rdata);
		return 0;
	case ns_t_mx:
		if (rr->rdlen < 3 || unpack_in(r, rr->rdata + 2, end, true, target) != 0)
			return -1;
		e.preference = ns_get16(rr->rdata);
		index_record(m, r, &e, rr, target, rr->rdata + 2);
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
 * readers use makes the answer section unusable as a whole (-1).  In an
 * MX reply's additional section it is only glue missing: left out, and a
 * record that cannot even be stepped over ends the section's reading, as
 * nss_dns never reads that section at all (the exchanger is then asked for
 * its addresses). */
static int read_section(struct mxf_dnsmsg *m, struct reader *r, ns_sect section, unsigned count)
{
	bool must_parse = section == ns_s_an;
	struct rr rr;

	for (unsigned i = 0; i < count; i++) {
		const unsigned char *at = r->p;
		int skip;
		if (next_rr(r, &rr) != 0) {
			if (must_parse || (skip = ns_skiprr(at, r->eom, section, 1)) < 0)
				return must_parse ? -1 : 0;
			r->p = at + skip;
			continue;
		}
		if (rr.class != ns_c_in || !record_read(m, section, rr.type))
			continue;
		if (take_record(m, r, section, &rr) != 0 && must_parse)
			return -1;
	}
	return 0;
}

/* The header and the question (RFC 1035 §4.1.1, §4.1.2).  The question's
 * name is also the name room's first, for the owners that point at it. */
static int read_question(struct mxf_dnsmsg *m, struct reader *r)
{
	unsigned flags;
	int n;

	if (r->eom - r->p < NS_HFIXEDSZ)
		return -1;
	flags = ns_get16(r->p + 2);
	/* A response (QR), to a standard query (opcode 0), of one question. */
	if ((flags & 0x8000) == 0 || (flags & 0x7800) != 0 || ns_get16(r->p + 4) != 1)
		return -1;
	m->ancount = ns_get16(r->p + 6);
	m->arcount = ns_get16(r->p + 10);
	r->p += NS_HFIXEDSZ;
	n = ns_name_unpack(r->base, r->eom, r->p, m->qname, sizeof(m->qname));
	if (n < 0 || r->eom - (r->p + n) < NS_QFIXEDSZ)
		return -1;
	know(r, r->p, keep(m, m->qname, wire_len(m->qname)));
	r->p += n;
	m->qtype = ns_get16(r->p);
	if (ns_get16(r->p + 2) != ns_c_in)
		return -1;
	r->p += NS_QFIXEDSZ;
	return 0;
}

int mxf_dnsmsg_open(struct mxf_dnsmsg *m, const unsigned char *msg, size_t len)
{
	struct reader r = { .base = msg, .p = msg, .eom = msg + len, .n_known = 0 };
	int nscount;

	m->n_rrs = 0;
	m->names_used = 0;
	if (len > NS_MAXMSG || read_question(m, &r) != 0 ||
	    read_section(m, &r, ns_s_an, m->ancount) != 0)
		return -1;
	/* nss_dns's getanswer_r reads nothing after the answer section, and
	 * nothing there fails a reply.  An MX reply's glue is read as far as
	 * it can be, after the authority section. */
	if (m->qtype != ns_t_mx)
		return 0;
	nscount = ns_get16(msg + 8);
	if (nscount > 0 && (nscount = ns_skiprr(r.p, r.eom, ns_s_ns, nscount)) < 0)
		return 0;
	r.p += nscount;
	return read_section(m, &r, ns_s_ar, m->arcount);
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
	/* The question's name is the name room's first too (read_question):
	 * an owner that pointed at either is the same copy, and so is an
	 * exchanger's glue that pointed at its MX record (known_name). */
	if (name == m->qname)
		name = m->names;
	while (*from < m->n_rrs) {
		const struct mxf_dnsrr *r = &m->rrs[(*from)++];
		const unsigned char *owner = name_at(m, r->owner);
		if (r->section == section && r->type == type &&
		    (owner == name || same_name(owner, name)))
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
		       unsigned max, char *text, size_t size)
{
	const struct mxf_dnsrr *r;
	unsigned from = 0, n = 0;
	size_t used = 0;

	while (n < max && (r = next_record(m, &from, ns_s_an, ns_t_mx, owner)) != NULL) {
		const unsigned char *host = name_at(m, r->target);
		int len = ns_name_ntop(host, text + used, size - used);
		if (len < 0)
			break; /* TEXT is full: the rest is left out, as past MAX */
		out[n].preference = r->preference;
		out[n].ttl = r->ttl;
		out[n].host_wire = host;
		/* The root is "."; the null MX wants it empty. */
		out[n].host = host[0] == 0 ? "" : text + used;
		used += (size_t)len; /* ns_name_ntop counts the NUL */
		n++;
	}
	return n;
}

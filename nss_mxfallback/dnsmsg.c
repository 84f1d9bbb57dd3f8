#include "dnsmsg.h"

#include <netinet/in.h>
#include <resolv.h>
#include <stdbool.h>
#include <string.h>

/* Names here all come from ns_name_uncompress, so equal names are equal
 * strings but for ASCII case (RFC 4343; never the locale's case rules). */
static bool same_name(const char *a, const char *b)
{
	/* Servers mostly keep the asker's case: try the cheap exact match. */
	if (strcmp(a, b) == 0)
		return true;
	for (;; a++, b++) {
		unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
		if (x >= 'A' && x <= 'Z')
			x = (unsigned char)(x + 32);
		if (y >= 'A' && y <= 'Z')
			y = (unsigned char)(y + 32);
		if (x != y)
			return false;
		if (x == '\0')
			return true;
	}
}

/* Expands the domain name at P, which must end exactly at END. */
static int expand_exact(const ns_msg *h, const unsigned char *p, const unsigned char *end,
			char out[NS_MAXDNAME])
{
	int used = ns_name_uncompress(ns_msg_base(*h), ns_msg_end(*h), p, out, NS_MAXDNAME);

	return used >= 0 && p + used == end ? 0 : -1;
}

/* Copies NAME into M's name room; its offset, or -1 when the room is full. */
static int keep_name(struct mxf_dnsmsg *m, const char *name)
{
	size_t len = strlen(name) + 1;

	if (len > sizeof(m->names) - m->names_used)
		return -1;
	memcpy(m->names + m->names_used, name, len);
	m->names_used += len;
	return (int)(m->names_used - len);
}

/* Adds E, owned by OWNER (and pointing at TARGET, for CNAME and MX), to the
 * index while there is room; a record that does not fit is left out whole.
 * Records of one owner mostly come together: the owner is kept once. */
static void index_record(struct mxf_dnsmsg *m, struct mxf_dnsrr *e, const char *owner,
			 const char *target)
{
	const struct mxf_dnsrr *prev = m->n_rrs > 0 ? &m->rrs[m->n_rrs - 1] : NULL;
	size_t mark = m->names_used;
	int at;

	if (m->n_rrs == MXF_DNSMSG_MAX_RRS)
		return;
	if (prev != NULL && strcmp(m->names + prev->owner, owner) == 0)
		at = prev->owner;
	else if ((at = keep_name(m, owner)) < 0)
		return;
	e->owner = (uint16_t)at;
	if (target != NULL) {
		if ((at = keep_name(m, target)) < 0) {
			m->names_used = mark;
			return;
		}
		e->target = (uint16_t)at;
	}
	m->rrs[m->n_rrs++] = *e;
}

/* Validates one parsed record and indexes it when the readers use it;
 * -1 only for a malformed record. */
static int take_record(struct mxf_dnsmsg *m, ns_sect section, const ns_rr *rr)
{
	const unsigned char *rd = ns_rr_rdata(*rr);
	const unsigned char *end = rd + ns_rr_rdlen(*rr);
	struct mxf_dnsrr e = { .ttl = ns_rr_ttl(*rr), .type = (uint16_t)ns_rr_type(*rr),
			       .section = (uint8_t)section };
	char target[NS_MAXDNAME];

	if (ns_rr_class(*rr) != ns_c_in)
		return 0;
	switch (e.type) {
	case ns_t_a:
	case ns_t_aaaa: {
		size_t size = e.type == ns_t_a ? 4 : 16;
		if (ns_rr_rdlen(*rr) != size)
			return -1;
		memcpy(e.addr, rd, size);
		index_record(m, &e, ns_rr_name(*rr), NULL);
		return 0;
	}
	case ns_t_cname:
		if (expand_exact(&m->handle, rd, end, target) != 0)
			return -1;
		index_record(m, &e, ns_rr_name(*rr), target);
		return 0;
	case ns_t_mx:
		if (ns_rr_rdlen(*rr) < 3 || expand_exact(&m->handle, rd + 2, end, target) != 0)
			return -1;
		e.preference = ns_get16(rd);
		index_record(m, &e, ns_rr_name(*rr), target);
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

/* Parses every record of SECTION once, in order (ns_parserr is cheapest
 * walked forward).  A bad record the readers use makes the answer section
 * unusable as a whole; in the additional section it is only glue missing,
 * so it is skipped, as nss_dns never reads that section at all (the
 * exchanger is then asked for its addresses). */
static int read_section(struct mxf_dnsmsg *m, ns_sect section)
{
	bool must_parse = section == ns_s_an;
	ns_rr rr;

	for (int i = 0; i < ns_msg_count(m->handle, section); i++) {
		if (ns_parserr(&m->handle, section, i, &rr) != 0) {
			if (must_parse)
				return -1;
			continue;
		}
		if (!record_read(m, section, (uint16_t)ns_rr_type(rr)))
			continue;
		if (take_record(m, section, &rr) != 0 && must_parse)
			return -1;
	}
	return 0;
}

int mxf_dnsmsg_open(struct mxf_dnsmsg *m, const unsigned char *msg, size_t len)
{
	ns_rr q;

	m->n_rrs = 0;
	m->names_used = 0;
	/* ns_initparse walks every record and rejects trailing bytes. */
	if (len > NS_MAXMSG || ns_initparse(msg, (int)len, &m->handle) != 0)
		return -1;
	if (!ns_msg_getflag(m->handle, ns_f_qr) || ns_msg_getflag(m->handle, ns_f_opcode) != 0 ||
	    ns_msg_count(m->handle, ns_s_qd) != 1)
		return -1;
	if (ns_parserr(&m->handle, ns_s_qd, 0, &q) != 0 || ns_rr_class(q) != ns_c_in)
		return -1;
	strcpy(m->qname, ns_rr_name(q));
	m->qtype = ns_rr_type(q);
	if (read_section(m, ns_s_an) != 0)
		return -1;
	/* Only an MX reply's additional section is read: the exchangers' glue. */
	if (m->qtype == ns_t_mx && read_section(m, ns_s_ar) != 0)
		return -1;
	return 0;
}

static const char *name_at(const struct mxf_dnsmsg *m, uint16_t at)
{
	return m->names + at;
}

/* The record of TYPE owned by NAME in SECTION from index entry *FROM on,
 * advancing *FROM past it; NULL when there is none. */
static const struct mxf_dnsrr *next_record(const struct mxf_dnsmsg *m, unsigned *from,
					   ns_sect section, uint16_t type, const char *name)
{
	while (*from < m->n_rrs) {
		const struct mxf_dnsrr *r = &m->rrs[(*from)++];
		if (r->section == section && r->type == type && same_name(name_at(m, r->owner), name))
			return r;
	}
	return NULL;
}

int mxf_dnsmsg_follow_cnames(const struct mxf_dnsmsg *m, const char *name,
			     char canon[NS_MAXDNAME], struct mxf_answer *ans, uint32_t *ttl)
{
	size_t len = strlen(name);

	if (len >= NS_MAXDNAME)
		return -1;
	memcpy(canon, name, len + 1);
	for (int hops = 0; hops <= MXF_MAX_CNAME_HOPS; hops++) {
		unsigned from = 0;
		const struct mxf_dnsrr *r = next_record(m, &from, ns_s_an, ns_t_cname, canon);
		if (r == NULL)
			return hops;
		if (r->ttl < *ttl)
			*ttl = r->ttl;
		if (ans != NULL)
			mxf_answer_add_alias(ans, canon);
		strcpy(canon, name_at(m, r->target));
	}
	return -1;
}

unsigned mxf_dnsmsg_addresses(const struct mxf_dnsmsg *m, ns_sect section, const char *owner,
			      int family, struct mxf_answer *ans)
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

unsigned mxf_dnsmsg_mx(const struct mxf_dnsmsg *m, const char *owner, struct mxf_mx *out,
		       unsigned max)
{
	const struct mxf_dnsrr *r;
	unsigned from = 0, n = 0;

	while (n < max && (r = next_record(m, &from, ns_s_an, ns_t_mx, owner)) != NULL) {
		const char *host = name_at(m, r->target);
		out[n].preference = r->preference;
		out[n].ttl = r->ttl;
		/* libresolv writes the root as "."; the null MX wants it empty. */
		out[n].host = strcmp(host, ".") == 0 ? "" : host;
		n++;
	}
	return n;
}

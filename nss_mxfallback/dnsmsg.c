#include "dnsmsg.h"

#include <netinet/in.h>
#include <resolv.h>
#include <stdbool.h>
#include <string.h>

/* Names here all come from ns_name_uncompress, so equal names are equal
 * strings but for ASCII case (RFC 4343; never the locale's case rules). */
static bool same_name(const char *a, const char *b)
{
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

static int check_record(const ns_msg *h, const ns_rr *rr)
{
	const unsigned char *rd = ns_rr_rdata(*rr);
	const unsigned char *end = rd + ns_rr_rdlen(*rr);
	char name[NS_MAXDNAME];

	if (ns_rr_class(*rr) != ns_c_in)
		return 0;
	switch (ns_rr_type(*rr)) {
	case ns_t_a:
		return ns_rr_rdlen(*rr) == 4 ? 0 : -1;
	case ns_t_aaaa:
		return ns_rr_rdlen(*rr) == 16 ? 0 : -1;
	case ns_t_cname:
		return expand_exact(h, rd, end, name);
	case ns_t_mx:
		return ns_rr_rdlen(*rr) >= 3 ? expand_exact(h, rd + 2, end, name) : -1;
	default:
		return 0;
	}
}

static int check_section(ns_msg *h, ns_sect section)
{
	ns_rr rr;

	for (int i = 0; i < ns_msg_count(*h, section); i++)
		if (ns_parserr(h, section, i, &rr) != 0 || check_record(h, &rr) != 0)
			return -1;
	return 0;
}

int mxf_dnsmsg_open(struct mxf_dnsmsg *m, const unsigned char *msg, size_t len)
{
	ns_rr q;

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
	if (check_section(&m->handle, ns_s_an) != 0 || check_section(&m->handle, ns_s_ns) != 0 ||
	    check_section(&m->handle, ns_s_ar) != 0)
		return -1;
	return 0;
}

/* Finds the CNAME owned by NAME in the answer section; 1 found, 0 none. */
static int find_cname(const struct mxf_dnsmsg *m, const char *name, char target[NS_MAXDNAME],
		      uint32_t *ttl)
{
	ns_msg h = m->handle; /* ns_parserr moves a cursor: keep M const */
	ns_rr rr;

	for (int i = 0; i < ns_msg_count(h, ns_s_an); i++) {
		if (ns_parserr(&h, ns_s_an, i, &rr) != 0)
			return 0;
		if (ns_rr_type(rr) != ns_t_cname || ns_rr_class(rr) != ns_c_in ||
		    !same_name(ns_rr_name(rr), name))
			continue;
		if (expand_exact(&h, ns_rr_rdata(rr), ns_rr_rdata(rr) + ns_rr_rdlen(rr), target) != 0)
			return 0;
		if (ns_rr_ttl(rr) < *ttl)
			*ttl = ns_rr_ttl(rr);
		return 1;
	}
	return 0;
}

int mxf_dnsmsg_follow_cnames(const struct mxf_dnsmsg *m, const char *name,
			     char canon[NS_MAXDNAME], struct mxf_answer *ans, uint32_t *ttl)
{
	char target[NS_MAXDNAME];
	size_t len = strlen(name);

	if (len >= NS_MAXDNAME)
		return -1;
	memcpy(canon, name, len + 1);
	for (int hops = 0; hops <= MXF_MAX_CNAME_HOPS; hops++) {
		if (find_cname(m, canon, target, ttl) == 0)
			return hops;
		if (ans != NULL)
			mxf_answer_add_alias(ans, canon);
		strcpy(canon, target);
	}
	return -1;
}

unsigned mxf_dnsmsg_addresses(const struct mxf_dnsmsg *m, ns_sect section, const char *owner,
			      int family, struct mxf_answer *ans)
{
	ns_msg h = m->handle;
	ns_type type = family == AF_INET ? ns_t_a : ns_t_aaaa;
	unsigned found = 0;
	ns_rr rr;

	for (int i = 0; i < ns_msg_count(h, section); i++) {
		if (ns_parserr(&h, section, i, &rr) != 0)
			break;
		if (ns_rr_type(rr) != type || ns_rr_class(rr) != ns_c_in ||
		    !same_name(ns_rr_name(rr), owner))
			continue;
		found++;
		mxf_answer_add_address(ans, family, ns_rr_rdata(rr));
		mxf_answer_lower_ttl(ans, ns_rr_ttl(rr));
	}
	return found;
}

unsigned mxf_dnsmsg_mx(const struct mxf_dnsmsg *m, const char *owner, struct mxf_mx *out,
		       unsigned max)
{
	ns_msg h = m->handle;
	unsigned n = 0;
	ns_rr rr;

	for (int i = 0; i < ns_msg_count(h, ns_s_an) && n < max; i++) {
		if (ns_parserr(&h, ns_s_an, i, &rr) != 0)
			break;
		if (ns_rr_type(rr) != ns_t_mx || ns_rr_class(rr) != ns_c_in ||
		    !same_name(ns_rr_name(rr), owner))
			continue;
		const unsigned char *rd = ns_rr_rdata(rr);
		if (expand_exact(&h, rd + 2, rd + ns_rr_rdlen(rr), out[n].host) != 0)
			continue;
		out[n].preference = ns_get16(rd);
		out[n].ttl = ns_rr_ttl(rr);
		/* libresolv writes the root as "."; the null MX wants it empty. */
		if (strcmp(out[n].host, ".") == 0)
			out[n].host[0] = '\0';
		n++;
	}
	return n;
}

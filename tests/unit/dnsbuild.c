#include "dnsbuild.h"

#include <arpa/inet.h>
#include <check.h>
#include <resolv.h>
#include <string.h>

void db_start(struct dnsbuild *b, const char *qname, int qtype)
{
	int n = res_mkquery(ns_o_query, qname, ns_c_in, qtype, NULL, 0, NULL, b->buf,
			    sizeof(b->buf));

	ck_assert_int_gt(n, 0);
	b->len = (size_t)n;
	b->buf[2] |= 0x80; /* QR: a response */
	memset(b->dnptrs, 0, sizeof(b->dnptrs));
	b->dnptrs[0] = b->buf;
}

static void bump_count(struct dnsbuild *b, ns_sect section)
{
	size_t at = 4 + 2 * (size_t)section;

	ns_put16((uint16_t)(ns_get16(b->buf + at) + 1), b->buf + at);
}

static size_t put_name(struct dnsbuild *b, const char *name)
{
	int n = dn_comp(name, b->buf + b->len, (int)(sizeof(b->buf) - b->len), b->dnptrs,
			b->dnptrs + 63);

	ck_assert_int_gt(n, 0);
	b->len += (size_t)n;
	return (size_t)n;
}

void db_rr(struct dnsbuild *b, ns_sect section, const char *owner, int type, uint32_t ttl,
	   const void *rdata, size_t rdlen)
{
	put_name(b, owner);
	ck_assert_uint_le(b->len + 10 + rdlen, sizeof(b->buf));
	ns_put16((uint16_t)type, b->buf + b->len);
	ns_put16(ns_c_in, b->buf + b->len + 2);
	ns_put32(ttl, b->buf + b->len + 4);
	ns_put16((uint16_t)rdlen, b->buf + b->len + 8);
	memcpy(b->buf + b->len + 10, rdata, rdlen);
	b->len += 10 + rdlen;
	bump_count(b, section);
}

void db_a(struct dnsbuild *b, ns_sect section, const char *owner, const char *addr, uint32_t ttl)
{
	unsigned char a[4];

	ck_assert_int_eq(inet_pton(AF_INET, addr, a), 1);
	db_rr(b, section, owner, ns_t_a, ttl, a, sizeof(a));
}

void db_aaaa(struct dnsbuild *b, ns_sect section, const char *owner, const char *addr,
	     uint32_t ttl)
{
	unsigned char a[16];

	ck_assert_int_eq(inet_pton(AF_INET6, addr, a), 1);
	db_rr(b, section, owner, ns_t_aaaa, ttl, a, sizeof(a));
}

/* Writes a record whose rdata holds a (compressed) name after PREFIX. */
static void name_rr(struct dnsbuild *b, const char *owner, int type, uint32_t ttl,
		    const unsigned char *prefix, size_t prefix_len, const char *name)
{
	put_name(b, owner);
	size_t head = b->len;
	b->len += 10;
	if (prefix_len > 0)
		memcpy(b->buf + b->len, prefix, prefix_len);
	b->len += prefix_len;
	size_t n = put_name(b, name);
	ns_put16((uint16_t)type, b->buf + head);
	ns_put16(ns_c_in, b->buf + head + 2);
	ns_put32(ttl, b->buf + head + 4);
	ns_put16((uint16_t)(prefix_len + n), b->buf + head + 8);
	bump_count(b, ns_s_an);
}

void db_mx(struct dnsbuild *b, const char *owner, uint16_t pref, const char *host, uint32_t ttl)
{
	unsigned char p[2];

	ns_put16(pref, p);
	name_rr(b, owner, ns_t_mx, ttl, p, 2, host);
}

void db_cname(struct dnsbuild *b, const char *owner, const char *target, uint32_t ttl)
{
	name_rr(b, owner, ns_t_cname, ttl, NULL, 0, target);
}

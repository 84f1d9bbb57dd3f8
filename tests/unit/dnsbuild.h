/* Builds DNS responses for the tests: the question by res_mkquery, records
 * appended with dn_comp (so names are compressed as a server would). */
#ifndef DNSBUILD_H
#define DNSBUILD_H

#include <arpa/nameser.h>
#include <stddef.h>
#include <stdint.h>

struct dnsbuild {
	unsigned char buf[8192];
	size_t len;
	unsigned char *dnptrs[64];
};

/* A NOERROR response to QNAME/QTYPE with no records yet. */
void db_start(struct dnsbuild *b, const char *qname, int qtype);
/* Records go in section order: answers, then authority, then additional. */
void db_rr(struct dnsbuild *b, ns_sect section, const char *owner, int type, uint32_t ttl,
	   const void *rdata, size_t rdlen);
void db_a(struct dnsbuild *b, ns_sect section, const char *owner, const char *addr, uint32_t ttl);
void db_aaaa(struct dnsbuild *b, ns_sect section, const char *owner, const char *addr,
	     uint32_t ttl);
void db_mx(struct dnsbuild *b, const char *owner, uint16_t pref, const char *host, uint32_t ttl);
void db_cname(struct dnsbuild *b, const char *owner, const char *target, uint32_t ttl);

#endif

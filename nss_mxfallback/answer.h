/* The neutral result every stage fills and the packer converts: a name,
 * its aliases, addresses in order, and the TTL they may be cached for.
 * Knows nothing of hostent, gaih_addrtuple or NSS statuses. */
#ifndef MXF_ANSWER_H
#define MXF_ANSWER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* nss_dns kept 48 of each; a hostile server's 1000 records are cut here. */
#define MXF_MAX_ADDRS 64
#define MXF_MAX_ALIASES 48
#define MXF_NAME_POOL 4096
#define MXF_TTL_NONE INT32_MAX

struct mxf_address {
	int family; /* AF_INET or AF_INET6 */
	unsigned char bytes[16];
};

struct mxf_answer {
	uint32_t ttl; /* smallest TTL of what was used; MXF_TTL_NONE when unknown */
	unsigned n_addrs;
	struct mxf_address addrs[MXF_MAX_ADDRS];
	unsigned n_aliases;
	uint16_t alias_at[MXF_MAX_ALIASES]; /* offsets into pool */
	bool has_name;
	uint16_t name_at;
	size_t pool_used;
	char pool[MXF_NAME_POOL];
};

void mxf_answer_init(struct mxf_answer *ans);
const char *mxf_answer_name(const struct mxf_answer *ans);
const char *mxf_answer_alias(const struct mxf_answer *ans, unsigned i);

/* Each returns 0, or -1 when the answer is full (the item is dropped). */
int mxf_answer_set_name(struct mxf_answer *ans, const char *name);
/* Case-insensitive duplicates of the name or an alias are skipped. */
int mxf_answer_add_alias(struct mxf_answer *ans, const char *alias);
/* Duplicate addresses are skipped. */
int mxf_answer_add_address(struct mxf_answer *ans, int family, const void *bytes);

void mxf_answer_lower_ttl(struct mxf_answer *ans, uint32_t ttl);
unsigned mxf_answer_count_family(const struct mxf_answer *ans, int family);

#endif

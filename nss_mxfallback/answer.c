#include "answer.h"

#include <netinet/in.h>
#include <string.h>
#include <strings.h>

void mxf_answer_init(struct mxf_answer *ans)
{
	ans->ttl = MXF_TTL_NONE;
	ans->n_addrs = 0;
	ans->n_aliases = 0;
	ans->has_name = false;
	ans->name_at = 0;
	ans->pool_used = 0;
}

const char *mxf_answer_name(const struct mxf_answer *ans)
{
	return ans->has_name ? ans->pool + ans->name_at : NULL;
}

const char *mxf_answer_alias(const struct mxf_answer *ans, unsigned i)
{
	return ans->pool + ans->alias_at[i];
}

static int pool_add(struct mxf_answer *ans, const char *s, uint16_t *at)
{
	size_t len = strlen(s) + 1;

	if (len > MXF_NAME_POOL - ans->pool_used)
		return -1;
	memcpy(ans->pool + ans->pool_used, s, len);
	*at = (uint16_t)ans->pool_used;
	ans->pool_used += len;
	return 0;
}

int mxf_answer_set_name(struct mxf_answer *ans, const char *name)
{
	if (pool_add(ans, name, &ans->name_at) != 0)
		return -1;
	ans->has_name = true;
	return 0;
}

static bool known_name(const struct mxf_answer *ans, const char *name)
{
	if (ans->has_name && strcasecmp(mxf_answer_name(ans), name) == 0)
		return true;
	for (unsigned i = 0; i < ans->n_aliases; i++)
		if (strcasecmp(mxf_answer_alias(ans, i), name) == 0)
			return true;
	return false;
}

int mxf_answer_add_alias(struct mxf_answer *ans, const char *alias)
{
	if (known_name(ans, alias))
		return 0;
	if (ans->n_aliases == MXF_MAX_ALIASES)
		return -1;
	if (pool_add(ans, alias, &ans->alias_at[ans->n_aliases]) != 0)
		return -1;
	ans->n_aliases++;
	return 0;
}

static size_t address_size(int family)
{
	return family == AF_INET ? 4 : 16;
}

int mxf_answer_add_address(struct mxf_answer *ans, int family, const void *bytes)
{
	size_t size = address_size(family);

	for (unsigned i = 0; i < ans->n_addrs; i++)
		if (ans->addrs[i].family == family && memcmp(ans->addrs[i].bytes, bytes, size) == 0)
			return 0;
	if (ans->n_addrs == MXF_MAX_ADDRS)
		return -1;
	struct mxf_address *a = &ans->addrs[ans->n_addrs++];
	memset(a, 0, sizeof(*a));
	a->family = family;
	memcpy(a->bytes, bytes, size);
	return 0;
}

void mxf_answer_lower_ttl(struct mxf_answer *ans, uint32_t ttl)
{
	if (ttl < ans->ttl)
		ans->ttl = ttl;
}

unsigned mxf_answer_count_family(const struct mxf_answer *ans, int family)
{
	unsigned n = 0;

	for (unsigned i = 0; i < ans->n_addrs; i++)
		n += ans->addrs[i].family == family;
	return n;
}

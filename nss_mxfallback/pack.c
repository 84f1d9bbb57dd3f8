#include "pack.h"

#include <stdalign.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

static size_t pad_for(const char *buf, size_t align)
{
	return (align - (uintptr_t)buf % align) % align;
}

static size_t address_size(int family)
{
	return family == AF_INET ? 4 : 16;
}

static size_t names_size(const struct mxf_answer *ans)
{
	size_t n = strlen(mxf_answer_name(ans)) + 1;

	for (unsigned i = 0; i < ans->n_aliases; i++)
		n += strlen(mxf_answer_alias(ans, i)) + 1;
	return n;
}

bool mxf_pack_usable(const struct mxf_answer *ans, int family)
{
	if (mxf_answer_name(ans) == NULL)
		return false;
	return family == AF_UNSPEC ? ans->n_addrs > 0 : mxf_answer_count_family(ans, family) > 0;
}

size_t mxf_pack_hostent_size(const struct mxf_answer *ans, int family, const char *buf)
{
	size_t n_addrs = mxf_answer_count_family(ans, family);

	return pad_for(buf, alignof(char *)) + (ans->n_aliases + 1 + n_addrs + 1) * sizeof(char *) +
	       n_addrs * address_size(family) + names_size(ans);
}

/* Bump allocation over a buffer already known to be big enough. */
static char *take(char **cursor, size_t size)
{
	char *p = *cursor;

	*cursor += size;
	return p;
}

static char *copy_string(char **cursor, const char *s)
{
	size_t len = strlen(s) + 1;

	return memcpy(take(cursor, len), s, len);
}

int mxf_pack_hostent(const struct mxf_answer *ans, int family, struct hostent *host, char *buf,
		     size_t buflen)
{
	size_t n_addrs = mxf_answer_count_family(ans, family), len = address_size(family);
	char *cursor = buf + pad_for(buf, alignof(char *));
	char **aliases, **addr_list;
	size_t j = 0;

	if (mxf_pack_hostent_size(ans, family, buf) > buflen)
		return -1;
	aliases = (char **)(void *)take(&cursor, (ans->n_aliases + 1) * sizeof(char *));
	addr_list = (char **)(void *)take(&cursor, (n_addrs + 1) * sizeof(char *));
	for (unsigned i = 0; i < ans->n_addrs; i++) {
		if (ans->addrs[i].family != family)
			continue;
		addr_list[j++] = memcpy(take(&cursor, len), ans->addrs[i].bytes, len);
	}
	addr_list[j] = NULL;
	host->h_name = copy_string(&cursor, mxf_answer_name(ans));
	for (unsigned i = 0; i < ans->n_aliases; i++)
		aliases[i] = copy_string(&cursor, mxf_answer_alias(ans, i));
	aliases[ans->n_aliases] = NULL;
	host->h_aliases = aliases;
	host->h_addr_list = addr_list;
	host->h_addrtype = family;
	host->h_length = (int)len;
	return 0;
}

size_t mxf_pack_tuples_size(const struct mxf_answer *ans, bool preallocated, const char *buf)
{
	size_t n = ans->n_addrs - (preallocated && ans->n_addrs > 0 ? 1 : 0);

	return pad_for(buf, alignof(struct gaih_addrtuple)) + n * sizeof(struct gaih_addrtuple) +
	       strlen(mxf_answer_name(ans)) + 1;
}

static void fill_tuple(struct gaih_addrtuple *t, const struct mxf_address *a, char *name)
{
	t->next = NULL;
	t->name = name;
	t->family = a->family;
	memcpy(t->addr, a->bytes, address_size(a->family));
	if (a->family == AF_INET)
		memset((char *)t->addr + 4, 0, sizeof(t->addr) - 4);
	t->scopeid = 0;
}

int mxf_pack_tuples(const struct mxf_answer *ans, struct gaih_addrtuple **pat, char *buf,
		    size_t buflen)
{
	bool preallocated = *pat != NULL;
	char *cursor = buf + pad_for(buf, alignof(struct gaih_addrtuple));
	struct gaih_addrtuple *first, *prev = NULL;
	char *name;

	if (mxf_pack_tuples_size(ans, preallocated, buf) > buflen)
		return -1;
	first = preallocated ? *pat : NULL;
	struct gaih_addrtuple *tuples = (struct gaih_addrtuple *)(void *)take(
		&cursor, (ans->n_addrs - (preallocated ? 1 : 0)) * sizeof(*tuples));
	name = copy_string(&cursor, mxf_answer_name(ans));
	for (unsigned i = 0; i < ans->n_addrs; i++) {
		struct gaih_addrtuple *t = (i == 0 && first != NULL)
						   ? first
						   : &tuples[i - (preallocated ? 1 : 0)];
		fill_tuple(t, &ans->addrs[i], name);
		if (prev != NULL)
			prev->next = t;
		prev = t;
	}
	if (first == NULL)
		*pat = tuples;
	return 0;
}

#include "lmhosts_table.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

void mxf_lm_table_init(struct mxf_lm_table *t)
{
	memset(t, 0, sizeof(*t));
}

void mxf_lm_table_free(struct mxf_lm_table *t)
{
	free(t->entries);
	free(t->by_name);
	free(t->by_addr);
	mxf_lm_table_init(t);
}

/* Multiply-shift over the 15-byte key read as two words; the file is
 * root's, not an attacker's, so speed over collision resistance. */
static uint32_t hash_key(const unsigned char key[MXF_LM_NAME_LEN])
{
	uint64_t a, b = 0;

	memcpy(&a, key, 8);
	memcpy(&b, key + 8, MXF_LM_NAME_LEN - 8);
	uint64_t h = (a * 0x9e3779b97f4a7c15u) ^ (b * 0xc2b2ae3d27d4eb4fu);
	return (uint32_t)(h >> 32) ^ (uint32_t)h;
}

static uint32_t hash_addr(uint32_t addr)
{
	uint64_t h = (uint64_t)addr * 0x9e3779b97f4a7c15u;

	return (uint32_t)(h >> 32);
}

int mxf_lm_table_add(struct mxf_lm_table *t, const struct mxf_lm_line *line, unsigned file,
		     unsigned line_no)
{
	if (t->n_entries == t->cap_entries) {
		uint32_t cap = t->cap_entries ? t->cap_entries * 2 : 64;
		struct mxf_lm_entry *grown;
		if (cap > UINT32_MAX / 4 ||
		    (grown = realloc(t->entries, (size_t)cap * sizeof(*grown))) == NULL)
			return -1;
		t->entries = grown;
		t->cap_entries = cap;
	}
	struct mxf_lm_entry *e = &t->entries[t->n_entries++];
	memcpy(e->key, line->key, MXF_LM_NAME_LEN);
	memcpy(e->spelling, line->spelling, sizeof(e->spelling));
	e->suffix = (int16_t)line->suffix;
	e->multihomed = line->multihomed;
	e->addr = line->addr.s_addr;
	e->file = (uint16_t)file;
	e->line = line_no;
	return 0;
}

int mxf_lm_table_finish(struct mxf_lm_table *t)
{
	uint32_t n = 16;

	while (n < t->n_entries * 2u)
		n *= 2;
	t->by_name = calloc(n, sizeof(uint32_t));
	t->by_addr = calloc(n, sizeof(uint32_t));
	if (t->by_name == NULL || t->by_addr == NULL)
		return -1;
	t->n_buckets = n;
	/* Prepending from the last entry leaves every chain in file order. */
	for (uint32_t i = t->n_entries; i-- > 0;) {
		struct mxf_lm_entry *e = &t->entries[i];
		uint32_t *name_head = &t->by_name[hash_key(e->key) & (n - 1)];
		uint32_t *addr_head = &t->by_addr[hash_addr(e->addr) & (n - 1)];
		e->next_by_name = *name_head;
		e->next_by_addr = *addr_head;
		*name_head = *addr_head = i + 1;
	}
	return 0;
}

static bool answers_host_lookup(const struct mxf_lm_entry *e, const unsigned char *key)
{
	return memcmp(e->key, key, MXF_LM_NAME_LEN) == 0 &&
	       (e->suffix < 0 || e->suffix == 0x00 || e->suffix == 0x20);
}

/* The entries a host lookup of KEY uses, in file order: the first one that
 * answers, and after it, if it is #MH, every later #MH one. */
struct walk {
	uint32_t at;
	unsigned used;
	bool multihomed;
};

static void walk_start(const struct mxf_lm_table *t, const unsigned char *key, struct walk *w)
{
	w->at = t->n_buckets == 0 ? 0 : t->by_name[hash_key(key) & (t->n_buckets - 1)];
	w->used = 0;
	w->multihomed = false;
}

static const struct mxf_lm_entry *walk_next(const struct mxf_lm_table *t,
					    const unsigned char *key, struct walk *w)
{
	if (w->used > 0 && !w->multihomed)
		return NULL;
	while (w->at != 0) {
		const struct mxf_lm_entry *e = &t->entries[w->at - 1];
		w->at = e->next_by_name;
		if (!answers_host_lookup(e, key))
			continue;
		if (w->used == 0)
			w->multihomed = e->multihomed;
		else if (!e->multihomed)
			continue;
		w->used++;
		return e;
	}
	return NULL;
}

unsigned mxf_lm_table_find_name(const struct mxf_lm_table *t,
				const unsigned char key[MXF_LM_NAME_LEN], struct mxf_answer *ans)
{
	const struct mxf_lm_entry *e;
	struct walk w;

	walk_start(t, key, &w);
	while ((e = walk_next(t, key, &w)) != NULL)
		mxf_answer_add_address(ans, AF_INET, &e->addr);
	return w.used;
}

const struct mxf_lm_entry *mxf_lm_table_first(const struct mxf_lm_table *t,
					      const unsigned char key[MXF_LM_NAME_LEN])
{
	struct walk w;

	walk_start(t, key, &w);
	return walk_next(t, key, &w);
}

/* Whether a host lookup of E's name gives E's address. */
static bool forward_gives(const struct mxf_lm_table *t, const struct mxf_lm_entry *e)
{
	const struct mxf_lm_entry *f;
	struct walk w;

	walk_start(t, e->key, &w);
	while ((f = walk_next(t, e->key, &w)) != NULL)
		if (f->addr == e->addr)
			return true;
	return false;
}

const struct mxf_lm_entry *mxf_lm_table_find_addr(const struct mxf_lm_table *t, uint32_t addr)
{
	if (t->n_buckets == 0)
		return NULL;
	uint32_t at = t->by_addr[hash_addr(addr) & (t->n_buckets - 1)];
	for (; at != 0; at = t->entries[at - 1].next_by_addr) {
		const struct mxf_lm_entry *e = &t->entries[at - 1];
		if (e->addr == addr && forward_gives(t, e))
			return e;
	}
	return NULL;
}

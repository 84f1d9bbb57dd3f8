#include "mxset.h"

static uint32_t next_random(uint32_t *state)
{
	/* xorshift32: enough to spread mail over equal exchangers. */
	uint32_t x = *state != 0 ? *state : 0x9e3779b9u;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

static void sort_by_preference(const struct mxf_mx *mx, unsigned *order, unsigned n)
{
	for (unsigned i = 1; i < n; i++) {
		unsigned v = order[i], j = i;
		for (; j > 0 && mx[order[j - 1]].preference > mx[v].preference; j--)
			order[j] = order[j - 1];
		order[j] = v;
	}
}

static void shuffle_equal_runs(const struct mxf_mx *mx, unsigned *order, unsigned n,
			       uint32_t seed)
{
	for (unsigned start = 0, end; start < n; start = end) {
		for (end = start + 1; end < n; end++)
			if (mx[order[end]].preference != mx[order[start]].preference)
				break;
		for (unsigned i = end - 1; i > start; i--) {
			unsigned j = start + next_random(&seed) % (i - start + 1);
			unsigned t = order[i];
			order[i] = order[j];
			order[j] = t;
		}
	}
}

unsigned mxf_mx_order(const struct mxf_mx *mx, unsigned n, bool all, unsigned max_hosts,
		      uint32_t seed, unsigned *order)
{
	unsigned usable = 0;

	for (unsigned i = 0; i < n; i++)
		if (mx[i].host[0] != '\0')
			order[usable++] = i;
	sort_by_preference(mx, order, usable);
	shuffle_equal_runs(mx, order, usable, seed);
	if (!all)
		for (unsigned i = 1; i < usable; i++)
			if (mx[order[i]].preference != mx[order[0]].preference) {
				usable = i;
				break;
			}
	return usable < max_hosts ? usable : max_hosts;
}

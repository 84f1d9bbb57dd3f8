/* Packing into the caller's buffer at every size from 0 up: below the exact
 * size nothing is written, from it on everything is, and never a byte past
 * the buffer (a marker fills the rest).  Buffers start at every alignment. */
#include "pack.h"
#include "suites.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#define MARK 0xa5
#define ARENA 4096

static struct mxf_answer ans;
static unsigned char *arena;

static void sample_answer(void)
{
	unsigned char a[16];

	mxf_answer_init(&ans);
	mxf_answer_set_name(&ans, "mx1.example.test");
	mxf_answer_add_alias(&ans, "example.test");
	mxf_answer_add_alias(&ans, "www.example.test");
	inet_pton(AF_INET, "192.0.2.1", a);
	mxf_answer_add_address(&ans, AF_INET, a);
	inet_pton(AF_INET6, "2001:db8::1", a);
	mxf_answer_add_address(&ans, AF_INET6, a);
	inet_pton(AF_INET, "192.0.2.2", a);
	mxf_answer_add_address(&ans, AF_INET, a);
}

static void setup(void)
{
	arena = malloc(ARENA);
	sample_answer();
}

static void teardown(void)
{
	free(arena);
}

/* One check assertion per call, not per byte: each ck_assert records its
 * location with a write(2) to the parent, and a per-byte assertion made this
 * suite run for seconds, past check's timeout on a loaded machine. */
static void assert_untouched(const unsigned char *from, size_t n)
{
	size_t i = 0;

	while (i < n && from[i] == MARK)
		i++;
	ck_assert_msg(i == n, "byte %zu past the buffer written", i);
}

static void check_hostent(const struct hostent *h)
{
	char text[INET6_ADDRSTRLEN];

	ck_assert_str_eq(h->h_name, "mx1.example.test");
	ck_assert_str_eq(h->h_aliases[0], "example.test");
	ck_assert_str_eq(h->h_aliases[1], "www.example.test");
	ck_assert_ptr_null(h->h_aliases[2]);
	ck_assert_int_eq(h->h_addrtype, AF_INET);
	ck_assert_int_eq(h->h_length, 4);
	ck_assert_uint_eq((uintptr_t)h->h_addr_list % sizeof(char *), 0);
	ck_assert_str_eq(inet_ntop(AF_INET, h->h_addr_list[0], text, sizeof(text)), "192.0.2.1");
	ck_assert_str_eq(inet_ntop(AF_INET, h->h_addr_list[1], text, sizeof(text)), "192.0.2.2");
	ck_assert_ptr_null(h->h_addr_list[2]);
}

START_TEST(test_hostent_fits_exactly_at_its_size)
{
	unsigned offset = (unsigned)_i; /* buffer start misaligned by 0..7 */
	char *buf = (char *)arena + offset;
	size_t need = mxf_pack_hostent_size(&ans, AF_INET, buf);

	for (size_t len = 0; len <= need + 8; len++) {
		struct hostent h;
		memset(arena, MARK, ARENA);
		int rc = mxf_pack_hostent(&ans, AF_INET, &h, buf, len);
		if (len < need) {
			ck_assert_int_eq(rc, -1);
			assert_untouched((unsigned char *)buf, ARENA - offset);
		} else {
			ck_assert_int_eq(rc, 0);
			check_hostent(&h);
			assert_untouched((unsigned char *)buf + len, ARENA - offset - len);
		}
	}
}
END_TEST

START_TEST(test_hostent_holds_only_the_asked_family)
{
	struct hostent h;
	char *buf = (char *)arena;

	ck_assert_int_eq(mxf_pack_hostent(&ans, AF_INET6, &h, buf, ARENA), 0);
	ck_assert_int_eq(h.h_length, 16);
	ck_assert_ptr_nonnull(h.h_addr_list[0]);
	ck_assert_ptr_null(h.h_addr_list[1]);
}
END_TEST

static void check_tuples(const struct gaih_addrtuple *t)
{
	int families[] = { AF_INET, AF_INET6, AF_INET };
	int n = 0;

	for (; t != NULL; t = t->next, n++) {
		ck_assert_int_lt(n, 3);
		ck_assert_ptr_nonnull(t->name);
		ck_assert_str_eq(t->name, "mx1.example.test");
		ck_assert_int_eq(t->family, families[n]);
		ck_assert_uint_eq(t->scopeid, 0);
		ck_assert_uint_eq((uintptr_t)t % _Alignof(struct gaih_addrtuple), 0);
	}
	ck_assert_int_eq(n, 3);
}

START_TEST(test_tuples_fit_exactly_at_their_size)
{
	unsigned offset = (unsigned)_i;
	char *buf = (char *)arena + offset;
	size_t need = mxf_pack_tuples_size(&ans, false, buf);

	for (size_t len = 0; len <= need + 8; len++) {
		struct gaih_addrtuple *pat = NULL;
		memset(arena, MARK, ARENA);
		int rc = mxf_pack_tuples(&ans, &pat, buf, len);
		if (len < need) {
			ck_assert_int_eq(rc, -1);
			ck_assert_ptr_null(pat);
			assert_untouched((unsigned char *)buf, ARENA - offset);
		} else {
			ck_assert_int_eq(rc, 0);
			check_tuples(pat);
			assert_untouched((unsigned char *)buf + len, ARENA - offset - len);
		}
	}
}
END_TEST

START_TEST(test_preallocated_first_tuple_is_filled_not_replaced)
{
	struct gaih_addrtuple first = { 0 }, *pat = &first;
	char *buf = (char *)arena;
	size_t need = mxf_pack_tuples_size(&ans, true, buf);

	ck_assert_uint_lt(need, mxf_pack_tuples_size(&ans, false, buf));
	ck_assert_int_eq(mxf_pack_tuples(&ans, &pat, buf, need - 1), -1);
	ck_assert_ptr_eq(pat, &first);
	ck_assert_int_eq(mxf_pack_tuples(&ans, &pat, buf, need), 0);
	ck_assert_ptr_eq(pat, &first);
	check_tuples(pat);
}
END_TEST

START_TEST(test_ipv4_tuple_zeroes_the_rest_of_the_address)
{
	struct gaih_addrtuple *pat = NULL;

	memset(arena, MARK, ARENA);
	ck_assert_int_eq(mxf_pack_tuples(&ans, &pat, (char *)arena, ARENA), 0);
	ck_assert_uint_eq(pat->addr[1], 0);
	ck_assert_uint_eq(pat->addr[2], 0);
	ck_assert_uint_eq(pat->addr[3], 0);
}
END_TEST

/* nss.c refuses a FOUND answer mxf_pack_usable rejects, before packing:
 * the packers subtract 1 from n_addrs and strlen() the name. */
START_TEST(test_answer_without_name_or_address_is_not_packable)
{
	unsigned char a[16];

	ck_assert(mxf_pack_usable(&ans, AF_UNSPEC));
	ck_assert(mxf_pack_usable(&ans, AF_INET));
	ck_assert(mxf_pack_usable(&ans, AF_INET6));
	mxf_answer_init(&ans);
	mxf_answer_set_name(&ans, "named.example.test");
	ck_assert(!mxf_pack_usable(&ans, AF_UNSPEC));
	ck_assert(!mxf_pack_usable(&ans, AF_INET));
	inet_pton(AF_INET6, "2001:db8::1", a);
	mxf_answer_add_address(&ans, AF_INET6, a);
	ck_assert(mxf_pack_usable(&ans, AF_UNSPEC));
	ck_assert(mxf_pack_usable(&ans, AF_INET6));
	ck_assert(!mxf_pack_usable(&ans, AF_INET));
	mxf_answer_init(&ans);
	inet_pton(AF_INET, "192.0.2.1", a);
	mxf_answer_add_address(&ans, AF_INET, a);
	ck_assert(!mxf_pack_usable(&ans, AF_UNSPEC));
	ck_assert(!mxf_pack_usable(&ans, AF_INET));
}
END_TEST

Suite *pack_suite(void)
{
	Suite *s = suite_create("pack");
	TCase *tc = tcase_create("pack");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_hostent_fits_exactly_at_its_size, 0, 8);
	tcase_add_test(tc, test_hostent_holds_only_the_asked_family);
	tcase_add_loop_test(tc, test_tuples_fit_exactly_at_their_size, 0, 8);
	tcase_add_test(tc, test_preallocated_first_tuple_is_filled_not_replaced);
	tcase_add_test(tc, test_ipv4_tuple_zeroes_the_rest_of_the_address);
	tcase_add_test(tc, test_answer_without_name_or_address_is_not_packable);
	suite_add_tcase(s, tc);
	return s;
}

/* The neutral answer: duplicates dropped, limits kept, TTL only lowered. */
#include "answer.h"
#include "suites.h"

#include <netinet/in.h>
#include <stdio.h>

static struct mxf_answer ans;

START_TEST(test_duplicate_address_is_kept_once)
{
	mxf_answer_init(&ans);
	ck_assert_int_eq(mxf_answer_add_address(&ans, AF_INET, "\x01\x02\x03\x04"), 0);
	ck_assert_int_eq(mxf_answer_add_address(&ans, AF_INET, "\x01\x02\x03\x04"), 0);
	ck_assert_int_eq(mxf_answer_add_address(&ans, AF_INET6, "\x01\x02\x03\x04"
								 "\0\0\0\0\0\0\0\0\0\0\0\0"), 0);
	ck_assert_uint_eq(ans.n_addrs, 2);
	ck_assert_uint_eq(mxf_answer_count_family(&ans, AF_INET), 1);
	ck_assert_uint_eq(mxf_answer_count_family(&ans, AF_INET6), 1);
}
END_TEST

START_TEST(test_alias_equal_to_name_is_dropped)
{
	mxf_answer_init(&ans);
	ck_assert_ptr_null(mxf_answer_name(&ans));
	mxf_answer_set_name(&ans, "mx.test");
	mxf_answer_add_alias(&ans, "MX.test");
	mxf_answer_add_alias(&ans, "domain.test");
	mxf_answer_add_alias(&ans, "Domain.Test");
	ck_assert_str_eq(mxf_answer_name(&ans), "mx.test");
	ck_assert_uint_eq(ans.n_aliases, 1);
	ck_assert_str_eq(mxf_answer_alias(&ans, 0), "domain.test");
}
END_TEST

START_TEST(test_addresses_stop_at_the_limit)
{
	unsigned char a[4] = { 10, 0, 0, 0 };

	mxf_answer_init(&ans);
	for (unsigned i = 0; i < 1000; i++) {
		a[2] = (unsigned char)(i >> 8);
		a[3] = (unsigned char)i;
		ck_assert_int_eq(mxf_answer_add_address(&ans, AF_INET, a), i < MXF_MAX_ADDRS ? 0 : -1);
	}
	ck_assert_uint_eq(ans.n_addrs, MXF_MAX_ADDRS);
}
END_TEST

START_TEST(test_aliases_stop_when_the_pool_is_full)
{
	char name[300];

	mxf_answer_init(&ans);
	for (unsigned i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "%0250u.test", i);
		mxf_answer_add_alias(&ans, name);
	}
	ck_assert_uint_le(ans.pool_used, MXF_NAME_POOL);
	ck_assert_uint_eq(ans.n_aliases, MXF_NAME_POOL / 256); /* 255 bytes and a NUL each */
	ck_assert_int_eq(mxf_answer_set_name(&ans, name), -1);
}
END_TEST

START_TEST(test_aliases_stop_at_the_limit)
{
	char name[32];

	mxf_answer_init(&ans);
	for (unsigned i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "a%u.test", i);
		ck_assert_int_eq(mxf_answer_add_alias(&ans, name), i < MXF_MAX_ALIASES ? 0 : -1);
	}
	ck_assert_uint_eq(ans.n_aliases, MXF_MAX_ALIASES);
}
END_TEST

START_TEST(test_ttl_is_only_lowered)
{
	mxf_answer_init(&ans);
	ck_assert_uint_eq(ans.ttl, MXF_TTL_NONE);
	mxf_answer_lower_ttl(&ans, 300);
	mxf_answer_lower_ttl(&ans, 600);
	ck_assert_uint_eq(ans.ttl, 300);
	mxf_answer_lower_ttl(&ans, 0);
	ck_assert_uint_eq(ans.ttl, 0);
}
END_TEST

Suite *answer_suite(void)
{
	Suite *s = suite_create("answer");
	TCase *tc = tcase_create("answer");

	tcase_add_test(tc, test_duplicate_address_is_kept_once);
	tcase_add_test(tc, test_alias_equal_to_name_is_dropped);
	tcase_add_test(tc, test_addresses_stop_at_the_limit);
	tcase_add_test(tc, test_aliases_stop_when_the_pool_is_full);
	tcase_add_test(tc, test_aliases_stop_at_the_limit);
	tcase_add_test(tc, test_ttl_is_only_lowered);
	suite_add_tcase(s, tc);
	return s;
}

/* RFC 5321 §5.1 ordering, without DNS (the null MX is mxpolicy's). */
#include "mxset.h"
#include "suites.h"


static struct mxf_mx mx[8];
static unsigned order[8];

static void set(unsigned i, uint16_t pref, const char *host)
{
	mx[i].preference = pref;
	mx[i].ttl = 300;
	mx[i].host = host;
}

START_TEST(test_root_exchange_among_others_is_skipped)
{
	set(0, 0, "");
	set(1, 10, "mx.test");
	ck_assert_uint_eq(mxf_mx_order(mx, 2, true, 5, 1, order), 1);
	ck_assert_uint_eq(order[0], 1);
}
END_TEST

START_TEST(test_best_preference_only_by_default)
{
	set(0, 30, "c");
	set(1, 10, "a");
	set(2, 20, "b");
	ck_assert_uint_eq(mxf_mx_order(mx, 3, false, 5, 7, order), 1);
	ck_assert_uint_eq(order[0], 1);
}
END_TEST

START_TEST(test_all_targets_sorted_lowest_preference_first)
{
	set(0, 30, "c");
	set(1, 10, "a");
	set(2, 20, "b");
	ck_assert_uint_eq(mxf_mx_order(mx, 3, true, 5, 7, order), 3);
	ck_assert_uint_eq(order[0], 1);
	ck_assert_uint_eq(order[1], 2);
	ck_assert_uint_eq(order[2], 0);
}
END_TEST

START_TEST(test_max_hosts_caps_the_list)
{
	set(0, 30, "c");
	set(1, 10, "a");
	set(2, 20, "b");
	ck_assert_uint_eq(mxf_mx_order(mx, 3, true, 2, 7, order), 2);
	ck_assert_uint_eq(order[0], 1);
	ck_assert_uint_eq(order[1], 2);
}
END_TEST

START_TEST(test_equal_preferences_are_shuffled)
{
	unsigned first_seen[3] = { 0 };

	set(0, 10, "a");
	set(1, 10, "b");
	set(2, 10, "c");
	set(3, 5, "best");
	for (uint32_t seed = 1; seed <= 300; seed++) {
		ck_assert_uint_eq(mxf_mx_order(mx, 4, true, 5, seed, order), 4);
		ck_assert_uint_eq(order[0], 3); /* a lower preference is never shuffled */
		first_seen[order[1]]++;
	}
	for (unsigned i = 0; i < 3; i++)
		ck_assert_msg(first_seen[i] > 50, "exchanger %u first only %u times in 300", i,
			      first_seen[i]);
}
END_TEST

START_TEST(test_best_group_keeps_all_equal_exchangers)
{
	set(0, 10, "a");
	set(1, 20, "z");
	set(2, 10, "b");
	ck_assert_uint_eq(mxf_mx_order(mx, 3, false, 5, 99, order), 2);
	ck_assert(order[0] != 1 && order[1] != 1);
}
END_TEST

Suite *mxset_suite(void)
{
	Suite *s = suite_create("mxset");
	TCase *tc = tcase_create("mxset");

	tcase_add_test(tc, test_root_exchange_among_others_is_skipped);
	tcase_add_test(tc, test_best_preference_only_by_default);
	tcase_add_test(tc, test_all_targets_sorted_lowest_preference_first);
	tcase_add_test(tc, test_max_hosts_caps_the_list);
	tcase_add_test(tc, test_equal_preferences_are_shuffled);
	tcase_add_test(tc, test_best_group_keeps_all_equal_exchangers);
	suite_add_tcase(s, tc);
	return s;
}

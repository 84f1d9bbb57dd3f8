/* The wins stage's rules (stages wins alone), against fake NetBIOS name
 * servers: a NAME QUERY REQUEST per server in turn (RFC 1002 §4.2.12),
 * positive and negative answers (§4.2.13, §4.2.14), silence, and replies
 * that are not for this query. */
#include "harness.h"
#include "suites.h"

#include <netdb.h>
#include <sys/socket.h>

static const struct fake_nb_script knows = {
	.kind = FAKE_NB_POSITIVE, .addrs = { "192.0.2.160", NULL }, .ttl = 1234
};
static const struct fake_nb_script knows_not = { .kind = FAKE_NB_NEGATIVE };
static const struct fake_nb_script silent = { .kind = FAKE_NB_SILENT };
static const struct fake_nb_script wrong_id_first = {
	.kind = FAKE_NB_POSITIVE, .addrs = { "192.0.2.160", NULL }, .ttl = 1234,
	.wrong_id_addr = "192.0.2.66"
};

/* One server; 300 ms per attempt, 2 attempts. */
static struct fake_nbns *serve(const struct fake_nb_script *script)
{
	struct fake_nbns *nbns = start_nbns(script);

	harness_config("stages wins\nwins_server 127.0.0.1:%u\nwins_timeout 300\nwins_retries 2\n",
		       fake_nbns_port(nbns));
	return nbns;
}

#ifndef __SANITIZE_ADDRESS__ /* main.c says why */
/* pthread_cancel() while a WINS server or a broadcast is waited for closes
 * the stage's socket: the program's descriptors are as they were. */
START_TEST(test_a_cancelled_wins_lookup_leaves_no_descriptor_open)
{
	struct fake_nbns *nbns = start_nbns(&silent);
	int before;

	harness_config("stages wins\nwins_server 127.0.0.1:%u\nwins_timeout 2000\n",
		       fake_nbns_port(nbns));
	before = open_descriptors();
	call3_cancelled_after("printsrv", 300);
	ck_assert_uint_eq(fake_nbns_count(nbns, NULL, 0), 1); /* it was waiting for a reply */
	ck_assert_int_eq(open_descriptors(), before);
}
END_TEST

START_TEST(test_a_cancelled_bcast_lookup_leaves_no_descriptor_open)
{
	struct fake_nbns *nbns = start_nbns(&silent);
	int before;

	harness_config("stages bcast\nbcast_address 127.0.0.1/32:%u\nbcast_timeout 1500\n",
		       fake_nbns_port(nbns));
	before = open_descriptors();
	call3_cancelled_after("printsrv", 300);
	ck_assert_uint_eq(fake_nbns_count(nbns, NULL, 0), 1);
	ck_assert_int_eq(open_descriptors(), before);
}
END_TEST
#endif

START_TEST(test_positive_answer_gives_its_addresses)
{
	struct fake_nbns *nbns = serve(&knows);
	struct outcome o;

	call3("printsrv", AF_INET, BIG_BUFFER, &o);
	ck_assert_outcome(&o, NSS_STATUS_SUCCESS, 0, NETDB_SUCCESS);
	ck_assert_str_eq(o.name, "printsrv");
	ck_assert_str_eq(o.addrs, "192.0.2.160");
	ck_assert_int_eq(o.ttl, 1234);
	/* The name as Windows asks it: upper case, space padded, suffix 0x00. */
	ck_assert_uint_eq(fake_nbns_count(nbns, "PRINTSRV", 0x00), 1);
	ck_assert_uint_eq(fake_nbns_count(nbns, NULL, 0), 1);
}
END_TEST

START_TEST(test_negative_answer_is_host_not_found_at_once)
{
	struct fake_nbns *nbns = serve(&knows_not);
	struct outcome o;

	call3("printsrv", AF_INET, BIG_BUFFER, &o);
	ck_assert_outcome(&o, NSS_STATUS_NOTFOUND, 0, HOST_NOT_FOUND);
	ck_assert_uint_eq(fake_nbns_count(nbns, NULL, 0), 1); /* not asked again */
}
END_TEST

/* KB 870623: silence for wins_retries x wins_timeout, then the next server. */
START_TEST(test_silent_server_then_the_next_one_answers)
{
	struct fake_nbns *first = start_nbns(&silent), *second = start_nbns(&knows);
	long long start;
	struct outcome o;

	harness_config("stages wins\nwins_server 127.0.0.1:%u 127.0.0.1:%u\n"
		       "wins_timeout 300\nwins_retries 2\n",
		       fake_nbns_port(first), fake_nbns_port(second));
	start = now_ms();
	call3("printsrv", AF_INET, BIG_BUFFER, &o);
	ck_assert_outcome(&o, NSS_STATUS_SUCCESS, 0, NETDB_SUCCESS);
	ck_assert_str_eq(o.addrs, "192.0.2.160");
	ck_assert_uint_eq(fake_nbns_count(first, "PRINTSRV", 0x00), 2);
	ck_assert_uint_eq(fake_nbns_count(second, "PRINTSRV", 0x00), 1);
	ck_assert_int_ge(now_ms() - start, 600);
	ck_assert_int_lt(now_ms() - start, 2000);
}
END_TEST

/* Windows' WinsDownTimeout: a server that stayed silent is skipped by this
 * process for 15 s, so the next lookup does not wait for it again. */
START_TEST(test_silent_server_is_skipped_by_the_next_lookup)
{
	struct fake_nbns *first = start_nbns(&silent), *second = start_nbns(&knows);
	long long start;
	struct outcome o;

	harness_config("stages wins\nwins_server 127.0.0.1:%u 127.0.0.1:%u\n"
		       "wins_timeout 300\nwins_retries 1\n",
		       fake_nbns_port(first), fake_nbns_port(second));
	call3("printsrv", AF_INET, BIG_BUFFER, &o);
	ck_assert_outcome(&o, NSS_STATUS_SUCCESS, 0, NETDB_SUCCESS);
	start = now_ms();
	call3("filesrv", AF_INET, BIG_BUFFER, &o);
	ck_assert_outcome(&o, NSS_STATUS_SUCCESS, 0, NETDB_SUCCESS);
	ck_assert_int_lt(now_ms() - start, 250);
	ck_assert_uint_eq(fake_nbns_count(first, NULL, 0), 1);
	ck_assert_uint_eq(fake_nbns_count(second, "FILESRV", 0x00), 1);
}
END_TEST

/* A reply under another transaction ID is not the answer (RFC 1002 §4.2.1.1). */
START_TEST(test_reply_with_wrong_transaction_id_is_ignored)
{
	serve(&wrong_id_first);
	struct outcome o;

	call3("printsrv", AF_INET, BIG_BUFFER, &o);
	ck_assert_outcome(&o, NSS_STATUS_SUCCESS, 0, NETDB_SUCCESS);
	ck_assert_str_eq(o.addrs, "192.0.2.160");
}
END_TEST

/* NetBIOS names are 1..15 characters; a dotted name is a DNS name. */
static const char *const not_netbios[] = {
	"sixteencharsname", /* 16 */
	"averyveryverylongname",
	"printsrv.test", /* dotted, 13 */
	"a.b",
};

START_TEST(test_long_or_dotted_name_is_not_sent)
{
	struct fake_nbns *nbns = serve(&knows);
	struct outcome o;

	call3(not_netbios[_i], AF_INET, BIG_BUFFER, &o);
	ck_assert_outcome(&o, NSS_STATUS_NOTFOUND, 0, HOST_NOT_FOUND);
	ck_assert_uint_eq(fake_nbns_count(nbns, NULL, 0), 0);
}
END_TEST

/* The longest NetBIOS name, 15 characters, is asked. */
START_TEST(test_fifteen_character_name_is_sent)
{
	struct fake_nbns *nbns = serve(&knows);
	struct outcome o;

	call3("fifteencharname", AF_INET, BIG_BUFFER, &o);
	ck_assert_outcome(&o, NSS_STATUS_SUCCESS, 0, NETDB_SUCCESS);
	ck_assert_uint_eq(fake_nbns_count(nbns, "FIFTEENCHARNAME", 0x00), 1);
}
END_TEST

/* NetBIOS names map to IPv4 addresses only: an IPv6 lookup asks nothing,
 * AF_UNSPEC gets the IPv4 answer. */
START_TEST(test_ipv6_lookup_is_not_sent)
{
	struct fake_nbns *nbns = serve(&knows);
	struct outcome o;

	call3("printsrv", AF_INET6, BIG_BUFFER, &o);
	ck_assert_outcome(&o, NSS_STATUS_NOTFOUND, 0, HOST_NOT_FOUND);
	ck_assert_uint_eq(fake_nbns_count(nbns, NULL, 0), 0);
	call4("printsrv", BIG_BUFFER, &o);
	ck_assert_outcome(&o, NSS_STATUS_SUCCESS, 0, NETDB_SUCCESS);
	ck_assert_str_eq(o.addrs, "192.0.2.160");
}
END_TEST

Suite *wins_suite(void)
{
	Suite *s = suite_create("wins stage");
	TCase *tc = tcase_create("wins");

	tcase_add_checked_fixture(tc, harness_setup, harness_teardown);
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_positive_answer_gives_its_addresses);
	tcase_add_test(tc, test_negative_answer_is_host_not_found_at_once);
	tcase_add_test(tc, test_silent_server_then_the_next_one_answers);
#ifndef __SANITIZE_ADDRESS__ /* main.c says why */
	tcase_add_test(tc, test_a_cancelled_wins_lookup_leaves_no_descriptor_open);
	tcase_add_test(tc, test_a_cancelled_bcast_lookup_leaves_no_descriptor_open);
#endif
	tcase_add_test(tc, test_silent_server_is_skipped_by_the_next_lookup);
	tcase_add_test(tc, test_reply_with_wrong_transaction_id_is_ignored);
	tcase_add_test(tc, test_fifteen_character_name_is_sent);
	tcase_add_test(tc, test_ipv6_lookup_is_not_sent);
	tcase_add_loop_test(tc, test_long_or_dotted_name_is_not_sent, 0,
			    (int)(sizeof(not_netbios) / sizeof(not_netbios[0])));
	suite_add_tcase(s, tc);
	return s;
}

/* Which exchanger the mx stage answers with (README "How the mx stage
 * chooses", RFC 5321 §5.1, RFC 7505, RFC 6761 §6.3), each against a fake
 * DNS server whose replies the case writes.  Expected values are the
 * case's own records; DOMAIN_A, the domain's own address, must never come
 * back where the rule says the domain named an exchanger. */
#include "harness.h"
#include "suites.h"

#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#define DOMAIN "example.test"
#define DOMAIN_A "192.0.2.90"

static struct fake_dns *dns;

static void serve(fake_dns_answer *answer, const char *settings)
{
	dns = start_dns(answer);
	harness_config("dns_server 127.0.0.1:%u\n%s", fake_dns_port(dns), settings);
}

/* The domain's own A record, and NXDOMAIN for every name not answered. */
static void domain_or_nxdomain(struct fake_query *q)
{
	if (fake_asks(q, DOMAIN, ns_t_a))
		db_a(&q->reply, ns_s_an, DOMAIN, DOMAIN_A, 300);
	else
		q->rcode = ns_r_nxdomain;
}

/* The best exchanger is a typo (NXDOMAIN), the backup has glue. */
static void best_is_a_typo(struct fake_query *q)
{
	if (fake_asks(q, DOMAIN, ns_t_mx)) {
		db_mx(&q->reply, DOMAIN, 10, "mail.example.test.example.test", 300);
		db_mx(&q->reply, DOMAIN, 20, "backup.example.test", 300);
		db_a(&q->reply, ns_s_ar, "backup.example.test", "192.0.2.12", 300);
	} else {
		domain_or_nxdomain(q);
	}
}

START_TEST(test_best_exchanger_without_address_gives_the_backup)
{
	struct outcome o;

	serve(best_is_a_typo, "");
	call3(DOMAIN, AF_INET, BIG_BUFFER, &o);
	ck_assert_outcome(&o, NSS_STATUS_SUCCESS, 0, NETDB_SUCCESS);
	ck_assert_str_eq(o.name, "backup.example.test");
	ck_assert_str_eq(o.aliases, DOMAIN);
	ck_assert_str_eq(o.addrs, "192.0.2.12");
	ck_assert_uint_eq(fake_dns_count(dns, DOMAIN, ns_t_a), 0);
}
END_TEST

/* RFC 7505 §3 forbids publishing both; Postfix reads any "." as null MX. */
static void null_mx_in_a_set(struct fake_query *q)
{
	if (fake_asks(q, DOMAIN, ns_t_mx)) {
		db_mx(&q->reply, DOMAIN, 0, ".", 300);
		db_mx(&q->reply, DOMAIN, 10, "mx.example.test", 300);
		db_a(&q->reply, ns_s_ar, "mx.example.test", "192.0.2.11", 300);
	} else {
		domain_or_nxdomain(q);
	}
}

START_TEST(test_null_mx_in_a_set_is_no_data_and_nothing_else_asked)
{
	struct outcome o;

	serve(null_mx_in_a_set, "");
	call3(DOMAIN, AF_INET, BIG_BUFFER, &o);
	ck_assert_outcome(&o, NSS_STATUS_NOTFOUND, 0, NO_DATA);
	call4(DOMAIN, BIG_BUFFER, &o);
	ck_assert_outcome(&o, NSS_STATUS_NOTFOUND, 0, NO_DATA);
	ck_assert_uint_eq(fake_dns_count(dns, NULL, ns_t_any), 2); /* the two MX queries */
}
END_TEST

static void literal_exchanger(struct fake_query *q)
{
	if (fake_asks(q, DOMAIN, ns_t_mx))
		db_mx(&q->reply, DOMAIN, 10, "192.0.2.25", 300);
	else
		domain_or_nxdomain(q);
}

/* Postfix: "numeric domain name in resource data of MX record", and it
 * delivers to that address. */
START_TEST(test_ipv4_literal_exchanger_is_that_address_without_a_query)
{
	struct outcome o;

	serve(literal_exchanger, "");
	call3(DOMAIN, AF_INET, BIG_BUFFER, &o);
	ck_assert_outcome(&o, NSS_STATUS_SUCCESS, 0, NETDB_SUCCESS);
	ck_assert_str_eq(o.addrs, "192.0.2.25");
	ck_assert_uint_eq(fake_dns_count(dns, NULL, ns_t_any), 1);
}
END_TEST

static void localhost_exchanger(struct fake_query *q)
{
	if (fake_asks(q, DOMAIN, ns_t_mx))
		db_mx(&q->reply, DOMAIN, 10, "localhost", 300);
	else
		domain_or_nxdomain(q);
}

START_TEST(test_localhost_exchanger_is_loopback_without_a_query)
{
	struct outcome o;

	serve(localhost_exchanger, "");
	call3(DOMAIN, AF_INET, BIG_BUFFER, &o);
	ck_assert_outcome(&o, NSS_STATUS_SUCCESS, 0, NETDB_SUCCESS);
	ck_assert_str_eq(o.addrs, "127.0.0.1");
	call3(DOMAIN, AF_INET6, BIG_BUFFER, &o);
	ck_assert_outcome(&o, NSS_STATUS_SUCCESS, 0, NETDB_SUCCESS);
	ck_assert_str_eq(o.addrs, "::1");
	ck_assert_uint_eq(fake_dns_count(dns, "localhost", ns_t_any), 0);
	ck_assert_uint_eq(fake_dns_count(dns, NULL, ns_t_any), 2);
}
END_TEST

/* An AAAA glue record of 4 bytes beside a good A glue record. */
static void broken_aaaa_glue(struct fake_query *q)
{
	static const unsigned char four[4] = { 192, 0, 2, 99 };

	if (fake_asks(q, DOMAIN, ns_t_mx)) {
		db_mx(&q->reply, DOMAIN, 10, "mx.example.test", 300);
		db_a(&q->reply, ns_s_ar, "mx.example.test", "192.0.2.11", 300);
		db_rr(&q->reply, ns_s_ar, "mx.example.test", ns_t_aaaa, 300, four, sizeof(four));
	} else {
		domain_or_nxdomain(q);
	}
}

START_TEST(test_a_broken_glue_record_is_skipped)
{
	struct outcome o;

	serve(broken_aaaa_glue, "");
	call3(DOMAIN, AF_INET, BIG_BUFFER, &o);
	ck_assert_outcome(&o, NSS_STATUS_SUCCESS, 0, NETDB_SUCCESS);
	ck_assert_str_eq(o.name, "mx.example.test");
	ck_assert_str_eq(o.addrs, "192.0.2.11");
	ck_assert_uint_eq(fake_dns_count(dns, DOMAIN, ns_t_a), 0);
}
END_TEST

/* The only exchanger does not exist. */
static void no_exchanger_exists(struct fake_query *q)
{
	if (fake_asks(q, DOMAIN, ns_t_mx))
		db_mx(&q->reply, DOMAIN, 10, "nothere.example.test", 300);
	else
		domain_or_nxdomain(q);
}

START_TEST(test_mx_fallback_a_gives_the_domains_address)
{
	struct outcome o;

	serve(no_exchanger_exists, "");
	call3(DOMAIN, AF_INET, BIG_BUFFER, &o);
	ck_assert_outcome(&o, NSS_STATUS_SUCCESS, 0, NETDB_SUCCESS);
	ck_assert_str_eq(o.addrs, DOMAIN_A);
}
END_TEST

/* The same, with the exchanger's NXDOMAIN 400 ms slow.  The harness's
 * resolv.conf (timeout:1 attempts:1, one server) gives one query 1 s, the
 * exchangers together 1 s (README): the fallback's A query comes after
 * them and has the rest of the lookup's 2 s, not what the exchangers left
 * of theirs (600 ms: less than one attempt, so it would not be sent). */
static void slow_exchanger_nxdomain(struct fake_query *q)
{
	if (fake_asks(q, "nothere.example.test", ns_t_a))
		usleep(400 * 1000);
	no_exchanger_exists(q);
}

START_TEST(test_mx_fallback_a_after_slow_exchangers_is_still_asked)
{
	struct outcome o;

	serve(slow_exchanger_nxdomain, "");
	call3(DOMAIN, AF_INET, BIG_BUFFER, &o);
	ck_assert_outcome(&o, NSS_STATUS_SUCCESS, 0, NETDB_SUCCESS);
	ck_assert_str_eq(o.addrs, DOMAIN_A);
	ck_assert_uint_eq(fake_dns_count(dns, DOMAIN, ns_t_a), 1);
}
END_TEST

START_TEST(test_mx_fallback_none_gives_no_data)
{
	struct outcome o;

	serve(no_exchanger_exists, "mx_fallback none\n");
	call3(DOMAIN, AF_INET, BIG_BUFFER, &o);
	ck_assert_outcome(&o, NSS_STATUS_NOTFOUND, 0, NO_DATA);
	ck_assert_uint_eq(fake_dns_count(dns, DOMAIN, ns_t_a), 0);
}
END_TEST

Suite *mxchoice_suite(void)
{
	Suite *s = suite_create("mx stage: which exchanger");
	TCase *tc = tcase_create("mxchoice");

	tcase_add_checked_fixture(tc, harness_setup, harness_teardown);
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_best_exchanger_without_address_gives_the_backup);
	tcase_add_test(tc, test_null_mx_in_a_set_is_no_data_and_nothing_else_asked);
	tcase_add_test(tc, test_ipv4_literal_exchanger_is_that_address_without_a_query);
	tcase_add_test(tc, test_localhost_exchanger_is_loopback_without_a_query);
	tcase_add_test(tc, test_a_broken_glue_record_is_skipped);
	tcase_add_test(tc, test_mx_fallback_a_gives_the_domains_address);
	tcase_add_test(tc, test_mx_fallback_a_after_slow_exchangers_is_still_asked);
	tcase_add_test(tc, test_mx_fallback_none_gives_no_data);
	suite_add_tcase(s, tc);
	return s;
}

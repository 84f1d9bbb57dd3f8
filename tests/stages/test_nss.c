/* The NSS glue: what glibc's callers rely on whatever stage answered —
 * the ERANGE protocol (glibc's manual/nss.texi: TRYAGAIN with errno ERANGE
 * and h_errno NETDB_INTERNAL, then a bigger buffer), families, and a
 * broken config. */
#include "harness.h"
#include "suites.h"

#include <errno.h>
#include <netdb.h>
#include <sys/socket.h>

static struct fake_dns *dns;

static void zone(struct fake_query *q)
{
	if (fake_asks(q, "host.example.test", ns_t_a))
		db_a(&q->reply, ns_s_an, "host.example.test", "192.0.2.80", 300);
	else if (fake_asks(q, "-bad.example.test", ns_t_a))
		db_a(&q->reply, ns_s_an, "-bad.example.test", "192.0.2.81", 300);
	else if (fake_asks(q, "host.example.test", ns_t_aaaa))
		db_aaaa(&q->reply, ns_s_an, "host.example.test", "2001:db8::80", 300);
	else if (q->qtype != ns_t_mx)
		q->rcode = ns_r_nxdomain;
}

static void serve(void)
{
	dns = start_dns(zone);
	harness_config("dns_server 127.0.0.1:%u\n", fake_dns_port(dns));
}

/* Too small for even the name: ERANGE; glibc then doubles the buffer. */
START_TEST(test_small_buffer_is_erange_then_retry_succeeds)
{
	struct outcome o;
	unsigned queries;

	serve();
	call3("host.example.test", AF_INET, 16, &o);
	ck_assert_outcome(&o, NSS_STATUS_TRYAGAIN, ERANGE, NETDB_INTERNAL);
	queries = fake_dns_count(dns, NULL, ns_t_any);
	call3("host.example.test", AF_INET, BIG_BUFFER, &o);
	ck_assert_outcome(&o, NSS_STATUS_SUCCESS, 0, NETDB_SUCCESS);
	ck_assert_str_eq(o.name, "host.example.test");
	ck_assert_str_eq(o.addrs, "192.0.2.80");
	/* README: the retry replays the kept answer, no new query. */
	ck_assert_uint_eq(fake_dns_count(dns, NULL, ns_t_any), queries);
}
END_TEST

/* The kept answer is the thread's last: a reverse lookup between the
 * ERANGE and the retry replaces it, and the retry asks again. */
START_TEST(test_a_reverse_lookup_between_erange_and_retry_is_not_replayed)
{
	static const unsigned char v4[4] = { 192, 0, 2, 80 };
	struct outcome o;
	unsigned queries;

	serve();
	call3("host.example.test", AF_INET, 16, &o);
	ck_assert_outcome(&o, NSS_STATUS_TRYAGAIN, ERANGE, NETDB_INTERNAL);
	call_addr(v4, 4, AF_INET, &o);
	ck_assert_outcome(&o, NSS_STATUS_UNAVAIL, ENOENT, HOST_NOT_FOUND);
	queries = fake_dns_count(dns, NULL, ns_t_any);
	call3("host.example.test", AF_INET, BIG_BUFFER, &o);
	ck_assert_outcome(&o, NSS_STATUS_SUCCESS, 0, NETDB_SUCCESS);
	ck_assert_str_eq(o.addrs, "192.0.2.80");
	ck_assert_uint_gt(fake_dns_count(dns, NULL, ns_t_any), queries);
}
END_TEST

/* gethostbyname3_r sends a name res_hnok refuses (as glibc 2.36's
 * nss_dns does); its kept answer is no answer for gethostbyname2_r, which
 * refuses the name (REFERENCE.md "Name check"). */
START_TEST(test_an_unchecked_answer_is_not_replayed_to_a_checking_call)
{
	struct outcome o;

	serve();
	call3("-bad.example.test", AF_INET, 16, &o);
	ck_assert_outcome(&o, NSS_STATUS_TRYAGAIN, ERANGE, NETDB_INTERNAL);
	call2("-bad.example.test", AF_INET, &o);
	ck_assert_outcome(&o, NSS_STATUS_NOTFOUND, 0, HOST_NOT_FOUND);
}
END_TEST

START_TEST(test_small_buffer_is_erange_for_gethostbyname4)
{
	struct outcome o;

	serve();
	call4("host.example.test", 16, &o);
	ck_assert_outcome(&o, NSS_STATUS_TRYAGAIN, ERANGE, NETDB_INTERNAL);
	call4("host.example.test", BIG_BUFFER, &o);
	ck_assert_outcome(&o, NSS_STATUS_SUCCESS, 0, NETDB_SUCCESS);
	ck_assert_str_eq(o.name, "host.example.test");
	ck_assert_str_eq(sorted_list(o.addrs), "192.0.2.80,2001:db8::80");
}
END_TEST

/* nss_dns without RES_USE_INET6 (ignored since glibc 2.26): IPv4 only. */
START_TEST(test_gethostbyname_r_gives_ipv4_only)
{
	struct outcome o;

	serve();
	call1("host.example.test", &o);
	ck_assert_outcome(&o, NSS_STATUS_SUCCESS, 0, NETDB_SUCCESS);
	ck_assert_str_eq(o.addrs, "192.0.2.80");
	call2("host.example.test", AF_INET6, &o);
	ck_assert_outcome(&o, NSS_STATUS_SUCCESS, 0, NETDB_SUCCESS);
	ck_assert_str_eq(o.addrs, "2001:db8::80");
}
END_TEST

/* nss_dns's gethostbyname3_r: a family it does not know is UNAVAIL,
 * EAFNOSUPPORT, NO_DATA, and nothing is asked. */
START_TEST(test_unknown_family_is_unavail_eafnosupport)
{
	struct outcome o;

	serve();
	call3("host.example.test", AF_UNIX, BIG_BUFFER, &o);
	ck_assert_outcome(&o, NSS_STATUS_UNAVAIL, EAFNOSUPPORT, NO_DATA);
	ck_assert_uint_eq(fake_dns_count(dns, NULL, ns_t_any), 0);
}
END_TEST

/* README: a preallocated first tuple (older nscd) is filled in place. */
START_TEST(test_preallocated_tuple_is_filled_in_place)
{
	struct outcome o;

	serve();
	call4_preallocated("host.example.test", &o);
	ck_assert_outcome(&o, NSS_STATUS_SUCCESS, 0, NETDB_SUCCESS);
	ck_assert_str_eq(o.name, "host.example.test");
	ck_assert_str_eq(sorted_list(o.addrs), "192.0.2.80,2001:db8::80");
}
END_TEST

/* Reverse lookups of what neither the LMHOSTS file nor NetBIOS can know:
 * nss_dns's statuses for a family it refuses (UNAVAIL, EAFNOSUPPORT,
 * NETDB_INTERNAL); for an address of either family, UNAVAIL with ENOENT
 * and HOST_NOT_FOUND, as glibc reads a module without the function, so
 * that `dns` after `[!UNAVAIL=return]` answers the PTR (package.sh checks
 * it on the installed line). */
START_TEST(test_reverse_lookup_statuses)
{
	static const unsigned char v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x80 };
	static const unsigned char v4[4] = { 192, 0, 2, 80 };
	struct outcome o;

	serve();
	nss_dns_call_addr(dns, v4, 4, AF_UNIX, &o);
	ck_assert_outcome(&o, NSS_STATUS_UNAVAIL, EAFNOSUPPORT, NETDB_INTERNAL);
	call_addr(v4, 4, AF_UNIX, &o);
	ck_assert_outcome(&o, NSS_STATUS_UNAVAIL, EAFNOSUPPORT, NETDB_INTERNAL);
	call_addr(v6, 16, AF_INET6, &o);
	ck_assert_outcome(&o, NSS_STATUS_UNAVAIL, ENOENT, HOST_NOT_FOUND);
	call_addr(v4, 4, AF_INET, &o);
	ck_assert_outcome(&o, NSS_STATUS_UNAVAIL, ENOENT, HOST_NOT_FOUND);
	ck_assert_uint_eq(fake_dns_count(dns, NULL, ns_t_any), 0); /* no PTR from the module */
}
END_TEST

/* README: a config that cannot be parsed makes every lookup UNAVAIL with
 * NO_RECOVERY (the next source on the hosts line answers), and sends
 * nothing. */
START_TEST(test_broken_config_is_unavail_no_recovery)
{
	struct outcome o;

	dns = start_dns(zone);
	harness_config("dns_server 127.0.0.1:%u\nno_such_key yes\n", fake_dns_port(dns));
	call3("host.example.test", AF_INET, BIG_BUFFER, &o);
	ck_assert_outcome(&o, NSS_STATUS_UNAVAIL, 0, NO_RECOVERY);
	call4("host.example.test", BIG_BUFFER, &o);
	ck_assert_outcome(&o, NSS_STATUS_UNAVAIL, 0, NO_RECOVERY);
	ck_assert_uint_eq(fake_dns_count(dns, NULL, ns_t_any), 0);
}
END_TEST

Suite *nss_suite(void)
{
	Suite *s = suite_create("nss glue");
	TCase *tc = tcase_create("nss");

	tcase_add_checked_fixture(tc, harness_setup, harness_teardown);
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_small_buffer_is_erange_then_retry_succeeds);
	tcase_add_test(tc, test_small_buffer_is_erange_for_gethostbyname4);
	tcase_add_test(tc, test_a_reverse_lookup_between_erange_and_retry_is_not_replayed);
	tcase_add_test(tc, test_an_unchecked_answer_is_not_replayed_to_a_checking_call);
	tcase_add_test(tc, test_gethostbyname_r_gives_ipv4_only);
	tcase_add_test(tc, test_unknown_family_is_unavail_eafnosupport);
	tcase_add_test(tc, test_preallocated_tuple_is_filled_in_place);
	tcase_add_test(tc, test_reverse_lookup_statuses);
	tcase_add_test(tc, test_broken_config_is_unavail_no_recovery);
	suite_add_tcase(s, tc);
	return s;
}

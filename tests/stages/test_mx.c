/* The mx stage's rules (README "The mx stage in detail", RFC 5321 §5.1,
 * RFC 7505), each against a fake DNS server whose replies the case writes.
 * Expected values are the case's own records, or the statuses glibc's
 * nss_dns gives for the same DNS outcome (README's status table). */
#include "harness.h"
#include "suites.h"

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#define DOMAIN "example.test"
#define DOMAIN_A "192.0.2.90" /* the domain's own address: must not appear */

static struct fake_dns *dns;

/* The fake server, and the config pointing the module at it. */
static void serve(fake_dns_answer *answer, const char *settings)
{
	dns = start_dns(answer);
	harness_config("dns_server 127.0.0.1:%u\n%s", fake_dns_port(dns), settings);
}

/* Every case's domain has its own A record: a case that must not fall
 * back to it shows when it does. */
static bool domain_address(struct fake_query *q)
{
	if (fake_asks(q, DOMAIN, ns_t_a)) {
		db_a(&q->reply, ns_s_an, DOMAIN, DOMAIN_A, 300);
		return true;
	}
	return false;
}

/* Anything a case does not answer does not exist. */
static void nxdomain(struct fake_query *q)
{
	q->rcode = ns_r_nxdomain;
}

static void mx_with_glue(struct fake_query *q)
{
	if (fake_asks(q, DOMAIN, ns_t_mx)) {
		db_mx(&q->reply, DOMAIN, 10, "mail.example.test", 300);
		db_a(&q->reply, ns_s_ar, "mail.example.test", "192.0.2.25", 300);
		db_aaaa(&q->reply, ns_s_ar, "mail.example.test", "2001:db8::25", 300);
	} else if (!domain_address(q)) {
		nxdomain(q);
	}
}

START_TEST(test_mx_with_glue_is_one_query)
{
	struct outcome o;

	serve(mx_with_glue, "");
	call3(DOMAIN, AF_INET, BIG_BUFFER, &o);
	ck_assert_outcome(&o, NSS_STATUS_SUCCESS, 0, NETDB_SUCCESS);
	ck_assert_str_eq(o.name, "mail.example.test");
	ck_assert_str_eq(o.aliases, DOMAIN);
	ck_assert_str_eq(o.addrs, "192.0.2.25");
	ck_assert_int_eq(o.ttl, 300);
	ck_assert_uint_eq(fake_dns_count(dns, DOMAIN, ns_t_mx), 1);
	ck_assert_uint_eq(fake_dns_count(dns, NULL, ns_t_any), 1);
	/* Both families from the additional section: still one query. */
	call4(DOMAIN, BIG_BUFFER, &o);
	ck_assert_outcome(&o, NSS_STATUS_SUCCESS, 0, NETDB_SUCCESS);
	ck_assert_str_eq(o.name, "mail.example.test");
	ck_assert_str_eq(sorted_list(o.addrs), "192.0.2.25,2001:db8::25");
	ck_assert_uint_eq(fake_dns_count(dns, NULL, ns_t_any), 2);
}
END_TEST

static void mx_without_glue(struct fake_query *q)
{
	if (fake_asks(q, DOMAIN, ns_t_mx))
		db_mx(&q->reply, DOMAIN, 10, "mail.other.test", 300);
	else if (fake_asks(q, "mail.other.test", ns_t_a))
		db_a(&q->reply, ns_s_an, "mail.other.test", "198.51.100.200", 120);
	else if (!domain_address(q))
		nxdomain(q);
}

START_TEST(test_mx_without_glue_asks_the_exchanger)
{
	struct outcome o;

	serve(mx_without_glue, "");
	call3(DOMAIN, AF_INET, BIG_BUFFER, &o);
	ck_assert_outcome(&o, NSS_STATUS_SUCCESS, 0, NETDB_SUCCESS);
	ck_assert_str_eq(o.name, "mail.other.test");
	ck_assert_str_eq(o.aliases, DOMAIN);
	ck_assert_str_eq(o.addrs, "198.51.100.200");
	ck_assert_int_eq(o.ttl, 120); /* the smallest TTL of the records used */
	ck_assert_uint_eq(fake_dns_count(dns, "mail.other.test", ns_t_a), 1);
	ck_assert_uint_eq(fake_dns_count(dns, DOMAIN, ns_t_a), 0);
	ck_assert_uint_eq(fake_dns_count(dns, NULL, ns_t_any), 2);
}
END_TEST

/* Three exchangers of three preferences, listed worst first. */
static void three_preferences(struct fake_query *q)
{
	if (fake_asks(q, DOMAIN, ns_t_mx)) {
		db_mx(&q->reply, DOMAIN, 30, "mx3.example.test", 300);
		db_mx(&q->reply, DOMAIN, 10, "mx1.example.test", 300);
		db_mx(&q->reply, DOMAIN, 20, "mx2.example.test", 300);
		db_a(&q->reply, ns_s_ar, "mx3.example.test", "192.0.2.13", 300);
		db_a(&q->reply, ns_s_ar, "mx1.example.test", "192.0.2.11", 300);
		db_a(&q->reply, ns_s_ar, "mx2.example.test", "192.0.2.12", 300);
	} else if (!domain_address(q)) {
		nxdomain(q);
	}
}

START_TEST(test_mx_targets_best_gives_the_best_preference_only)
{
	struct outcome o;

	serve(three_preferences, "");
	call3(DOMAIN, AF_INET, BIG_BUFFER, &o);
	ck_assert_outcome(&o, NSS_STATUS_SUCCESS, 0, NETDB_SUCCESS);
	ck_assert_str_eq(o.name, "mx1.example.test");
	ck_assert_str_eq(o.addrs, "192.0.2.11");
}
END_TEST

START_TEST(test_mx_targets_all_gives_every_exchanger_best_first)
{
	struct outcome o;

	serve(three_preferences, "mx_targets all\n");
	call3(DOMAIN, AF_INET, BIG_BUFFER, &o);
	ck_assert_outcome(&o, NSS_STATUS_SUCCESS, 0, NETDB_SUCCESS);
	ck_assert_str_eq(o.name, "mx1.example.test");
	ck_assert_str_eq(o.addrs, "192.0.2.11,192.0.2.12,192.0.2.13");
}
END_TEST

START_TEST(test_mx_max_hosts_caps_the_exchangers)
{
	struct outcome o;

	serve(three_preferences, "mx_targets all\nmx_max_hosts 2\n");
	call3(DOMAIN, AF_INET, BIG_BUFFER, &o);
	ck_assert_outcome(&o, NSS_STATUS_SUCCESS, 0, NETDB_SUCCESS);
	ck_assert_str_eq(o.addrs, "192.0.2.11,192.0.2.12");
}
END_TEST

static void equal_preferences(struct fake_query *q)
{
	if (fake_asks(q, DOMAIN, ns_t_mx)) {
		db_mx(&q->reply, DOMAIN, 10, "e1.example.test", 300);
		db_mx(&q->reply, DOMAIN, 10, "e2.example.test", 300);
		db_a(&q->reply, ns_s_ar, "e1.example.test", "192.0.2.21", 300);
		db_a(&q->reply, ns_s_ar, "e2.example.test", "192.0.2.22", 300);
	} else if (!domain_address(q)) {
		nxdomain(q);
	}
}

/* RFC 5321 §5.1: equal preferences in random order; both are used. */
START_TEST(test_equal_preferences_give_both_in_random_order)
{
	bool e1_first = false, e2_first = false;
	struct outcome o;

	serve(equal_preferences, "");
	/* Both orders in 24 tries, unless the shuffle is broken: 2^-23. */
	for (int i = 0; i < 24; i++) {
		call3(DOMAIN, AF_INET, BIG_BUFFER, &o);
		ck_assert_outcome(&o, NSS_STATUS_SUCCESS, 0, NETDB_SUCCESS);
		ck_assert_str_eq(sorted_list(o.addrs), "192.0.2.21,192.0.2.22");
		e1_first |= strcmp(o.name, "e1.example.test") == 0;
		e2_first |= strcmp(o.name, "e2.example.test") == 0;
	}
	ck_assert(e1_first);
	ck_assert(e2_first);
}
END_TEST

/* The asked name is an alias of the MX owner: the reply carries the CNAME
 * and the owner's MX (as a recursive server sends it). */
static void cname_to_mx_owner(struct fake_query *q)
{
	if (fake_asks(q, "alias.example.test", ns_t_mx)) {
		db_cname(&q->reply, "alias.example.test", DOMAIN, 300);
		db_mx(&q->reply, DOMAIN, 10, "mail.example.test", 300);
		db_a(&q->reply, ns_s_ar, "mail.example.test", "192.0.2.25", 300);
	} else if (!domain_address(q)) {
		nxdomain(q);
	}
}

START_TEST(test_cname_to_the_mx_owner_is_followed_and_an_alias)
{
	struct outcome o;

	serve(cname_to_mx_owner, "");
	call3("alias.example.test", AF_INET, BIG_BUFFER, &o);
	ck_assert_outcome(&o, NSS_STATUS_SUCCESS, 0, NETDB_SUCCESS);
	ck_assert_str_eq(o.name, "mail.example.test");
	ck_assert_str_eq(sorted_list(o.aliases), "alias.example.test," DOMAIN);
	ck_assert_str_eq(o.addrs, "192.0.2.25");
}
END_TEST

static void null_mx(struct fake_query *q)
{
	if (fake_asks(q, DOMAIN, ns_t_mx))
		db_mx(&q->reply, DOMAIN, 0, ".", 300);
	else if (!domain_address(q))
		nxdomain(q);
}

/* RFC 7505: no mail, and no fallback to the domain's address. */
START_TEST(test_null_mx_is_no_data_without_a_query)
{
	struct outcome o;

	serve(null_mx, "");
	call3(DOMAIN, AF_INET, BIG_BUFFER, &o);
	ck_assert_outcome(&o, NSS_STATUS_NOTFOUND, 0, NO_DATA);
	ck_assert_uint_eq(fake_dns_count(dns, NULL, ns_t_a), 0);
	ck_assert_uint_eq(fake_dns_count(dns, NULL, ns_t_aaaa), 0);
	call4(DOMAIN, BIG_BUFFER, &o);
	ck_assert_outcome(&o, NSS_STATUS_NOTFOUND, 0, NO_DATA);
	ck_assert_uint_eq(fake_dns_count(dns, NULL, ns_t_a), 0);
	ck_assert_uint_eq(fake_dns_count(dns, NULL, ns_t_aaaa), 0);
}
END_TEST

static void no_mx(struct fake_query *q)
{
	if (fake_asks(q, DOMAIN, ns_t_mx))
		return; /* NOERROR, no records: NODATA */
	if (!domain_address(q))
		nxdomain(q);
}

/* RFC 5321 §5.1's implicit MX: the domain's own address.  The dotted name
 * is asked as written first and exists there: the MX walk ends at it (no
 * MX query for DOMAIN.search.test), and the A search ends there too: one
 * query of each, as the issue 13 bench's "name without MX" wants. */
START_TEST(test_no_mx_lets_the_a_stage_answer)
{
	struct outcome o;

	serve(no_mx, "");
	call3(DOMAIN, AF_INET, BIG_BUFFER, &o);
	ck_assert_outcome(&o, NSS_STATUS_SUCCESS, 0, NETDB_SUCCESS);
	ck_assert_str_eq(o.name, DOMAIN);
	ck_assert_str_eq(o.aliases, "");
	ck_assert_str_eq(o.addrs, DOMAIN_A);
	ck_assert_uint_eq(fake_dns_count(dns, DOMAIN, ns_t_mx), 1);
	ck_assert_uint_eq(fake_dns_count(dns, DOMAIN, ns_t_a), 1);
	ck_assert_uint_eq(fake_dns_count(dns, NULL, ns_t_mx), 1);
	ck_assert_uint_eq(fake_dns_count(dns, NULL, ns_t_a), 1);
}
END_TEST

/* An absolute name's NXDOMAIN is final: no address query (RFC 5321 §5.1).
 * A relative one with a dot is asked as written first (alone: NXDOMAIN),
 * then res_search walks (as written again, then in search.test), and its
 * NXDOMAIN may hide a name of the search list without MX (see
 * test_mx_search_nxdomain_as_is_lets_the_a_stage_search): the a stage then
 * searches as nss_dns does (as written, then in search.test: 2 A queries),
 * and the name is still not found. */
START_TEST(test_nxdomain_for_the_mx_sends_no_address_query)
{
	struct outcome o;

	serve(nxdomain, "");
	call3(DOMAIN ".", AF_INET, BIG_BUFFER, &o);
	ck_assert_outcome(&o, NSS_STATUS_NOTFOUND, 0, HOST_NOT_FOUND);
	ck_assert_uint_eq(fake_dns_count(dns, NULL, ns_t_a), 0);
	ck_assert_uint_eq(fake_dns_count(dns, DOMAIN, ns_t_mx), 1);
	call3(DOMAIN, AF_INET, BIG_BUFFER, &o);
	ck_assert_outcome(&o, NSS_STATUS_NOTFOUND, 0, HOST_NOT_FOUND);
	ck_assert_uint_eq(fake_dns_count(dns, NULL, ns_t_mx), 1 + 1 + 2);
	ck_assert_uint_eq(fake_dns_count(dns, NULL, ns_t_a), 2);
}
END_TEST

static void mx_servfail(struct fake_query *q)
{
	if (fake_asks(q, DOMAIN, ns_t_mx))
		q->rcode = ns_r_servfail;
	else if (!domain_address(q))
		nxdomain(q); /* the search list's candidate too */
}

/* A temporary failure must not turn into the domain's own address (the
 * mail would go to the wrong host).  h_errno and errno as nss_dns gives
 * them for the same replies to an A query (test_a.c checks that live):
 * TRY_AGAIN and EAGAIN.  The status is NOTFOUND even where nss_dns says
 * UNAVAIL (an absolute name): the mx stage's verdict is final, and UNAVAIL
 * would hand the name to the next source on the hosts: line (README). */
START_TEST(test_servfail_for_the_mx_is_try_again)
{
	struct outcome o;

	serve(mx_servfail, "");
	call3(DOMAIN, AF_INET, BIG_BUFFER, &o);
	ck_assert_outcome(&o, NSS_STATUS_NOTFOUND, EAGAIN, TRY_AGAIN);
	call3(DOMAIN ".", AF_INET, BIG_BUFFER, &o);
	ck_assert_outcome(&o, NSS_STATUS_NOTFOUND, EAGAIN, TRY_AGAIN);
	call4(DOMAIN, BIG_BUFFER, &o);
	ck_assert_int_eq(o.herr, TRY_AGAIN);
	ck_assert_uint_eq(fake_dns_count(dns, NULL, ns_t_a), 0);
	ck_assert_uint_eq(fake_dns_count(dns, NULL, ns_t_aaaa), 0);
}
END_TEST

static void mx_servfail_everywhere(struct fake_query *q)
{
	if (q->qtype == ns_t_mx)
		q->rcode = ns_r_servfail;
	else if (!domain_address(q))
		nxdomain(q);
}

/* When every candidate of the search list gets SERVFAIL, nss_dns says
 * UNAVAIL, TRY_AGAIN, EAGAIN for an A query (test_a.c's
 * allbroken.example.test, checked live); for the MX query that verdict is
 * final: NOTFOUND with the same h_errno and errno, and no address query. */
START_TEST(test_servfail_on_every_candidate_is_final_try_again)
{
	struct outcome o;

	serve(mx_servfail_everywhere, "");
	call3(DOMAIN, AF_INET, BIG_BUFFER, &o);
	ck_assert_outcome(&o, NSS_STATUS_NOTFOUND, EAGAIN, TRY_AGAIN);
	ck_assert_uint_eq(fake_dns_count(dns, NULL, ns_t_a), 0);
}
END_TEST

static void exchanger_servfail(struct fake_query *q)
{
	if (fake_asks(q, DOMAIN, ns_t_mx))
		db_mx(&q->reply, DOMAIN, 10, "mail.example.test", 300);
	else if (fake_asks(q, "mail.example.test", ns_t_a))
		q->rcode = ns_r_servfail;
	else if (!domain_address(q))
		nxdomain(q);
}

/* The exchanger's name is asked as absolute: nss_dns's h_errno and errno
 * for that (it says UNAVAIL; the mx stage's verdict is final: NOTFOUND). */
START_TEST(test_servfail_for_the_exchanger_is_try_again)
{
	struct outcome o;

	serve(exchanger_servfail, "");
	call3(DOMAIN, AF_INET, BIG_BUFFER, &o);
	ck_assert_outcome(&o, NSS_STATUS_NOTFOUND, EAGAIN, TRY_AGAIN);
	ck_assert_uint_eq(fake_dns_count(dns, "mail.example.test", ns_t_a), 1);
	ck_assert_uint_eq(fake_dns_count(dns, DOMAIN, ns_t_a), 0);
}
END_TEST

static void mx_silent(struct fake_query *q)
{
	if (q->qtype == ns_t_mx)
		q->drop = true;
	else if (!domain_address(q))
		nxdomain(q);
}

/* No answer in RES_OPTIONS' timeout:1 attempts:1: nss_dns's TRY_AGAIN and
 * EAGAIN; NOTFOUND, as the mx stage's verdict is final. */
START_TEST(test_timeout_for_the_mx_is_try_again)
{
	struct outcome o;
	long long start = now_ms();

	serve(mx_silent, "");
	call3(DOMAIN, AF_INET, BIG_BUFFER, &o);
	ck_assert_outcome(&o, NSS_STATUS_NOTFOUND, EAGAIN, TRY_AGAIN);
	ck_assert_uint_eq(fake_dns_count(dns, NULL, ns_t_a), 0);
	ck_assert_int_lt(now_ms() - start, 3000);
}
END_TEST

/* "shop" has MX records in the search domain, "plain" and "plain.sub" only
 * an address there. */
static void search_domain(struct fake_query *q)
{
	if (fake_asks(q, "shop." HARNESS_LOCALDOMAIN, ns_t_mx)) {
		db_mx(&q->reply, "shop." HARNESS_LOCALDOMAIN, 10, "mx.shop.test", 300);
		db_a(&q->reply, ns_s_ar, "mx.shop.test", "192.0.2.31", 300);
	} else if (fake_asks(q, "plain." HARNESS_LOCALDOMAIN, ns_t_mx) ||
		   fake_asks(q, "plain.sub." HARNESS_LOCALDOMAIN, ns_t_mx)) {
		return; /* NODATA: the name exists there */
	} else if (fake_asks(q, "plain." HARNESS_LOCALDOMAIN, ns_t_a)) {
		db_a(&q->reply, ns_s_an, "plain." HARNESS_LOCALDOMAIN, "192.0.2.32", 300);
	} else if (fake_asks(q, "plain.sub." HARNESS_LOCALDOMAIN, ns_t_a)) {
		db_a(&q->reply, ns_s_an, "plain.sub." HARNESS_LOCALDOMAIN, "192.0.2.33", 300);
	} else {
		nxdomain(q);
	}
}

/* README: the MX is the first name of the search list that has MX
 * records, as res_search finds it (Postfix's own MX lookup).  With no MX
 * anywhere on the list (NODATA) the a stage searches for the address as
 * nss_dns does.  "plain" (no dot, ndots:1) tries plain.search.test, then
 * "plain." (NXDOMAIN): 2 MX queries, then the A search stops at its first
 * candidate: 1 A query. */
START_TEST(test_search_list_is_followed_for_the_mx_then_for_the_address)
{
	struct outcome o;

	serve(search_domain, "");
	call3("shop", AF_INET, BIG_BUFFER, &o);
	ck_assert_outcome(&o, NSS_STATUS_SUCCESS, 0, NETDB_SUCCESS);
	ck_assert_str_eq(o.name, "mx.shop.test");
	ck_assert_str_eq(o.aliases, "shop." HARNESS_LOCALDOMAIN);
	ck_assert_str_eq(o.addrs, "192.0.2.31");
	ck_assert_uint_eq(fake_dns_count(dns, NULL, ns_t_mx), 1);
	ck_assert_uint_eq(fake_dns_count(dns, NULL, ns_t_a), 0);
	call3("plain", AF_INET, BIG_BUFFER, &o);
	ck_assert_outcome(&o, NSS_STATUS_SUCCESS, 0, NETDB_SUCCESS);
	ck_assert_str_eq(o.name, "plain." HARNESS_LOCALDOMAIN);
	ck_assert_str_eq(o.addrs, "192.0.2.32");
	ck_assert_uint_eq(fake_dns_count(dns, NULL, ns_t_mx), 1 + 2);
	ck_assert_uint_eq(fake_dns_count(dns, NULL, ns_t_a), 1);
}
END_TEST

/* glibc's res_search (resolv/res_query.c) reports the as-is attempt's
 * h_errno over a later candidate's NODATA: "plain.sub" (a dot, ndots:1)
 * is tried as is alone (NXDOMAIN), then res_search tries it as is again
 * (NXDOMAIN) and as plain.sub.search.test (NODATA), and says
 * HOST_NOT_FOUND.  That name exists without MX records:
 * its implicit MX is itself, and the a stage finds it as nss_dns does
 * (plain.sub: NXDOMAIN, plain.sub.search.test: the address). */
START_TEST(test_mx_search_nxdomain_as_is_lets_the_a_stage_search)
{
	struct outcome o;

	serve(search_domain, "");
	call3("plain.sub", AF_INET, BIG_BUFFER, &o);
	ck_assert_outcome(&o, NSS_STATUS_SUCCESS, 0, NETDB_SUCCESS);
	ck_assert_str_eq(o.name, "plain.sub." HARNESS_LOCALDOMAIN);
	ck_assert_str_eq(o.addrs, "192.0.2.33");
	ck_assert_uint_eq(fake_dns_count(dns, NULL, ns_t_mx), 1 + 2);
	ck_assert_uint_eq(fake_dns_count(dns, NULL, ns_t_a), 2);
}
END_TEST

/* "mail.corp" exists as written with neither MX nor address;
 * mail.corp.search.test has both, its A being a web server's. */
static void as_written_without_mx(struct fake_query *q)
{
	if (fake_asks(q, "mail.corp", ns_t_mx) || fake_asks(q, "mail.corp", ns_t_a)) {
		return; /* NODATA: the name exists as written */
	} else if (fake_asks(q, "mail.corp." HARNESS_LOCALDOMAIN, ns_t_mx)) {
		db_mx(&q->reply, "mail.corp." HARNESS_LOCALDOMAIN, 10, "mx.corp.test", 300);
		db_a(&q->reply, ns_s_ar, "mx.corp.test", "192.0.2.34", 300);
	} else if (fake_asks(q, "mail.corp." HARNESS_LOCALDOMAIN, ns_t_a)) {
		db_a(&q->reply, ns_s_an, "mail.corp." HARNESS_LOCALDOMAIN, "192.0.2.66", 300);
	} else {
		nxdomain(q);
	}
}

/* A dotted name that exists as written ends the MX walk there (dns.h): its
 * implicit MX is itself, so its addresses are asked as written too.  The
 * answer is never the A of a search-list name whose MX was never asked
 * (RFC 5321 §5.1: mail would go to a host the domain did not name). */
START_TEST(test_name_as_written_without_mx_is_its_own_implicit_mx)
{
	struct outcome o;

	serve(as_written_without_mx, "");
	call3("mail.corp", AF_INET, BIG_BUFFER, &o);
	ck_assert_int_ne(o.status, NSS_STATUS_SUCCESS);
	ck_assert_uint_eq(fake_dns_count(dns, "mail.corp", ns_t_mx), 1);
	ck_assert_uint_eq(fake_dns_count(dns, "mail.corp", ns_t_a), 1);
	ck_assert_uint_eq(fake_dns_count(dns, "mail.corp." HARNESS_LOCALDOMAIN, ns_t_mx), 0);
	ck_assert_uint_eq(fake_dns_count(dns, "mail.corp." HARNESS_LOCALDOMAIN, ns_t_a), 0);
}
END_TEST

/* mx_programs names other programs: here only the a stage runs. */
START_TEST(test_mx_programs_without_this_program_skips_the_mx_stage)
{
	struct outcome o;

	serve(mx_with_glue, "mx_programs postfix smtp\n");
	call3(DOMAIN, AF_INET, BIG_BUFFER, &o);
	ck_assert_outcome(&o, NSS_STATUS_SUCCESS, 0, NETDB_SUCCESS);
	ck_assert_str_eq(o.name, DOMAIN);
	ck_assert_str_eq(o.addrs, DOMAIN_A);
	ck_assert_uint_eq(fake_dns_count(dns, NULL, ns_t_mx), 0);
}
END_TEST

/* And naming this program turns the mx stage on for it. */
START_TEST(test_mx_programs_with_this_program_runs_the_mx_stage)
{
	char settings[128];
	struct outcome o;

	snprintf(settings, sizeof(settings), "mx_programs postfix %s\n",
		 program_invocation_short_name);
	serve(mx_with_glue, settings);
	call3(DOMAIN, AF_INET, BIG_BUFFER, &o);
	ck_assert_outcome(&o, NSS_STATUS_SUCCESS, 0, NETDB_SUCCESS);
	ck_assert_str_eq(o.addrs, "192.0.2.25");
}
END_TEST

Suite *mx_suite(void)
{
	Suite *s = suite_create("mx stage");
	TCase *tc = tcase_create("mx");

	tcase_add_checked_fixture(tc, harness_setup, harness_teardown);
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_mx_with_glue_is_one_query);
	tcase_add_test(tc, test_mx_without_glue_asks_the_exchanger);
	tcase_add_test(tc, test_mx_targets_best_gives_the_best_preference_only);
	tcase_add_test(tc, test_mx_targets_all_gives_every_exchanger_best_first);
	tcase_add_test(tc, test_mx_max_hosts_caps_the_exchangers);
	tcase_add_test(tc, test_equal_preferences_give_both_in_random_order);
	tcase_add_test(tc, test_cname_to_the_mx_owner_is_followed_and_an_alias);
	tcase_add_test(tc, test_null_mx_is_no_data_without_a_query);
	tcase_add_test(tc, test_no_mx_lets_the_a_stage_answer);
	tcase_add_test(tc, test_nxdomain_for_the_mx_sends_no_address_query);
	tcase_add_test(tc, test_servfail_for_the_mx_is_try_again);
	tcase_add_test(tc, test_servfail_on_every_candidate_is_final_try_again);
	tcase_add_test(tc, test_servfail_for_the_exchanger_is_try_again);
	tcase_add_test(tc, test_timeout_for_the_mx_is_try_again);
	tcase_add_test(tc, test_search_list_is_followed_for_the_mx_then_for_the_address);
	tcase_add_test(tc, test_mx_search_nxdomain_as_is_lets_the_a_stage_search);
	tcase_add_test(tc, test_name_as_written_without_mx_is_its_own_implicit_mx);
	tcase_add_test(tc, test_mx_programs_without_this_program_skips_the_mx_stage);
	tcase_add_test(tc, test_mx_programs_with_this_program_runs_the_mx_stage);
	suite_add_tcase(s, tc);
	return s;
}

/* The a stage's rules (stages a alone), against a fake DNS server: the
 * name's own A/AAAA records, CNAMEs followed as nss_dns follows them, and
 * every DNS outcome mapped to nss_dns's status (README's status table). */
#include "harness.h"
#include "suites.h"

#include <errno.h>
#include <netdb.h>
#include <string.h>
#include <strings.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

static struct fake_dns *dns;

static void serve(fake_dns_answer *answer)
{
	dns = start_dns(answer);
	harness_config("dns_server 127.0.0.1:%u\nstages a\n", fake_dns_port(dns));
}

/* host: A and AAAA.  www -> www2 -> host.  v4alias -> v4only, which has
 * only an A record.  nodata: no address.  broken: SERVFAIL.  refused:
 * REFUSED.  Everything else (the search list's candidates too): NXDOMAIN. */
static void zone(struct fake_query *q)
{
	if (fake_asks(q, "host.example.test", ns_t_a)) {
		db_a(&q->reply, ns_s_an, "host.example.test", "192.0.2.80", 300);
	} else if (fake_asks(q, "host.example.test", ns_t_aaaa)) {
		db_aaaa(&q->reply, ns_s_an, "host.example.test", "2001:db8::80", 200);
	} else if (fake_asks(q, "www.example.test", ns_t_a)) {
		db_cname(&q->reply, "www.example.test", "www2.example.test", 300);
		db_cname(&q->reply, "www2.example.test", "host.example.test", 300);
		db_a(&q->reply, ns_s_an, "host.example.test", "192.0.2.80", 300);
	} else if (fake_asks(q, "badtail.example.test", ns_t_a)) {
		/* The answer, then an authority record cut off after its owner,
		 * and a byte past every section. */
		db_a(&q->reply, ns_s_an, "badtail.example.test", "192.0.2.81", 300);
		q->reply.buf[9] = 1; /* NSCOUNT */
		memcpy(q->reply.buf + q->reply.len, "\xc0\x0c\x00", 3);
		q->reply.len += 3;
	} else if (fake_asks(q, "shorta.example.test", ns_t_a)) {
		/* An A of 5 bytes, then a good one. */
		db_rr(&q->reply, ns_s_an, "shorta.example.test", ns_t_a, 300, "\xc0\x00\x02\x52\x01", 5);
		db_a(&q->reply, ns_s_an, "shorta.example.test", "192.0.2.83", 300);
	} else if (fake_asks(q, "cnamejunk.example.test", ns_t_a)) {
		/* A CNAME to host.example.test with two bytes after the name. */
		static const unsigned char target[] = "\x04" "host\x07" "example\x04" "test\x00\x01\x02";
		db_rr(&q->reply, ns_s_an, "cnamejunk.example.test", ns_t_cname, 300, target,
		      sizeof(target) - 1);
		db_a(&q->reply, ns_s_an, "host.example.test", "192.0.2.80", 300);
	} else if (fake_asks(q, "v4alias.example.test", ns_t_aaaa)) {
		db_cname(&q->reply, "v4alias.example.test", "v4only.example.test", 300);
	} else if (fake_asks(q, "nodata.example.test", ns_t_a) ||
		   fake_asks(q, "nodata.example.test", ns_t_aaaa)) {
		return; /* NOERROR, no records */
	} else if (strncasecmp(q->qname, "allbroken.example.test", 22) == 0) {
		q->rcode = ns_r_servfail; /* and in every search-list domain */
	} else if (fake_asks(q, "broken.example.test", q->qtype)) {
		q->rcode = ns_r_servfail;
	} else if (fake_asks(q, "refused.example.test", q->qtype)) {
		q->rcode = ns_r_refused;
	} else {
		q->rcode = ns_r_nxdomain;
	}
}

START_TEST(test_a_record)
{
	struct outcome o;

	serve(zone);
	call3("host.example.test", AF_INET, BIG_BUFFER, &o);
	ck_assert_outcome(&o, NSS_STATUS_SUCCESS, 0, NETDB_SUCCESS);
	ck_assert_str_eq(o.name, "host.example.test");
	ck_assert_str_eq(o.aliases, "");
	ck_assert_str_eq(o.addrs, "192.0.2.80");
	ck_assert_int_eq(o.ttl, 300);
	ck_assert_uint_eq(fake_dns_count(dns, NULL, ns_t_aaaa), 0);
}
END_TEST

START_TEST(test_aaaa_record)
{
	struct outcome o;

	serve(zone);
	call3("host.example.test", AF_INET6, BIG_BUFFER, &o);
	ck_assert_outcome(&o, NSS_STATUS_SUCCESS, 0, NETDB_SUCCESS);
	ck_assert_str_eq(o.name, "host.example.test");
	ck_assert_str_eq(o.addrs, "2001:db8::80");
	ck_assert_int_eq(o.ttl, 200);
	ck_assert_uint_eq(fake_dns_count(dns, NULL, ns_t_a), 0);
}
END_TEST

/* gethostbyname4_r (getaddrinfo's AF_UNSPEC): both families, one call. */
START_TEST(test_af_unspec_gives_both_families)
{
	struct outcome o;

	serve(zone);
	call4("host.example.test", BIG_BUFFER, &o);
	ck_assert_outcome(&o, NSS_STATUS_SUCCESS, 0, NETDB_SUCCESS);
	ck_assert_str_eq(o.name, "host.example.test");
	ck_assert_str_eq(sorted_list(o.addrs), "192.0.2.80,2001:db8::80");
	ck_assert_int_eq(o.ttl, 200);
}
END_TEST

/* nss_dns: h_name is the end of the chain, the names on the way aliases. */
START_TEST(test_cname_chain_gives_canonical_name_and_aliases)
{
	struct outcome o;

	serve(zone);
	/* nss_dns, for the same reply, first: the literals are its answer. */
	nss_dns_call3(dns, "www.example.test", AF_INET, &o);
	ck_assert_outcome(&o, NSS_STATUS_SUCCESS, 0, NETDB_SUCCESS);
	ck_assert_str_eq(o.name, "host.example.test");
	ck_assert_str_eq(o.aliases, "www.example.test,www2.example.test");
	call3("www.example.test", AF_INET, BIG_BUFFER, &o);
	ck_assert_outcome(&o, NSS_STATUS_SUCCESS, 0, NETDB_SUCCESS);
	ck_assert_str_eq(o.name, "host.example.test");
	ck_assert_str_eq(o.aliases, "www.example.test,www2.example.test");
	ck_assert_str_eq(o.addrs, "192.0.2.80");
}
END_TEST

/* NAME looked up with 3_r in AF must give STATUS, ERR and HERR: the
 * statuses of glibc 2.36's nss_dns for the same reply (README's table;
 * REFERENCE.md "REFUSED / SERVFAIL"; tests/integration/dns.sh compares
 * the module with _nss_dns_* on NSD for these outcomes). */
static void expect_status(const char *name, int af, enum nss_status status, int err, int herr)
{
	struct outcome o;

	nss_dns_call3(dns, name, af, &o);
	ck_assert_msg(o.status == status && o.err == err && o.herr == herr,
		      "nss_dns %s: status %d errno %d h_errno %d, expected %d %d %d", name, o.status, o.err,
		      o.herr, status, err, herr);
	call3(name, af, BIG_BUFFER, &o);
	ck_assert_msg(o.status == status && o.err == err && o.herr == herr,
		      "%s: status %d errno %d h_errno %d, expected %d %d %d", name, o.status, o.err,
		      o.herr, status, err, herr);
}

/* nss_dns reads the answer section only: what follows it, however
 * broken, costs no answer; nor here. */
START_TEST(test_broken_sections_after_the_answer_are_not_read)
{
	struct outcome o;

	serve(zone);
	nss_dns_call3(dns, "badtail.example.test", AF_INET, &o);
	ck_assert_outcome(&o, NSS_STATUS_SUCCESS, 0, NETDB_SUCCESS);
	ck_assert_str_eq(o.addrs, "192.0.2.81");
	call3("badtail.example.test", AF_INET, BIG_BUFFER, &o);
	ck_assert_outcome(&o, NSS_STATUS_SUCCESS, 0, NETDB_SUCCESS);
	ck_assert_str_eq(o.name, "badtail.example.test");
	ck_assert_str_eq(o.addrs, "192.0.2.81");
}
END_TEST

/* NAME's answer is nss_dns's for the same reply, field by field. */
static void expect_as_nss_dns(const char *name)
{
	struct outcome dns_o, o;

	nss_dns_call3(dns, name, AF_INET, &dns_o);
	call3(name, AF_INET, BIG_BUFFER, &o);
	ck_assert_outcome(&o, dns_o.status, dns_o.err, dns_o.herr);
	ck_assert_str_eq(o.name, dns_o.name);
	ck_assert_str_eq(o.aliases, dns_o.aliases);
	ck_assert_str_eq(o.addrs, dns_o.addrs);
}

/* nss_dns skips an address of the wrong size and reads no further than a
 * CNAME's target; so does the module (both answer). */
START_TEST(test_records_nss_dns_passes_over_are_passed_over)
{
	struct outcome o;

	serve(zone);
	expect_as_nss_dns("shorta.example.test");
	call3("shorta.example.test", AF_INET, BIG_BUFFER, &o);
	ck_assert_str_eq(o.addrs, "192.0.2.83");
	expect_as_nss_dns("cnamejunk.example.test");
	call3("cnamejunk.example.test", AF_INET, BIG_BUFFER, &o);
	ck_assert_str_eq(o.name, "host.example.test");
	ck_assert_str_eq(o.addrs, "192.0.2.80");
}
END_TEST

START_TEST(test_cname_without_address_is_tryagain_enoent)
{
	serve(zone);
	expect_status("v4alias.example.test", AF_INET6, NSS_STATUS_TRYAGAIN, ENOENT, NO_RECOVERY);
}
END_TEST

START_TEST(test_nodata_is_no_data)
{
	serve(zone);
	expect_status("nodata.example.test", AF_INET, NSS_STATUS_NOTFOUND, 0, NO_DATA);
	expect_status("nodata.example.test.", AF_INET6, NSS_STATUS_NOTFOUND, 0, NO_DATA);
}
END_TEST

START_TEST(test_nxdomain_is_host_not_found)
{
	struct outcome o;

	serve(zone);
	expect_status("nosuch.example.test", AF_INET, NSS_STATUS_NOTFOUND, 0, HOST_NOT_FOUND);
	expect_status("nosuch.example.test.", AF_INET6, NSS_STATUS_NOTFOUND, 0, HOST_NOT_FOUND);
	/* AF_UNSPEC: no such name for A is none for AAAA: not asked. */
	unsigned aaaa = fake_dns_count(dns, NULL, ns_t_aaaa);
	call4("nosuch.example.test.", BIG_BUFFER, &o);
	ck_assert_outcome(&o, NSS_STATUS_NOTFOUND, 0, HOST_NOT_FOUND);
	ck_assert_uint_eq(fake_dns_count(dns, NULL, ns_t_aaaa), aaaa);
}
END_TEST

/* NOTFOUND when a later search-list candidate said NXDOMAIN, UNAVAIL when
 * the last server reply was a SERVFAIL (an absolute name, or every
 * candidate failed): REFERENCE.md, and nss_dns says so here too. */
START_TEST(test_servfail_is_try_again)
{
	serve(zone);
	expect_status("broken.example.test", AF_INET, NSS_STATUS_NOTFOUND, EAGAIN, TRY_AGAIN);
	expect_status("broken.example.test.", AF_INET, NSS_STATUS_UNAVAIL, EAGAIN, TRY_AGAIN);
	expect_status("allbroken.example.test", AF_INET, NSS_STATUS_UNAVAIL, EAGAIN, TRY_AGAIN);
}
END_TEST

/* libresolv moves on from a REFUSED server as from a SERVFAIL; with none
 * left nss_dns says UNAVAIL, TRY_AGAIN (REFERENCE.md). */
START_TEST(test_refused_is_unavail_try_again)
{
	serve(zone);
	expect_status("refused.example.test.", AF_INET, NSS_STATUS_UNAVAIL, EAGAIN, TRY_AGAIN);
}
END_TEST

/* A loopback port nothing listens on: the kernel's port unreachable. */
static unsigned closed_port(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	close(fd);
	return ntohs(sin.sin_port);
}

/* README's table: no DNS server answered is UNAVAIL, TRY_AGAIN, EAGAIN
 * (nss_dns's status for ECONNREFUSED), at once, not after a timeout. */
START_TEST(test_no_server_listening_is_unavail_try_again)
{
	long long start = now_ms();
	struct outcome o;

	harness_config("dns_server 127.0.0.1:%u\nstages a\n", closed_port());
	call3("host.example.test", AF_INET, BIG_BUFFER, &o);
	ck_assert_outcome(&o, NSS_STATUS_UNAVAIL, EAGAIN, TRY_AGAIN);
	ck_assert_int_lt(now_ms() - start, 3000);
}
END_TEST

#ifndef __SANITIZE_ADDRESS__ /* main.c says why */
static void silent(struct fake_query *q)
{
	q->drop = true;
}

/* pthread_cancel() in the middle of a query (libresolv's poll() is a
 * cancellation point) closes what the lookup opened for its dns_server
 * lines: the program's descriptors are as they were. */
START_TEST(test_a_cancelled_lookup_leaves_no_descriptor_open)
{
	int before;

	serve(silent);
	before = open_descriptors();
	call3_cancelled_after("host.example.test", 300);
	ck_assert_uint_eq(fake_dns_count(dns, NULL, ns_t_any), 1); /* it was waiting for a reply */
	ck_assert_int_eq(open_descriptors(), before);
}
END_TEST
#endif

Suite *a_suite(void)
{
	Suite *s = suite_create("a stage");
	TCase *tc = tcase_create("a");

	tcase_add_checked_fixture(tc, harness_setup, harness_teardown);
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_a_record);
	tcase_add_test(tc, test_aaaa_record);
	tcase_add_test(tc, test_af_unspec_gives_both_families);
	tcase_add_test(tc, test_cname_chain_gives_canonical_name_and_aliases);
	tcase_add_test(tc, test_cname_without_address_is_tryagain_enoent);
	tcase_add_test(tc, test_broken_sections_after_the_answer_are_not_read);
	tcase_add_test(tc, test_records_nss_dns_passes_over_are_passed_over);
	tcase_add_test(tc, test_nodata_is_no_data);
	tcase_add_test(tc, test_nxdomain_is_host_not_found);
	tcase_add_test(tc, test_servfail_is_try_again);
	tcase_add_test(tc, test_refused_is_unavail_try_again);
	tcase_add_test(tc, test_no_server_listening_is_unavail_try_again);
#ifndef __SANITIZE_ADDRESS__ /* main.c says why */
	tcase_add_test(tc, test_a_cancelled_lookup_leaves_no_descriptor_open);
#endif
	suite_add_tcase(s, tc);
	return s;
}

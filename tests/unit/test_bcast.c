/* The bcast stage's rules over plain bytes: the broadcast request, which
 * datagram counts as the answer, when answers disagree, and what `auto`
 * takes from a list of interfaces. */
#include "bcast_rules.h"
#include "nbns.h"
#include "suites.h"

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#define ID 0x4242

static unsigned char name[MXF_NB_NAME_LEN];
static unsigned char pkt[600];
static struct mxf_nb_reply reply;
static struct mxf_bcast_target targets[MXF_MAX_BCAST];
static struct sockaddr_in from;

static struct sockaddr_in sin_of(const char *addr, unsigned port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };

	ck_assert_int_eq(inet_pton(AF_INET, addr, &sin.sin_addr), 1);
	return sin;
}

static struct mxf_bcast_target target(const char *addr, unsigned port, const char *mask)
{
	struct mxf_bcast_target t = { .addr = sin_of(addr, port) };

	if (mask != NULL)
		ck_assert_int_eq(inet_pton(AF_INET, mask, &t.netmask), 1);
	return t;
}

/* A NAME QUERY RESPONSE to query ID for HOST<00> with FLAGS, TYPE and the
 * NB entries of ADDRS (dotted quads, NULL-terminated); the answer names
 * QNAME (our name unless given). */
static size_t build(uint16_t id, uint16_t flags, uint16_t type, const char *const *addrs,
		    const unsigned char *qname)
{
	size_t n = 12, rd;

	mxf_nb_make_name("HOST", 4, 0x00, name);
	memset(pkt, 0, 12);
	ns_put16(id, pkt);
	ns_put16(flags, pkt + 2);
	ns_put16(1, pkt + 6);
	mxf_nb_encode(qname != NULL ? qname : name, pkt + n);
	n += MXF_NB_ENCODED_LEN;
	ns_put16(type, pkt + n);
	ns_put16(1, pkt + n + 2);
	ns_put32(300, pkt + n + 4);
	rd = n + 8;
	n += 10;
	for (unsigned i = 0; addrs != NULL && addrs[i] != NULL; i++) {
		ns_put16(0x0000, pkt + n);
		ck_assert_int_eq(inet_pton(AF_INET, addrs[i], pkt + n + 2), 1);
		n += 6;
	}
	ns_put16((uint16_t)(n - rd - 2), pkt + rd);
	return n;
}

static const char *const one[] = { "192.0.2.77", NULL };

static enum mxf_bcast_verdict judge(size_t len, unsigned n_targets)
{
	return mxf_bcast_judge(pkt, len, &from, ID, name, targets, n_targets, &reply);
}

static void setup(void)
{
	memset(targets, 0, sizeof(targets));
	targets[0] = target("198.18.0.255", 137, "255.255.255.0");
	from = sin_of("198.18.0.140", 137);
}

START_TEST(test_broadcast_request_bytes_are_exact)
{
	/* RFC 1002 §4.2.12: B set (0x0010), RD clear; QDCOUNT 1; "FRED" with
	 * 11 spaces and the suffix byte; NB, IN. */
	static const unsigned char expected[MXF_NB_QUERY_LEN + 1] =
		"\x12\x34\x00\x10\x00\x01\x00\x00\x00\x00\x00\x00"
		"\x20"
		"EGFCEFEE"
		"CACACACACACACACACACACA"
		"CA"
		"\x00"
		"\x00\x20\x00\x01";
	unsigned char out[MXF_NB_QUERY_LEN];

	mxf_nb_make_name("fred", 4, 0x20, name);
	mxf_nb_bcast_query(0x1234, name, out);
	ck_assert_mem_eq(out, expected, MXF_NB_QUERY_LEN);
}
END_TEST

START_TEST(test_positive_answer_from_the_subnet_is_taken_in_order)
{
	static const char *const addrs[] = { "0.0.0.0", "192.0.2.77", "255.255.255.255",
					     "192.0.2.78", NULL };
	size_t len = build(ID, 0x8500, 0x20, addrs, NULL);
	char text[INET_ADDRSTRLEN];

	ck_assert_int_eq(judge(len, 1), MXF_BCAST_TAKEN);
	ck_assert_uint_eq(reply.n_addrs, 2);
	ck_assert_str_eq(inet_ntop(AF_INET, &reply.addrs[0], text, sizeof(text)), "192.0.2.77");
	ck_assert_str_eq(inet_ntop(AF_INET, &reply.addrs[1], text, sizeof(text)), "192.0.2.78");
	ck_assert_uint_eq(reply.ttl, 300);
}
END_TEST

START_TEST(test_reply_not_to_our_query_is_not_ours)
{
	unsigned char other[MXF_NB_NAME_LEN];
	size_t len;

	len = build(ID + 1, 0x8500, 0x20, one, NULL);
	ck_assert_int_eq(judge(len, 1), MXF_BCAST_NOT_OURS); /* another ID */
	mxf_nb_make_name("OTHER", 5, 0x00, other);
	len = build(ID, 0x8500, 0x20, one, other);
	ck_assert_int_eq(judge(len, 1), MXF_BCAST_NOT_OURS); /* another name */
	mxf_nb_make_name("HOST", 4, 0x20, other);
	len = build(ID, 0x8500, 0x20, one, other);
	ck_assert_int_eq(judge(len, 1), MXF_BCAST_NOT_OURS); /* another suffix */
	len = build(ID, 0x0010, 0x20, one, NULL);
	ck_assert_int_eq(judge(len, 1), MXF_BCAST_NOT_OURS); /* a request (ours, looped back) */
	len = build(ID, 0x8510, 0x20, one, NULL);
	ck_assert_int_eq(judge(len, 1), MXF_BCAST_NOT_OURS); /* B set in a response */
	len = build(ID, 0xa800, 0x20, one, NULL);
	ck_assert_int_eq(judge(len, 1), MXF_BCAST_NOT_OURS); /* a registration */
}
END_TEST

START_TEST(test_every_truncation_is_not_taken)
{
	size_t len = build(ID, 0x8500, 0x20, one, NULL);

	for (size_t i = 0; i < len; i++)
		ck_assert_msg(judge(i, 1) != MXF_BCAST_TAKEN, "prefix of %zu taken", i);
	ck_assert_int_ne(judge(len + 1, 1), MXF_BCAST_TAKEN);
}
END_TEST

START_TEST(test_answers_without_an_address_are_not_taken)
{
	static const char *const unusable[] = { "0.0.0.0", "255.255.255.255", NULL };
	static const unsigned char wack_rdata[2] = { 0x00, 0x10 };
	size_t len;

	len = build(ID, 0x8503, 0x0a, NULL, NULL);
	ck_assert_int_eq(judge(len, 1), MXF_BCAST_NEGATIVE); /* negative, NAM_ERR */
	len = build(ID, 0x8500, 0x20, unusable, NULL);
	ck_assert_int_eq(judge(len, 1), MXF_BCAST_NEGATIVE);
	len = build(ID, 0xbc00, 0x0a, NULL, NULL);
	memcpy(pkt + len, wack_rdata, 2);
	ns_put16(2, pkt + len - 2);
	ck_assert_int_eq(judge(len + 2, 1), MXF_BCAST_NEGATIVE); /* WACK */
}
END_TEST

START_TEST(test_reply_from_another_port_is_a_stranger)
{
	size_t len = build(ID, 0x8500, 0x20, one, NULL);

	from.sin_port = htons(1137);
	ck_assert_int_eq(judge(len, 1), MXF_BCAST_STRANGER);
	from.sin_port = htons(138);
	ck_assert_int_eq(judge(len, 1), MXF_BCAST_STRANGER);
	/* A target on another port (tests): that port, not 137. */
	targets[0] = target("127.0.0.1", 5137, "255.255.255.255");
	from = sin_of("127.0.0.1", 5137);
	ck_assert_int_eq(judge(len, 1), MXF_BCAST_TAKEN);
	from.sin_port = htons(137);
	ck_assert_int_eq(judge(len, 1), MXF_BCAST_STRANGER);
}
END_TEST

START_TEST(test_reply_from_outside_the_subnet_is_a_stranger)
{
	size_t len = build(ID, 0x8500, 0x20, one, NULL);

	from = sin_of("198.18.1.5", 137);
	ck_assert_int_eq(judge(len, 1), MXF_BCAST_STRANGER);
	from = sin_of("198.18.0.1", 137);
	ck_assert_int_eq(judge(len, 1), MXF_BCAST_TAKEN);
	from = sin_of("198.18.1.5", 137);
	targets[1] = target("198.18.1.255", 137, "255.255.255.0");
	ck_assert_int_eq(judge(len, 2), MXF_BCAST_TAKEN); /* the second subnet's */
	from.sin_family = AF_UNSPEC;
	ck_assert_int_eq(judge(len, 2), MXF_BCAST_STRANGER);
}
END_TEST

START_TEST(test_netmask_not_known_checks_the_port_only)
{
	size_t len = build(ID, 0x8500, 0x20, one, NULL);

	targets[0] = target("192.0.2.255", 137, NULL);
	from = sin_of("203.0.113.9", 137);
	ck_assert_int_eq(judge(len, 1), MXF_BCAST_TAKEN);
	from.sin_port = htons(1137);
	ck_assert_int_eq(judge(len, 1), MXF_BCAST_STRANGER);
}
END_TEST

START_TEST(test_no_target_takes_nothing)
{
	ck_assert_int_eq(judge(build(ID, 0x8500, 0x20, one, NULL), 0), MXF_BCAST_STRANGER);
}
END_TEST

START_TEST(test_answers_agree_only_with_the_same_addresses_in_order)
{
	static const char *const ab[] = { "192.0.2.1", "192.0.2.2", NULL };
	static const char *const ba[] = { "192.0.2.2", "192.0.2.1", NULL };
	static const char *const a[] = { "192.0.2.1", NULL };
	struct mxf_nb_reply first, other;

	ck_assert_int_eq(judge(build(ID, 0x8500, 0x20, ab, NULL), 1), MXF_BCAST_TAKEN);
	first = reply;
	ck_assert_int_eq(judge(build(ID, 0x8500, 0x20, ab, NULL), 1), MXF_BCAST_TAKEN);
	other = reply;
	ck_assert(mxf_bcast_same_answer(&first, &other));
	ck_assert_int_eq(judge(build(ID, 0x8500, 0x20, ba, NULL), 1), MXF_BCAST_TAKEN);
	other = reply;
	ck_assert(!mxf_bcast_same_answer(&first, &other));
	ck_assert_int_eq(judge(build(ID, 0x8500, 0x20, a, NULL), 1), MXF_BCAST_TAKEN);
	other = reply;
	ck_assert(!mxf_bcast_same_answer(&first, &other));
}
END_TEST

/* A list of interfaces as getifaddrs(3) would give it. */
struct fake_if {
	struct ifaddrs ifa;
	struct sockaddr_storage addr, mask, bcast;
};

static void fake(struct fake_if *f, struct fake_if *next, const char *ifname, unsigned flags,
		 int family, const char *addr, const char *mask, const char *bcast)
{
	memset(f, 0, sizeof(*f));
	f->ifa.ifa_next = next != NULL ? &next->ifa : NULL;
	f->ifa.ifa_name = (char *)ifname;
	f->ifa.ifa_flags = flags;
	f->ifa.ifa_addr = (struct sockaddr *)&f->addr;
	f->addr.ss_family = (sa_family_t)family;
	if (family == AF_INET6) {
		inet_pton(AF_INET6, addr, &((struct sockaddr_in6 *)&f->addr)->sin6_addr);
		return;
	}
	inet_pton(AF_INET, addr, &((struct sockaddr_in *)&f->addr)->sin_addr);
	f->ifa.ifa_netmask = (struct sockaddr *)&f->mask;
	f->mask.ss_family = AF_INET;
	inet_pton(AF_INET, mask, &((struct sockaddr_in *)&f->mask)->sin_addr);
	if (bcast != NULL) {
		f->ifa.ifa_broadaddr = (struct sockaddr *)&f->bcast;
		f->bcast.ss_family = AF_INET;
		inet_pton(AF_INET, bcast, &((struct sockaddr_in *)&f->bcast)->sin_addr);
	}
}

START_TEST(test_auto_takes_up_broadcast_interfaces_only)
{
	static struct fake_if l[10];
	const unsigned up = IFF_UP | IFF_BROADCAST | IFF_RUNNING;
	char text[INET_ADDRSTRLEN];
	unsigned n = 0;

	fake(&l[0], &l[1], "lo", IFF_UP | IFF_LOOPBACK, AF_INET, "127.0.0.1", "255.0.0.0", NULL);
	fake(&l[1], &l[2], "lo", IFF_UP | IFF_LOOPBACK | IFF_BROADCAST, AF_INET, "127.0.0.2",
	     "255.0.0.0", "127.255.255.255");
	fake(&l[2], &l[3], "eth0", up, AF_INET, "198.18.0.137", "255.255.255.0", "198.18.0.255");
	fake(&l[3], &l[4], "eth0", up, AF_INET6, "2001:db8::1", NULL, NULL);
	fake(&l[4], &l[5], "eth0", up, AF_INET, "198.18.0.138", "255.255.255.0", "198.18.0.255");
	fake(&l[5], &l[6], "eth1", IFF_BROADCAST, AF_INET, "10.1.0.1", "255.255.0.0", "10.1.255.255");
	fake(&l[6], &l[7], "tun0", IFF_UP | IFF_POINTOPOINT, AF_INET, "10.8.0.1", "255.255.255.255",
	     NULL);
	fake(&l[7], &l[8], "eth2", up, AF_INET, "10.2.0.1", "255.255.0.0", NULL);
	fake(&l[8], &l[9], "eth3", up, AF_INET, "10.3.0.1", "255.255.0.0", "10.3.255.255");
	/* Point-to-point: the "broadcast" field is the peer's address. */
	fake(&l[9], NULL, "ppp0", up | IFF_POINTOPOINT, AF_INET, "10.9.0.1", "255.255.255.255",
	     "10.9.0.2");
	mxf_bcast_add_interfaces(&l[0].ifa, targets, &n);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(inet_ntop(AF_INET, &targets[0].addr.sin_addr, text, sizeof(text)),
			 "198.18.0.255");
	ck_assert_uint_eq(ntohs(targets[0].addr.sin_port), 137);
	ck_assert_str_eq(inet_ntop(AF_INET, &targets[0].netmask, text, sizeof(text)),
			 "255.255.255.0");
	ck_assert_str_eq(inet_ntop(AF_INET, &targets[1].addr.sin_addr, text, sizeof(text)),
			 "10.3.255.255");
	ck_assert_str_eq(inet_ntop(AF_INET, &targets[1].netmask, text, sizeof(text)), "255.255.0.0");
}
END_TEST

START_TEST(test_auto_adds_no_address_twice_and_stops_at_the_limit)
{
	static struct fake_if l[MXF_MAX_BCAST + 2];
	const unsigned up = IFF_UP | IFF_BROADCAST;
	char addr[32], bcast[32];
	unsigned n = 1;

	targets[0] = target("10.0.0.255", 137, NULL); /* configured, no netmask */
	for (unsigned i = 0; i < MXF_MAX_BCAST + 2; i++) {
		snprintf(addr, sizeof(addr), "10.0.%u.1", i);
		snprintf(bcast, sizeof(bcast), "10.0.%u.255", i);
		fake(&l[i], i + 1 < MXF_MAX_BCAST + 2 ? &l[i + 1] : NULL, "eth", up, AF_INET, addr,
		     "255.255.255.0", bcast);
	}
	mxf_bcast_add_interfaces(&l[0].ifa, targets, &n);
	ck_assert_uint_eq(n, MXF_MAX_BCAST);
	ck_assert_uint_eq(targets[0].netmask.s_addr, 0); /* the configured one stays */
	ck_assert_uint_eq(ntohl(targets[1].addr.sin_addr.s_addr), 0x0a0001ff);
	ck_assert_uint_eq(ntohl(targets[MXF_MAX_BCAST - 1].addr.sin_addr.s_addr),
			  0x0a0000ff | (MXF_MAX_BCAST - 1) << 8);
}
END_TEST

Suite *bcast_suite(void)
{
	Suite *s = suite_create("bcast");
	TCase *tc = tcase_create("bcast");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_broadcast_request_bytes_are_exact);
	tcase_add_test(tc, test_positive_answer_from_the_subnet_is_taken_in_order);
	tcase_add_test(tc, test_reply_not_to_our_query_is_not_ours);
	tcase_add_test(tc, test_every_truncation_is_not_taken);
	tcase_add_test(tc, test_answers_without_an_address_are_not_taken);
	tcase_add_test(tc, test_reply_from_another_port_is_a_stranger);
	tcase_add_test(tc, test_reply_from_outside_the_subnet_is_a_stranger);
	tcase_add_test(tc, test_netmask_not_known_checks_the_port_only);
	tcase_add_test(tc, test_no_target_takes_nothing);
	tcase_add_test(tc, test_answers_agree_only_with_the_same_addresses_in_order);
	tcase_add_test(tc, test_auto_takes_up_broadcast_interfaces_only);
	tcase_add_test(tc, test_auto_adds_no_address_twice_and_stops_at_the_limit);
	suite_add_tcase(s, tc);
	return s;
}

/* The NetBIOS name service codec: names, the request bytes of RFC 1002
 * §4.2.12, and every kind of reply, good and bad, assembled by hand. */
#include "nbns.h"
#include "suites.h"

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <string.h>

static unsigned char name[MXF_NB_NAME_LEN];
static unsigned char pkt[600];
static struct mxf_nb_reply reply;

START_TEST(test_name_of_every_length_round_trips)
{
	static const char letters[] = "abcdefghijklmno";
	unsigned char enc[MXF_NB_ENCODED_LEN], back[MXF_NB_NAME_LEN];
	size_t len = (size_t)_i;

	ck_assert_int_eq(mxf_nb_make_name(letters, len, 0x00, name), 0);
	for (size_t i = 0; i < 15; i++)
		ck_assert_int_eq(name[i], i < len ? "ABCDEFGHIJKLMNO"[i] : ' ');
	ck_assert_int_eq(name[15], 0x00);
	mxf_nb_encode(name, enc);
	ck_assert_int_eq(enc[0], 32);
	ck_assert_int_eq(enc[33], 0);
	ck_assert_int_eq(mxf_nb_decode(enc, back), 0);
	ck_assert_mem_eq(back, name, MXF_NB_NAME_LEN);
}
END_TEST

START_TEST(test_rfc1001_example_fred)
{
	unsigned char enc[MXF_NB_ENCODED_LEN];

	/* RFC 1001 §14.1: "FRED" padded with spaces. */
	ck_assert_int_eq(mxf_nb_make_name("Fred", 4, ' ', name), 0);
	mxf_nb_encode(name, enc);
	ck_assert_mem_eq(enc + 1, "EGFCEFEECACACACACACACACACACACACA", 32);
}
END_TEST

START_TEST(test_bad_names_are_refused)
{
	static const char *const bad[] = { "", "sixteen-chars-xx", "dot.ted", "st*r", "back\\slash",
					   "sp ace", "ctl\x01", "h\xc3\xa9llo", "pipe|", "q?" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(mxf_nb_make_name(bad[i], strlen(bad[i]), 0, name) == -1,
			      "'%s' accepted", bad[i]);
}
END_TEST

START_TEST(test_decode_refuses_letters_outside_a_to_p)
{
	unsigned char enc[MXF_NB_ENCODED_LEN], back[MXF_NB_NAME_LEN];

	mxf_nb_make_name("HOST", 4, 0, name);
	mxf_nb_encode(name, enc);
	enc[5] = 'Q';
	ck_assert_int_eq(mxf_nb_decode(enc, back), -1);
	enc[5] = 'A';
	enc[0] = 31;
	ck_assert_int_eq(mxf_nb_decode(enc, back), -1);
}
END_TEST

START_TEST(test_query_request_bytes_are_exact)
{
	/* ID, flags RD, QDCOUNT 1; "FRED", 11 spaces and <00> encoded; NB, IN. */
	static const unsigned char expected[MXF_NB_QUERY_LEN + 1] =
		"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00"
		"\x20"
		"EGFCEFEE"
		"CACACACACACACACACACACA"
		"AA"
		"\x00"
		"\x00\x20\x00\x01";
	unsigned char out[MXF_NB_QUERY_LEN];

	mxf_nb_make_name("fred", 4, 0x00, name);
	mxf_nb_query(0x1234, name, out);
	ck_assert_mem_eq(out, expected, MXF_NB_QUERY_LEN);
}
END_TEST

/* Builds a reply to query 0x4242 for HOST<00>. */
static size_t build(uint16_t flags, int with_question, int pointer, uint16_t type, uint32_t ttl,
		    const unsigned char *rdata, uint16_t rdlen)
{
	size_t n = 12;

	mxf_nb_make_name("HOST", 4, 0x00, name);
	memset(pkt, 0, 12);
	ns_put16(0x4242, pkt);
	ns_put16(flags, pkt + 2);
	ns_put16(with_question ? 1 : 0, pkt + 4);
	ns_put16(1, pkt + 6);
	if (with_question) {
		mxf_nb_encode(name, pkt + n);
		n += MXF_NB_ENCODED_LEN;
		ns_put16(0x20, pkt + n);
		ns_put16(1, pkt + n + 2);
		n += 4;
	}
	if (pointer) {
		ns_put16(0xc00c, pkt + n);
		n += 2;
	} else {
		mxf_nb_encode(name, pkt + n);
		n += MXF_NB_ENCODED_LEN;
	}
	ns_put16(type, pkt + n);
	ns_put16(1, pkt + n + 2);
	ns_put32(ttl, pkt + n + 4);
	ns_put16(rdlen, pkt + n + 8);
	n += 10;
	if (rdlen > 0)
		memcpy(pkt + n, rdata, rdlen);
	return n + rdlen;
}

static const unsigned char one_addr[6] = { 0x00, 0x00, 192, 0, 2, 7 };

START_TEST(test_positive_reply_with_one_address)
{
	size_t len = build(0x8500, 0, 0, 0x20, 3600, one_addr, 6);
	char text[INET_ADDRSTRLEN];

	ck_assert_int_eq(mxf_nb_parse_reply(pkt, len, 0x4242, name, &reply), 0);
	ck_assert_int_eq(reply.kind, MXF_NB_POSITIVE);
	ck_assert_uint_eq(reply.ttl, 3600);
	ck_assert_uint_eq(reply.n_addrs, 1);
	ck_assert_str_eq(inet_ntop(AF_INET, &reply.addrs[0], text, sizeof(text)), "192.0.2.7");
}
END_TEST

START_TEST(test_group_reply_keeps_order_and_drops_unusable_addresses)
{
	static const unsigned char addrs[] = { 0x80, 0, 192, 0, 2, 1,	  0x80, 0, 0,	0,   0,	  0,
					       0x80, 0, 255, 255, 255, 255, 0x80, 0, 192, 0, 2, 3 };
	size_t len = build(0x8580, 0, 0, 0x20, 60, addrs, sizeof(addrs));

	ck_assert_int_eq(mxf_nb_parse_reply(pkt, len, 0x4242, name, &reply), 0);
	ck_assert_uint_eq(reply.n_addrs, 2);
	ck_assert_uint_eq(ntohl(reply.addrs[0].s_addr), 0xc0000201);
	ck_assert_uint_eq(ntohl(reply.addrs[1].s_addr), 0xc0000203);
}
END_TEST

START_TEST(test_negative_reply)
{
	size_t len = build(0x8503, 0, 0, 0x0a, 0, NULL, 0);

	ck_assert_int_eq(mxf_nb_parse_reply(pkt, len, 0x4242, name, &reply), 0);
	ck_assert_int_eq(reply.kind, MXF_NB_NEGATIVE);
	ck_assert_uint_eq(reply.rcode, 3);
}
END_TEST

START_TEST(test_wack_names_the_wait)
{
	static const unsigned char rd[2] = { 0x01, 0x00 };
	size_t len = build(0xbc00, 0, 0, 0x0a, 4, rd, 2);

	ck_assert_int_eq(mxf_nb_parse_reply(pkt, len, 0x4242, name, &reply), 0);
	ck_assert_int_eq(reply.kind, MXF_NB_WACK);
	ck_assert_uint_eq(reply.ttl, 4);
}
END_TEST

START_TEST(test_every_truncation_is_ignored)
{
	size_t len = build(0x8500, 1, 1, 0x20, 60, one_addr, 6);

	ck_assert_int_eq(mxf_nb_parse_reply(pkt, len, 0x4242, name, &reply), 0);
	for (size_t i = 0; i < len; i++)
		ck_assert_msg(mxf_nb_parse_reply(pkt, i, 0x4242, name, &reply) == -1,
			      "prefix of %zu accepted", i);
	ck_assert_int_eq(mxf_nb_parse_reply(pkt, len + 1, 0x4242, name, &reply), -1);
}
END_TEST

START_TEST(test_reply_not_for_us_is_ignored)
{
	size_t len = build(0x8500, 0, 0, 0x20, 60, one_addr, 6);
	unsigned char other[MXF_NB_NAME_LEN];

	ck_assert_int_eq(mxf_nb_parse_reply(pkt, len, 0x4243, name, &reply), -1); /* wrong ID */
	mxf_nb_make_name("OTHER", 5, 0x00, other);
	ck_assert_int_eq(mxf_nb_parse_reply(pkt, len, 0x4242, other, &reply), -1); /* name */
	mxf_nb_make_name("HOST", 4, 0x20, other);
	ck_assert_int_eq(mxf_nb_parse_reply(pkt, len, 0x4242, other, &reply), -1); /* suffix */
}
END_TEST

START_TEST(test_requests_broadcasts_and_other_opcodes_are_ignored)
{
	static const uint16_t flags[] = { 0x0500, 0x8510, 0xa800, 0x8d00 };

	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		size_t len = build(flags[i], 0, 0, 0x20, 60, one_addr, 6);
		ck_assert_msg(mxf_nb_parse_reply(pkt, len, 0x4242, name, &reply) == -1,
			      "flags %04x accepted", flags[i]);
	}
}
END_TEST

START_TEST(test_counts_that_lie_are_ignored)
{
	size_t len = build(0x8500, 0, 0, 0x20, 60, one_addr, 6);

	ns_put16(0, pkt + 6);
	ck_assert_int_eq(mxf_nb_parse_reply(pkt, len, 0x4242, name, &reply), -1);
	ns_put16(2, pkt + 6);
	ck_assert_int_eq(mxf_nb_parse_reply(pkt, len, 0x4242, name, &reply), -1);
	ns_put16(1, pkt + 6);
	ns_put16(1, pkt + 10); /* a redirect carries additional records */
	ck_assert_int_eq(mxf_nb_parse_reply(pkt, len, 0x4242, name, &reply), -1);
}
END_TEST

START_TEST(test_bad_rdata_lengths_are_ignored)
{
	size_t len = build(0x8500, 0, 0, 0x20, 60, one_addr, 5);

	ck_assert_int_eq(mxf_nb_parse_reply(pkt, len, 0x4242, name, &reply), -1);
	len = build(0x8500, 0, 0, 0x20, 60, one_addr, 0);
	ck_assert_int_eq(mxf_nb_parse_reply(pkt, len, 0x4242, name, &reply), -1);
	len = build(0x8500, 0, 0, 0x20, 60, one_addr, 6);
	ns_put16(7, pkt + 12 + MXF_NB_ENCODED_LEN + 8); /* RDLENGTH past the end */
	ck_assert_int_eq(mxf_nb_parse_reply(pkt, len, 0x4242, name, &reply), -1);
}
END_TEST

START_TEST(test_bad_label_length_is_ignored)
{
	size_t len = build(0x8500, 0, 0, 0x20, 60, one_addr, 6);

	pkt[12] = 33;
	ck_assert_int_eq(mxf_nb_parse_reply(pkt, len, 0x4242, name, &reply), -1);
}
END_TEST

START_TEST(test_pointer_to_the_question_is_read)
{
	size_t len = build(0x8500, 1, 1, 0x20, 60, one_addr, 6);

	ck_assert_int_eq(mxf_nb_parse_reply(pkt, len, 0x4242, name, &reply), 0);
	ck_assert_uint_eq(reply.n_addrs, 1);
}
END_TEST

START_TEST(test_pointers_rfc1002_does_not_use_are_refused)
{
	/* A pointer with no question to point at. */
	size_t len = build(0x8500, 0, 1, 0x20, 60, one_addr, 6);
	ck_assert_int_eq(mxf_nb_parse_reply(pkt, len, 0x4242, name, &reply), -1);
	/* A pointer elsewhere than the question. */
	len = build(0x8500, 1, 1, 0x20, 60, one_addr, 6);
	ns_put16(0xc00d, pkt + 12 + MXF_NB_ENCODED_LEN + 4);
	ck_assert_int_eq(mxf_nb_parse_reply(pkt, len, 0x4242, name, &reply), -1);
	/* A pointer in the question itself (a loop). */
	len = build(0x8500, 1, 1, 0x20, 60, one_addr, 6);
	ns_put16(0xc00c, pkt + 12);
	ck_assert_int_eq(mxf_nb_parse_reply(pkt, len, 0x4242, name, &reply), -1);
}
END_TEST

START_TEST(test_node_status_request_bytes_are_exact)
{
	/* ID, no flags, QDCOUNT 1; "*" and 15 NULs encoded; NBSTAT, IN. */
	static const unsigned char expected[MXF_NB_QUERY_LEN + 1] =
		"\x00\x07\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00"
		"\x20"
		"CK"
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
		"\x00"
		"\x00\x21\x00\x01";
	unsigned char out[MXF_NB_QUERY_LEN];

	mxf_nb_status_query(7, out);
	ck_assert_mem_eq(out, expected, MXF_NB_QUERY_LEN);
}
END_TEST

/* A NODE STATUS RESPONSE to query 7 listing NAMES (18 bytes each). */
static size_t status_reply(const unsigned char *names, unsigned count)
{
	unsigned char wildcard[MXF_NB_NAME_LEN] = { '*' };
	size_t n = 12;

	memset(pkt, 0, 12);
	ns_put16(7, pkt);
	ns_put16(0x8400, pkt + 2);
	ns_put16(1, pkt + 6);
	mxf_nb_encode(wildcard, pkt + n);
	n += MXF_NB_ENCODED_LEN;
	ns_put16(0x21, pkt + n);
	ns_put16(1, pkt + n + 2);
	ns_put16((uint16_t)(1 + count * 18 + 46), pkt + n + 8);
	n += 10;
	pkt[n++] = (unsigned char)count;
	memcpy(pkt + n, names, count * 18);
	n += count * 18;
	memset(pkt + n, 0, 46); /* statistics */
	return n + 46;
}

START_TEST(test_node_status_gives_the_unique_workstation_name)
{
	static const unsigned char names[] = "TESTGRP        \x00\x84\x00" /* group <00> */
					     "WINSSRV        \x20\x04\x00" /* <20> */
					     "WINSSRV        \x00\x04\x00"; /* unique <00> */
	char got[MXF_NB_NAME_LEN];
	size_t len = status_reply(names, 3);

	ck_assert_int_eq(mxf_nb_parse_status(pkt, len, 7, got), 0);
	ck_assert_str_eq(got, "WINSSRV");
	ck_assert_int_eq(mxf_nb_parse_status(pkt, len, 8, got), -1); /* wrong ID */
	for (size_t i = 0; i < len; i++)
		ck_assert_msg(mxf_nb_parse_status(pkt, i, 7, got) == -1, "prefix %zu accepted", i);
	pkt[12 + MXF_NB_ENCODED_LEN + 10] = 10; /* NUM_NAMES past the data */
	ck_assert_int_eq(mxf_nb_parse_status(pkt, len, 7, got), -1);
}
END_TEST

START_TEST(test_node_status_without_a_unique_name_gives_none)
{
	static const unsigned char names[] = "TESTGRP        \x00\x84\x00";
	char got[MXF_NB_NAME_LEN];

	ck_assert_int_eq(mxf_nb_parse_status(pkt, status_reply(names, 1), 7, got), -1);
}
END_TEST

Suite *nbns_suite(void)
{
	Suite *s = suite_create("nbns");
	TCase *tc = tcase_create("nbns");

	tcase_add_loop_test(tc, test_name_of_every_length_round_trips, 1, 16);
	tcase_add_test(tc, test_rfc1001_example_fred);
	tcase_add_test(tc, test_bad_names_are_refused);
	tcase_add_test(tc, test_decode_refuses_letters_outside_a_to_p);
	tcase_add_test(tc, test_query_request_bytes_are_exact);
	tcase_add_test(tc, test_positive_reply_with_one_address);
	tcase_add_test(tc, test_group_reply_keeps_order_and_drops_unusable_addresses);
	tcase_add_test(tc, test_negative_reply);
	tcase_add_test(tc, test_wack_names_the_wait);
	tcase_add_test(tc, test_every_truncation_is_ignored);
	tcase_add_test(tc, test_reply_not_for_us_is_ignored);
	tcase_add_test(tc, test_requests_broadcasts_and_other_opcodes_are_ignored);
	tcase_add_test(tc, test_counts_that_lie_are_ignored);
	tcase_add_test(tc, test_bad_rdata_lengths_are_ignored);
	tcase_add_test(tc, test_bad_label_length_is_ignored);
	tcase_add_test(tc, test_pointer_to_the_question_is_read);
	tcase_add_test(tc, test_pointers_rfc1002_does_not_use_are_refused);
	tcase_add_test(tc, test_node_status_request_bytes_are_exact);
	tcase_add_test(tc, test_node_status_gives_the_unique_workstation_name);
	tcase_add_test(tc, test_node_status_without_a_unique_name_gives_none);
	suite_add_tcase(s, tc);
	return s;
}

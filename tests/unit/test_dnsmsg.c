/* The DNS reader: a reply is validated and indexed once, then read.  Messages come
 * from dnsbuild (res_mkquery + dn_comp) or are assembled byte by byte. */
#include "dnsbuild.h"
#include "dnsmsg.h"
#include "suites.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct dnsbuild b;
static struct mxf_dnsmsg m;
static struct mxf_answer ans;
static char hosts[MXF_DNSMSG_NAME_ROOM];

/* NAME in wire form, as the readers take it (ns_name_pton: "a.test" and
 * "a.test." are the same name). */
static const unsigned char *W(const char *name)
{
	static unsigned char wire[4][NS_MAXCDNAME];
	static unsigned next;
	unsigned char *w = wire[next++ % 4];

	ck_assert_int_ge(ns_name_pton(name, w, NS_MAXCDNAME), 0);
	return w;
}

/* Wire name NAME as text. */
static const char *T(const unsigned char *name)
{
	static char text[NS_MAXDNAME];

	ck_assert_int_eq(mxf_dnsmsg_text(name, text), 0);
	return text;
}

static void mx_reply(void)
{
	db_start(&b, "mail.test", ns_t_mx);
	db_mx(&b, "mail.test", 20, "backup.mail.test", 300);
	db_mx(&b, "mail.test", 10, "primary.mail.test", 600);
	db_a(&b, ns_s_ar, "primary.mail.test", "192.0.2.1", 120);
	db_aaaa(&b, ns_s_ar, "PRIMARY.Mail.Test", "2001:db8::1", 60);
	db_a(&b, ns_s_ar, "backup.mail.test", "192.0.2.2", 300);
}

START_TEST(test_mx_records_read_in_message_order)
{
	struct mxf_mx mx[4];

	mx_reply();
	ck_assert_int_eq(mxf_dnsmsg_open(&m, b.buf, b.len), 0);
	ck_assert_str_eq(T(m.qname), "mail.test");
	ck_assert_int_eq(m.qtype, ns_t_mx);
	ck_assert_uint_eq(mxf_dnsmsg_mx(&m, W("mail.test"), mx, 4, hosts, sizeof(hosts)), 2);
	ck_assert_uint_eq(mx[0].preference, 20);
	ck_assert_str_eq(mx[0].host, "backup.mail.test");
	ck_assert_uint_eq(mx[0].ttl, 300);
	ck_assert_uint_eq(mx[1].preference, 10);
	ck_assert_str_eq(mx[1].host, "primary.mail.test");
}
END_TEST

START_TEST(test_mx_of_another_owner_is_ignored)
{
	struct mxf_mx mx[4];

	mx_reply();
	ck_assert_int_eq(mxf_dnsmsg_open(&m, b.buf, b.len), 0);
	ck_assert_uint_eq(mxf_dnsmsg_mx(&m, W("other.test"), mx, 4, hosts, sizeof(hosts)), 0);
	ck_assert_uint_eq(mxf_dnsmsg_mx(&m, W("MAIL.TEST"), mx, 1, hosts, sizeof(hosts)), 1);
}
END_TEST

START_TEST(test_glue_comes_from_additional_section_case_insensitively)
{
	mx_reply();
	ck_assert_int_eq(mxf_dnsmsg_open(&m, b.buf, b.len), 0);
	mxf_answer_init(&ans);
	ck_assert_uint_eq(mxf_dnsmsg_addresses(&m, ns_s_ar, W("primary.mail.test"), AF_INET6, &ans), 1);
	ck_assert_uint_eq(mxf_dnsmsg_addresses(&m, ns_s_ar, W("primary.mail.test"), AF_INET, &ans), 1);
	ck_assert_uint_eq(ans.n_addrs, 2);
	ck_assert_int_eq(ans.addrs[0].family, AF_INET6);
	ck_assert_int_eq(ans.addrs[1].family, AF_INET);
	ck_assert_mem_eq(ans.addrs[1].bytes, "\xc0\x00\x02\x01", 4);
	ck_assert_uint_eq(ans.ttl, 60);
	/* The answer section holds no addresses. */
	ck_assert_uint_eq(mxf_dnsmsg_addresses(&m, ns_s_an, W("primary.mail.test"), AF_INET, &ans), 0);
}
END_TEST

START_TEST(test_null_mx_reads_as_empty_host)
{
	struct mxf_mx mx[2];

	db_start(&b, "nomail.test", ns_t_mx);
	db_mx(&b, "nomail.test", 0, ".", 300);
	ck_assert_int_eq(mxf_dnsmsg_open(&m, b.buf, b.len), 0);
	ck_assert_uint_eq(mxf_dnsmsg_mx(&m, W("nomail.test"), mx, 2, hosts, sizeof(hosts)), 1);
	ck_assert_str_eq(mx[0].host, "");
	ck_assert_uint_eq(mx[0].preference, 0);
}
END_TEST

/* Where mx_reply's answer section ends: its glue follows. */
static size_t mx_reply_answers_end(void)
{
	db_start(&b, "mail.test", ns_t_mx);
	db_mx(&b, "mail.test", 20, "backup.mail.test", 300);
	db_mx(&b, "mail.test", 10, "primary.mail.test", 600);
	return b.len;
}

/* A message cut in its header, question or answer section is refused; cut
 * after it, it keeps its answers and the glue that is whole (nss_dns reads
 * nothing past the answer section). */
START_TEST(test_every_truncation_of_the_answers_is_rejected)
{
	struct mxf_mx mx[4];
	size_t answers_end = mx_reply_answers_end();

	mx_reply();
	for (size_t len = 0; len < b.len; len++) {
		int rc = mxf_dnsmsg_open(&m, b.buf, len);
		if (len < answers_end) {
			ck_assert_msg(rc != 0, "prefix of %zu accepted", len);
			continue;
		}
		ck_assert_msg(rc == 0, "prefix of %zu refused", len);
		ck_assert_uint_eq(mxf_dnsmsg_mx(&m, W("mail.test"), mx, 4, hosts, sizeof(hosts)), 2);
	}
	ck_assert_int_eq(mxf_dnsmsg_open(&m, b.buf, answers_end + 1), 0);
	mxf_answer_init(&ans);
	ck_assert_uint_eq(mxf_dnsmsg_addresses(&m, ns_s_ar, W("primary.mail.test"), AF_INET, &ans), 0);
	ck_assert_int_eq(mxf_dnsmsg_open(&m, b.buf, b.len - 1), 0);
	ck_assert_uint_eq(mxf_dnsmsg_addresses(&m, ns_s_ar, W("primary.mail.test"), AF_INET, &ans), 1);
	ck_assert_uint_eq(mxf_dnsmsg_addresses(&m, ns_s_ar, W("backup.mail.test"), AF_INET, &ans), 0);
}
END_TEST

START_TEST(test_trailing_bytes_are_not_read)
{
	struct mxf_mx mx[4];

	mx_reply();
	b.buf[b.len++] = 0;
	ck_assert_int_eq(mxf_dnsmsg_open(&m, b.buf, b.len), 0);
	ck_assert_uint_eq(mxf_dnsmsg_mx(&m, W("mail.test"), mx, 4, hosts, sizeof(hosts)), 2);
	mxf_answer_init(&ans);
	ck_assert_uint_eq(mxf_dnsmsg_addresses(&m, ns_s_ar, W("backup.mail.test"), AF_INET, &ans), 1);
}
END_TEST

START_TEST(test_query_is_not_a_response)
{
	mx_reply();
	b.buf[2] &= 0x7f;
	ck_assert_int_ne(mxf_dnsmsg_open(&m, b.buf, b.len), 0);
}
END_TEST

START_TEST(test_question_count_must_be_one)
{
	mx_reply();
	ns_put16(0, b.buf + 4);
	ck_assert_int_ne(mxf_dnsmsg_open(&m, b.buf, b.len), 0);
	ns_put16(2, b.buf + 4);
	ck_assert_int_ne(mxf_dnsmsg_open(&m, b.buf, b.len), 0);
}
END_TEST

START_TEST(test_record_count_that_lies_is_rejected)
{
	mx_reply();
	ns_put16(6, b.buf + 6); /* ANCOUNT 6, but 5 records in all follow */
	ck_assert_int_ne(mxf_dnsmsg_open(&m, b.buf, b.len), 0);
}
END_TEST

/* nss_dns's getanswer_r skips an address of the wrong size and reads on. */
START_TEST(test_a_record_of_wrong_size_is_skipped)
{
	db_start(&b, "h.test", ns_t_a);
	db_rr(&b, ns_s_an, "h.test", ns_t_a, 60, "\x01\x02\x03\x04\x05", 5);
	db_a(&b, ns_s_an, "h.test", "192.0.2.9", 60);
	ck_assert_int_eq(mxf_dnsmsg_open(&m, b.buf, b.len), 0);
	mxf_answer_init(&ans);
	ck_assert_uint_eq(mxf_dnsmsg_addresses(&m, ns_s_an, W("h.test"), AF_INET, &ans), 1);
	ck_assert_mem_eq(ans.addrs[0].bytes, "\xc0\x00\x02\x09", 4);
	db_start(&b, "h.test", ns_t_aaaa);
	db_rr(&b, ns_s_an, "h.test", ns_t_aaaa, 60, "\x01\x02\x03\x04", 4);
	ck_assert_int_eq(mxf_dnsmsg_open(&m, b.buf, b.len), 0);
	mxf_answer_init(&ans);
	ck_assert_uint_eq(mxf_dnsmsg_addresses(&m, ns_s_an, W("h.test"), AF_INET6, &ans), 0);
}
END_TEST

/* Bytes after a CNAME's target are not read, as nss_dns does not. */
START_TEST(test_bytes_after_a_cname_target_are_not_read)
{
	const unsigned char *canon;
	uint32_t ttl = MXF_TTL_NONE;

	db_start(&b, "a.test", ns_t_a);
	db_rr(&b, ns_s_an, "a.test", ns_t_cname, 60, "\x01" "b\x04" "test\x00\x00\x07", 10);
	db_a(&b, ns_s_an, "b.test", "192.0.2.10", 60);
	ck_assert_int_eq(mxf_dnsmsg_open(&m, b.buf, b.len), 0);
	ck_assert_int_eq(mxf_dnsmsg_follow_cnames(&m, W("a.test"), &canon, NULL, &ttl), 1);
	ck_assert_str_eq(T(canon), "b.test");
}
END_TEST

START_TEST(test_mx_rdata_with_extra_bytes_is_rejected)
{
	/* preference 10, name "a" (1 'a' 0), then one stray byte */
	db_start(&b, "h.test", ns_t_mx);
	db_rr(&b, ns_s_an, "h.test", ns_t_mx, 60, "\x00\x0a\x01" "a" "\x00" "\x07", 6);
	ck_assert_int_ne(mxf_dnsmsg_open(&m, b.buf, b.len), 0);
	db_start(&b, "h.test", ns_t_mx);
	db_rr(&b, ns_s_an, "h.test", ns_t_mx, 60, "\x00\x0a", 2);
	ck_assert_int_ne(mxf_dnsmsg_open(&m, b.buf, b.len), 0);
}
END_TEST

/* A hand-assembled reply whose answer owner is a pointer: to itself (a
 * loop), past the end, or forward into the record. */
static size_t reply_with_owner_pointer(unsigned char *msg, uint16_t target)
{
	static const unsigned char head[] = {
		0x12, 0x34, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0, /* header: QD 1, AN 1 */
		1, 'h', 4, 't', 'e', 's', 't', 0, 0, 1, 0, 1 /* h.test A IN */
	};
	size_t n = sizeof(head);

	memcpy(msg, head, n);
	msg[n++] = (unsigned char)(0xc0 | (target >> 8));
	msg[n++] = (unsigned char)target;
	memcpy(msg + n, "\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x04\xc0\x00\x02\x01", 14);
	return n + 14;
}

START_TEST(test_compression_pointer_to_question_is_read)
{
	unsigned char msg[64];
	size_t len = reply_with_owner_pointer(msg, 12);

	ck_assert_int_eq(mxf_dnsmsg_open(&m, msg, len), 0);
	mxf_answer_init(&ans);
	ck_assert_uint_eq(mxf_dnsmsg_addresses(&m, ns_s_an, W("h.test"), AF_INET, &ans), 1);
}
END_TEST

START_TEST(test_compression_pointer_loop_is_rejected)
{
	unsigned char msg[64];
	size_t len = reply_with_owner_pointer(msg, 24); /* points at itself */

	ck_assert_int_ne(mxf_dnsmsg_open(&m, msg, len), 0);
}
END_TEST

START_TEST(test_compression_pointer_out_of_bounds_is_rejected)
{
	unsigned char msg[64];
	size_t len = reply_with_owner_pointer(msg, 0x3fff);

	ck_assert_int_ne(mxf_dnsmsg_open(&m, msg, len), 0);
}
END_TEST

START_TEST(test_name_longer_than_255_bytes_is_rejected)
{
	unsigned char msg[600];
	size_t n = 12;

	memcpy(msg, "\x12\x34\x81\x80\x00\x01\x00\x00\x00\x00\x00\x00", 12);
	for (int i = 0; i < 5; i++) { /* 5 labels of 63: 320 bytes */
		msg[n++] = 63;
		memset(msg + n, 'a', 63);
		n += 63;
	}
	msg[n++] = 0;
	memcpy(msg + n, "\x00\x01\x00\x01", 4);
	ck_assert_int_ne(mxf_dnsmsg_open(&m, msg, n + 4), 0);
}
END_TEST

START_TEST(test_cname_chain_is_followed_with_aliases_and_ttl)
{
	const unsigned char *canon;
	uint32_t ttl = MXF_TTL_NONE;

	db_start(&b, "www.test", ns_t_a);
	db_cname(&b, "www.test", "web.test", 50);
	db_cname(&b, "web.test", "host.test", 500);
	db_a(&b, ns_s_an, "host.test", "192.0.2.7", 300);
	ck_assert_int_eq(mxf_dnsmsg_open(&m, b.buf, b.len), 0);
	mxf_answer_init(&ans);
	mxf_answer_set_name(&ans, "host.test");
	ck_assert_int_eq(mxf_dnsmsg_follow_cnames(&m, W("www.test"), &canon, &ans, &ttl), 2);
	ck_assert_str_eq(T(canon), "host.test");
	ck_assert_uint_eq(ttl, 50);
	ck_assert_uint_eq(ans.n_aliases, 2);
	ck_assert_str_eq(mxf_answer_alias(&ans, 0), "www.test");
	ck_assert_str_eq(mxf_answer_alias(&ans, 1), "web.test");
}
END_TEST

START_TEST(test_cname_loop_is_refused)
{
	const unsigned char *canon;
	uint32_t ttl = MXF_TTL_NONE;

	db_start(&b, "a.test", ns_t_a);
	db_cname(&b, "a.test", "b.test", 60);
	db_cname(&b, "b.test", "a.test", 60);
	ck_assert_int_eq(mxf_dnsmsg_open(&m, b.buf, b.len), 0);
	ck_assert_int_eq(mxf_dnsmsg_follow_cnames(&m, W("a.test"), &canon, NULL, &ttl), -1);
}
END_TEST

START_TEST(test_cname_chain_length_is_bounded)
{
	const unsigned char *canon;
	char from[32], to[32];
	uint32_t ttl = MXF_TTL_NONE;
	int hops = _i; /* 20 hops are followed, 40 refused */

	db_start(&b, "c0.test", ns_t_a);
	for (int i = 0; i < hops; i++) {
		snprintf(from, sizeof(from), "c%d.test", i);
		snprintf(to, sizeof(to), "c%d.test", i + 1);
		db_cname(&b, from, to, 60);
	}
	ck_assert_int_eq(mxf_dnsmsg_open(&m, b.buf, b.len), 0);
	ck_assert_int_eq(mxf_dnsmsg_follow_cnames(&m, W("c0.test"), &canon, NULL, &ttl),
			 hops <= MXF_MAX_CNAME_HOPS ? hops : -1);
	if (hops <= MXF_MAX_CNAME_HOPS) {
		snprintf(to, sizeof(to), "c%d.test", hops);
		ck_assert_str_eq(T(canon), to);
	}
}
END_TEST

/* MX rdata of two bytes: no exchanger name. */
#define BAD_MX "\x00\x0a", 2

START_TEST(test_sections_nothing_reads_are_not_judged)
{
	/* An A reply: its authority and additional sections are not read, as
	 * nss_dns does not read them; a bad record there costs no answer. */
	db_start(&b, "h.test", ns_t_a);
	db_a(&b, ns_s_an, "h.test", "192.0.2.9", 60);
	db_rr(&b, ns_s_ns, "h.test", ns_t_mx, 60, BAD_MX);
	db_rr(&b, ns_s_ar, "h.test", ns_t_mx, 60, BAD_MX);
	ck_assert_int_eq(mxf_dnsmsg_open(&m, b.buf, b.len), 0);
	mxf_answer_init(&ans);
	ck_assert_uint_eq(mxf_dnsmsg_addresses(&m, ns_s_an, W("h.test"), AF_INET, &ans), 1);
	/* An MX reply's additional section: only its A/AAAA glue is read. */
	db_start(&b, "h.test", ns_t_mx);
	db_mx(&b, "h.test", 10, "mx.h.test", 60);
	db_rr(&b, ns_s_ns, "h.test", ns_t_mx, 60, BAD_MX);
	ck_assert_int_eq(mxf_dnsmsg_open(&m, b.buf, b.len), 0);
	db_rr(&b, ns_s_ar, "h.test", ns_t_mx, 60, BAD_MX);
	ck_assert_int_eq(mxf_dnsmsg_open(&m, b.buf, b.len), 0);
}
END_TEST

/* Issue 12, item 4: one broken glue record (an AAAA of 4 bytes) no longer
 * makes the MX reply unusable; it is left out, and the rest is read. */
START_TEST(test_broken_glue_is_skipped_not_fatal)
{
	struct mxf_mx mx[4];

	db_start(&b, "d.test", ns_t_mx);
	db_mx(&b, "d.test", 10, "mx1.d.test", 300);
	db_mx(&b, "d.test", 20, "mx2.d.test", 300);
	db_rr(&b, ns_s_ar, "mx1.d.test", ns_t_aaaa, 300, "\xc0\x00\x02\x01", 4);
	db_rr(&b, ns_s_ar, "mx1.d.test", ns_t_a, 300, "\xc0\x00\x02\x01\x09", 5);
	db_a(&b, ns_s_ar, "mx1.d.test", "192.0.2.11", 300);
	db_rr(&b, ns_s_ar, "mx2.d.test", ns_t_cname, 300, "\x03" "abc", 4);
	db_aaaa(&b, ns_s_ar, "mx2.d.test", "2001:db8::12", 300);
	ck_assert_int_eq(mxf_dnsmsg_open(&m, b.buf, b.len), 0);
	ck_assert_uint_eq(mxf_dnsmsg_mx(&m, W("d.test"), mx, 4, hosts, sizeof(hosts)), 2);
	ck_assert_str_eq(mx[1].host, "mx2.d.test");
	mxf_answer_init(&ans);
	ck_assert_uint_eq(mxf_dnsmsg_addresses(&m, ns_s_ar, W("mx1.d.test"), AF_INET6, &ans), 0);
	ck_assert_uint_eq(mxf_dnsmsg_addresses(&m, ns_s_ar, W("mx1.d.test"), AF_INET, &ans), 1);
	ck_assert_uint_eq(mxf_dnsmsg_addresses(&m, ns_s_ar, W("mx2.d.test"), AF_INET6, &ans), 1);
	ck_assert_uint_eq(ans.n_addrs, 2);
}
END_TEST

/* What the lookup reads must be whole: a broken MX, or a broken CNAME on
 * the way to the MX set, makes the reply unusable (MXF_MALFORMED). */
START_TEST(test_broken_record_the_answer_uses_fails_the_reply)
{
	db_start(&b, "d.test", ns_t_mx);
	db_mx(&b, "d.test", 10, "mx1.d.test", 300);
	db_rr(&b, ns_s_an, "d.test", ns_t_mx, 300, "\x00\x14\x03" "mx2", 6);
	ck_assert_int_ne(mxf_dnsmsg_open(&m, b.buf, b.len), 0);
	db_start(&b, "d.test", ns_t_mx);
	db_rr(&b, ns_s_an, "d.test", ns_t_cname, 300, "\x03" "abc", 4);
	ck_assert_int_ne(mxf_dnsmsg_open(&m, b.buf, b.len), 0);
}
END_TEST

/* Answer records of a type nobody asked for are skipped unread, as
 * nss_dns's getanswer_r skips them: an AAAA of 4 bytes in an A reply, an A
 * of 5 bytes in an MX reply. */
START_TEST(test_answer_records_of_other_types_are_not_judged)
{
	struct mxf_mx mx[2];

	db_start(&b, "h.test", ns_t_a);
	db_rr(&b, ns_s_an, "h.test", ns_t_aaaa, 60, "\x01\x02\x03\x04", 4);
	db_a(&b, ns_s_an, "h.test", "192.0.2.9", 60);
	ck_assert_int_eq(mxf_dnsmsg_open(&m, b.buf, b.len), 0);
	mxf_answer_init(&ans);
	ck_assert_uint_eq(mxf_dnsmsg_addresses(&m, ns_s_an, W("h.test"), AF_INET, &ans), 1);
	db_start(&b, "d.test", ns_t_mx);
	db_rr(&b, ns_s_an, "d.test", ns_t_a, 60, "\x01\x02\x03\x04\x05", 5);
	db_mx(&b, "d.test", 10, "mx1.d.test", 300);
	ck_assert_int_eq(mxf_dnsmsg_open(&m, b.buf, b.len), 0);
	ck_assert_uint_eq(mxf_dnsmsg_mx(&m, W("d.test"), mx, 2, hosts, sizeof(hosts)), 1);
}
END_TEST

START_TEST(test_index_holds_at_most_its_limit_of_records)
{
	unsigned n = MXF_DNSMSG_MAX_RRS + 44;

	db_start(&b, "many.test", ns_t_a);
	for (unsigned i = 0; i < n; i++) {
		char addr[16];
		snprintf(addr, sizeof(addr), "10.0.%u.%u", i / 256, i % 256);
		db_a(&b, ns_s_an, "many.test", addr, 60);
	}
	ck_assert_int_eq(mxf_dnsmsg_open(&m, b.buf, b.len), 0);
	ck_assert_uint_eq(m.n_rrs, MXF_DNSMSG_MAX_RRS);
	mxf_answer_init(&ans);
	ck_assert_uint_eq(mxf_dnsmsg_addresses(&m, ns_s_an, W("many.test"), AF_INET, &ans),
			  MXF_DNSMSG_MAX_RRS);
	/* A malformed record past the limit still makes the message malformed. */
	db_rr(&b, ns_s_an, "many.test", ns_t_cname, 60, "\x03" "abc", 4);
	ck_assert_int_ne(mxf_dnsmsg_open(&m, b.buf, b.len), 0);
}
END_TEST

START_TEST(test_record_whose_names_do_not_fit_is_left_out_whole)
{
	char suffix[200], owner[256], target[256];
	unsigned n = 0;

	/* Distinct 200-byte owners and targets: the name room holds ~40. */
	memset(suffix, 'x', 63);
	memset(suffix + 64, 'y', 63);
	memset(suffix + 128, 'z', 63);
	suffix[63] = suffix[127] = '.';
	strcpy(suffix + 191, ".test");
	db_start(&b, "c0.test", ns_t_a);
	for (; n < 60; n++) {
		snprintf(owner, sizeof(owner), "o%u.%s", n, suffix);
		snprintf(target, sizeof(target), "t%u.%s", n, suffix);
		db_cname(&b, owner, target, 60);
	}
	ck_assert_int_eq(mxf_dnsmsg_open(&m, b.buf, b.len), 0);
	ck_assert_uint_gt(m.n_rrs, 0);
	ck_assert_uint_lt(m.n_rrs, n);
	ck_assert_uint_le(m.names_used, sizeof(m.names));
	for (unsigned i = 0; i < m.n_rrs; i++) {
		const unsigned char *canon;
		uint32_t ttl = MXF_TTL_NONE;
		snprintf(owner, sizeof(owner), "o%u.%s", i, suffix);
		snprintf(target, sizeof(target), "t%u.%s", i, suffix);
		ck_assert_int_eq(mxf_dnsmsg_follow_cnames(&m, W(owner), &canon, NULL, &ttl), 1);
		ck_assert_str_eq(T(canon), target);
	}
}
END_TEST

START_TEST(test_readers_do_not_need_the_reply_after_open)
{
	struct mxf_mx mx[4];
	char text[INET6_ADDRSTRLEN];

	mx_reply();
	ck_assert_int_eq(mxf_dnsmsg_open(&m, b.buf, b.len), 0);
	memset(b.buf, 0xff, sizeof(b.buf)); /* the buffer is reused by the next query */
	ck_assert_uint_eq(mxf_dnsmsg_mx(&m, W("mail.test"), mx, 4, hosts, sizeof(hosts)), 2);
	ck_assert_str_eq(mx[1].host, "primary.mail.test");
	mxf_answer_init(&ans);
	ck_assert_uint_eq(mxf_dnsmsg_addresses(&m, ns_s_ar, mx[1].host_wire, AF_INET6, &ans), 1);
	ck_assert_str_eq(inet_ntop(AF_INET6, ans.addrs[0].bytes, text, sizeof(text)),
			 "2001:db8::1");
}
END_TEST

/* Exchanger I of a set: about 200 bytes unpacked, but only its first label
 * and a pointer in the message, where dn_comp shares the rest. */
static const char *long_exchanger(unsigned i)
{
	static char host[256];
	char label[64];

	memset(label, 'x', 60);
	label[60] = '\0';
	snprintf(host, sizeof(host), "m%02u.%s.%s.%s.d.test", i, label, label, label);
	return host;
}

/* Glue owners are compression pointers to the MX records' exchangers
 * (dn_comp writes them so); the reader reuses the exchanger's copy.  With
 * more long exchangers than the name room holds, the records left out take
 * their names with them: every exchanger indexed still finds its own glue,
 * and no other. */
START_TEST(test_glue_pointing_at_exchangers_finds_its_own_address)
{
	struct mxf_mx mx[64];
	char addr[16];
	unsigned n = 60, listed;

	db_start(&b, "d.test", ns_t_mx);
	for (unsigned i = 0; i < n; i++)
		db_mx(&b, "d.test", 10, long_exchanger(i), 300);
	for (unsigned i = 0; i < n; i++) {
		snprintf(addr, sizeof(addr), "192.0.2.%u", i);
		db_a(&b, ns_s_ar, long_exchanger(i), addr, 300);
	}
	ck_assert_int_eq(mxf_dnsmsg_open(&m, b.buf, b.len), 0);
	listed = mxf_dnsmsg_mx(&m, W("d.test"), mx, 64, hosts, sizeof(hosts));
	ck_assert_uint_gt(listed, 0);
	ck_assert_uint_lt(listed, n); /* the room is full before the last */
	for (unsigned i = 0; i < listed; i++) {
		char want[16], got[16];
		mxf_answer_init(&ans);
		unsigned glue = mxf_dnsmsg_addresses(&m, ns_s_ar, mx[i].host_wire, AF_INET, &ans);
		/* The first ones are remembered by their place in the message
		 * (dnsmsg.c keeps 16 such places), so their glue costs no room;
		 * later ones may find it full. */
		ck_assert_msg(glue == 1 || i >= 8, "exchanger %u (%s): no glue", i, mx[i].host);
		ck_assert_uint_le(glue, 1);
		if (glue == 0)
			continue;
		snprintf(want, sizeof(want), "192.0.2.%u", (unsigned)atoi(mx[i].host + 1));
		ck_assert_str_eq(inet_ntop(AF_INET, ans.addrs[0].bytes, got, sizeof(got)), want);
	}
}
END_TEST

Suite *dnsmsg_suite(void)
{
	Suite *s = suite_create("dnsmsg");
	TCase *tc = tcase_create("dnsmsg");

	tcase_add_test(tc, test_mx_records_read_in_message_order);
	tcase_add_test(tc, test_mx_of_another_owner_is_ignored);
	tcase_add_test(tc, test_glue_comes_from_additional_section_case_insensitively);
	tcase_add_test(tc, test_null_mx_reads_as_empty_host);
	tcase_add_test(tc, test_every_truncation_of_the_answers_is_rejected);
	tcase_add_test(tc, test_trailing_bytes_are_not_read);
	tcase_add_test(tc, test_query_is_not_a_response);
	tcase_add_test(tc, test_question_count_must_be_one);
	tcase_add_test(tc, test_record_count_that_lies_is_rejected);
	tcase_add_test(tc, test_a_record_of_wrong_size_is_skipped);
	tcase_add_test(tc, test_bytes_after_a_cname_target_are_not_read);
	tcase_add_test(tc, test_mx_rdata_with_extra_bytes_is_rejected);
	tcase_add_test(tc, test_compression_pointer_to_question_is_read);
	tcase_add_test(tc, test_compression_pointer_loop_is_rejected);
	tcase_add_test(tc, test_compression_pointer_out_of_bounds_is_rejected);
	tcase_add_test(tc, test_name_longer_than_255_bytes_is_rejected);
	tcase_add_test(tc, test_cname_chain_is_followed_with_aliases_and_ttl);
	tcase_add_test(tc, test_cname_loop_is_refused);
	tcase_add_loop_test(tc, test_cname_chain_length_is_bounded, 20, 21);
	tcase_add_loop_test(tc, test_cname_chain_length_is_bounded, 40, 41);
	tcase_add_test(tc, test_sections_nothing_reads_are_not_judged);
	tcase_add_test(tc, test_broken_glue_is_skipped_not_fatal);
	tcase_add_test(tc, test_broken_record_the_answer_uses_fails_the_reply);
	tcase_add_test(tc, test_answer_records_of_other_types_are_not_judged);
	tcase_add_test(tc, test_readers_do_not_need_the_reply_after_open);
	tcase_add_test(tc, test_index_holds_at_most_its_limit_of_records);
	tcase_add_test(tc, test_record_whose_names_do_not_fit_is_left_out_whole);
	tcase_add_test(tc, test_glue_pointing_at_exchangers_finds_its_own_address);
	suite_add_tcase(s, tc);
	return s;
}

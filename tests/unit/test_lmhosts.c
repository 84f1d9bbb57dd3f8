/* LMHOSTS: every syntax form of Windows NT and Samba, every bad line, and
 * the table's rules (first entry wins, #MH collects, 16th byte filters). */
#include "lmhosts_parse.h"
#include "lmhosts_table.h"
#include "suites.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

static struct mxf_lm_line line;

static void parse(const char *text)
{
	mxf_lm_parse_line(text, strlen(text), &line);
}

static void assert_entry(const char *addr, const char *key15, const char *spelling, int suffix,
			 bool mh)
{
	char text[INET_ADDRSTRLEN];

	ck_assert_msg(line.kind == MXF_LM_ENTRY, "not an entry: %s",
		      line.error != NULL ? line.error : "");
	ck_assert_str_eq(inet_ntop(AF_INET, &line.addr, text, sizeof(text)), addr);
	ck_assert_mem_eq(line.key, key15, MXF_LM_NAME_LEN);
	ck_assert_str_eq(line.spelling, spelling);
	ck_assert_int_eq(line.suffix, suffix);
	ck_assert(line.multihomed == mh);
}

START_TEST(test_plain_entry)
{
	parse("192.0.2.1 fileserver");
	assert_entry("192.0.2.1", "FILESERVER     ", "fileserver", -1, false);
}
END_TEST

START_TEST(test_windows_keywords_are_accepted)
{
	parse("192.0.2.2\tPDC1   #PRE #DOM:SALES   # primary DC");
	assert_entry("192.0.2.2", "PDC1           ", "PDC1", -1, false);
	parse("192.0.2.3 multi #PRE #MH");
	assert_entry("192.0.2.3", "MULTI          ", "multi", -1, true);
	parse("192.0.2.4 dc2 #pre #dom:x #mh");
	assert_entry("192.0.2.4", "DC2            ", "dc2", -1, true);
}
END_TEST

START_TEST(test_samba_name_type)
{
	parse("192.0.2.5 FILESRV#20");
	assert_entry("192.0.2.5", "FILESRV        ", "FILESRV", 0x20, false);
	parse("192.0.2.5 host#1c");
	assert_entry("192.0.2.5", "HOST           ", "host", 0x1c, false);
}
END_TEST

START_TEST(test_quoted_name_with_16th_byte)
{
	parse("192.0.2.6 \"appname        \\0x14\" #PRE");
	assert_entry("192.0.2.6", "APPNAME        ", "appname", 0x14, false);
	parse("192.0.2.6 \"two words\"");
	assert_entry("192.0.2.6", "TWO WORDS      ", "two words", -1, false);
	parse("192.0.2.6 \"a\\0x41b\"");
	assert_entry("192.0.2.6", "AAB            ", "aAb", -1, false);
}
END_TEST

START_TEST(test_directives)
{
	parse("#INCLUDE /etc/samba/lmhosts.d/site");
	ck_assert_int_eq(line.kind, MXF_LM_INCLUDE);
	ck_assert_str_eq(line.path, "/etc/samba/lmhosts.d/site");
	parse("  #include   \"relative file\"  ");
	ck_assert_int_eq(line.kind, MXF_LM_INCLUDE);
	ck_assert_str_eq(line.path, "relative file");
	parse("#BEGIN_ALTERNATE");
	ck_assert_int_eq(line.kind, MXF_LM_BEGIN_ALTERNATE);
	parse("#END_ALTERNATE");
	ck_assert_int_eq(line.kind, MXF_LM_END_ALTERNATE);
	parse("#BEGIN_INCLUDE");
	ck_assert_int_eq(line.kind, MXF_LM_BEGIN_ALTERNATE);
	parse("#END_INCLUDE");
	ck_assert_int_eq(line.kind, MXF_LM_END_ALTERNATE);
}
END_TEST

START_TEST(test_comments_and_blank_lines)
{
	static const char *const nothing[] = { "", "   \t\r", "# 192.0.2.1 commented",
					       "#PRE", "#DOM:X", "#MH", "#SG whatever" };

	for (size_t i = 0; i < sizeof(nothing) / sizeof(nothing[0]); i++) {
		parse(nothing[i]);
		ck_assert_msg(line.kind == MXF_LM_NOTHING, "'%s' not a comment", nothing[i]);
	}
	parse("192.0.2.7 crlf\r");
	assert_entry("192.0.2.7", "CRLF           ", "crlf", -1, false);
}
END_TEST

static const char *const bad_lines[] = {
	"300.1.1.1 host",
	"192.0.2 host",
	"2001:db8::1 host",
	"host 192.0.2.1",
	"192.0.2.1",
	"192.0.2.1 # only a comment",
	"192.0.2.1 sixteencharsxxxx",
	"192.0.2.1 \"unbalanced",
	"192.0.2.1 \"seventeen bytes..\"",
	"192.0.2.1 \"\"",
	"192.0.2.1 name#2",
	"192.0.2.1 name#zz",
	"192.0.2.1 #20",
	"192.0.2.1 caf\xc3\xa9",
	"192.0.2.1 ctl\x01x",
	"192.0.2.1 host third-word",
	"192.0.2.1 \"q\"x",
	"#INCLUDE",
};

START_TEST(test_bad_line)
{
	parse(bad_lines[_i]);
	ck_assert_msg(line.kind == MXF_LM_BAD, "'%s' accepted", bad_lines[_i]);
	ck_assert_ptr_nonnull(line.error);
}
END_TEST

START_TEST(test_nul_byte_makes_a_bad_line)
{
	mxf_lm_parse_line("192.0.2.1 ho\0st", 15, &line);
	ck_assert_int_eq(line.kind, MXF_LM_BAD);
}
END_TEST

START_TEST(test_key_is_upper_case_and_padded)
{
	unsigned char key[MXF_LM_NAME_LEN];

	ck_assert_int_eq(mxf_lm_key("FileSrv", 7, key), 0);
	ck_assert_mem_eq(key, "FILESRV        ", 15);
	ck_assert_int_eq(mxf_lm_key("", 0, key), -1);
	ck_assert_int_eq(mxf_lm_key("sixteencharsxxxx", 16, key), -1);
}
END_TEST

/* A table from lines of text; lookups by name. */
static struct mxf_lm_table table;
static struct mxf_answer ans;

static void table_of(const char *const *lines, size_t n)
{
	mxf_lm_table_init(&table);
	for (size_t i = 0; i < n; i++) {
		parse(lines[i]);
		ck_assert_int_eq(line.kind, MXF_LM_ENTRY);
		ck_assert_int_eq(mxf_lm_table_add(&table, &line, 0, 1), 0);
	}
	ck_assert_int_eq(mxf_lm_table_finish(&table), 0);
}

static const char *find(const char *name)
{
	static char out[256];
	unsigned char key[MXF_LM_NAME_LEN];
	char text[INET_ADDRSTRLEN];

	out[0] = '\0';
	mxf_answer_init(&ans);
	ck_assert_int_eq(mxf_lm_key(name, strlen(name), key), 0);
	mxf_lm_table_find_name(&table, key, &ans);
	for (unsigned i = 0; i < ans.n_addrs; i++) {
		inet_ntop(AF_INET, ans.addrs[i].bytes, text, sizeof(text));
		strcat(out, i ? "," : "");
		strcat(out, text);
	}
	return out;
}

START_TEST(test_first_entry_for_a_name_wins)
{
	static const char *const lines[] = { "192.0.2.1 host", "192.0.2.2 HOST", "192.0.2.3 other" };

	table_of(lines, 3);
	ck_assert_str_eq(find("Host"), "192.0.2.1");
	ck_assert_str_eq(find("other"), "192.0.2.3");
	ck_assert_str_eq(find("nobody"), "");
	mxf_lm_table_free(&table);
}
END_TEST

START_TEST(test_multihomed_entries_come_together)
{
	static const char *const lines[] = { "192.0.2.1 mh #MH", "192.0.2.9 other",
					     "192.0.2.2 mh #PRE #MH", "192.0.2.3 mh",
					     "192.0.2.4 mh #MH" };

	table_of(lines, 5);
	ck_assert_str_eq(find("mh"), "192.0.2.1,192.0.2.2,192.0.2.4");
	mxf_lm_table_free(&table);
}
END_TEST

START_TEST(test_16th_byte_filters_host_lookups)
{
	static const char *const lines[] = { "192.0.2.1 \"app            \\0x14\"",
					     "192.0.2.2 app#20", "192.0.2.3 svc#03",
					     "192.0.2.4 ws#00" };

	table_of(lines, 4);
	ck_assert_str_eq(find("app"), "192.0.2.2");
	ck_assert_str_eq(find("svc"), "");
	ck_assert_str_eq(find("ws"), "192.0.2.4");
	mxf_lm_table_free(&table);
}
END_TEST

START_TEST(test_reverse_finds_the_first_name_of_an_address)
{
	static const char *const lines[] = { "192.0.2.1 first", "192.0.2.1 second" };
	struct in_addr a;

	table_of(lines, 2);
	inet_pton(AF_INET, "192.0.2.1", &a);
	ck_assert_str_eq(mxf_lm_table_find_addr(&table, a.s_addr)->spelling, "first");
	inet_pton(AF_INET, "192.0.2.2", &a);
	ck_assert_ptr_null(mxf_lm_table_find_addr(&table, a.s_addr));
	mxf_lm_table_free(&table);
}
END_TEST

/* A reverse lookup gives only a name whose forward lookup gives the
 * address back. */
START_TEST(test_reverse_agrees_with_forward)
{
	static const char *const lines[] = {
		"192.0.2.1 \"app            \\0x03\"", /* a service name, no host */
		"192.0.2.2 svc#1b",
		"192.0.2.3 dup", "192.0.2.4 dup", /* 192.0.2.4 hidden by the first */
		"192.0.2.5 hidden", "192.0.2.3 hidden", "192.0.2.5 shown",
		"192.0.2.6 mh #MH", "192.0.2.7 mh #MH",
		"192.0.2.8 \"ws             \\0x20\"",
	};
	struct in_addr a;

	table_of(lines, sizeof(lines) / sizeof(lines[0]));
	ck_assert_str_eq(find("app"), "");
	inet_pton(AF_INET, "192.0.2.1", &a);
	ck_assert_ptr_null(mxf_lm_table_find_addr(&table, a.s_addr));
	inet_pton(AF_INET, "192.0.2.2", &a);
	ck_assert_ptr_null(mxf_lm_table_find_addr(&table, a.s_addr));
	ck_assert_str_eq(find("dup"), "192.0.2.3");
	inet_pton(AF_INET, "192.0.2.4", &a);
	ck_assert_ptr_null(mxf_lm_table_find_addr(&table, a.s_addr));
	inet_pton(AF_INET, "192.0.2.3", &a);
	ck_assert_str_eq(mxf_lm_table_find_addr(&table, a.s_addr)->spelling, "dup");
	inet_pton(AF_INET, "192.0.2.5", &a);
	ck_assert_str_eq(mxf_lm_table_find_addr(&table, a.s_addr)->spelling, "hidden");
	inet_pton(AF_INET, "192.0.2.7", &a);
	ck_assert_str_eq(mxf_lm_table_find_addr(&table, a.s_addr)->spelling, "mh");
	inet_pton(AF_INET, "192.0.2.8", &a);
	ck_assert_str_eq(mxf_lm_table_find_addr(&table, a.s_addr)->spelling, "ws");
	mxf_lm_table_free(&table);
}
END_TEST

START_TEST(test_large_table_keeps_every_entry)
{
	char text[64];
	unsigned failed = 0;

	mxf_lm_table_init(&table);
	for (unsigned i = 0; i < 100000; i++) {
		snprintf(text, sizeof(text), "10.%u.%u.%u h%u", i >> 16, (i >> 8) & 255, i & 255, i);
		parse(text);
		failed += mxf_lm_table_add(&table, &line, 0, 1) != 0;
	}
	ck_assert_uint_eq(failed, 0);
	ck_assert_int_eq(mxf_lm_table_finish(&table), 0);
	ck_assert_str_eq(find("h0"), "10.0.0.0");
	ck_assert_str_eq(find("h99999"), "10.1.134.159");
	ck_assert_str_eq(find("h100000"), "");
	mxf_lm_table_free(&table);
}
END_TEST

START_TEST(test_empty_table_finds_nothing)
{
	mxf_lm_table_init(&table);
	ck_assert_str_eq(find("x"), "");
	ck_assert_ptr_null(mxf_lm_table_find_addr(&table, 0));
	ck_assert_int_eq(mxf_lm_table_finish(&table), 0);
	ck_assert_str_eq(find("x"), "");
	mxf_lm_table_free(&table);
}
END_TEST

Suite *lmhosts_suite(void)
{
	Suite *s = suite_create("lmhosts");
	TCase *tc = tcase_create("lmhosts");

	tcase_add_test(tc, test_plain_entry);
	tcase_add_test(tc, test_windows_keywords_are_accepted);
	tcase_add_test(tc, test_samba_name_type);
	tcase_add_test(tc, test_quoted_name_with_16th_byte);
	tcase_add_test(tc, test_directives);
	tcase_add_test(tc, test_comments_and_blank_lines);
	tcase_add_loop_test(tc, test_bad_line, 0, (int)(sizeof(bad_lines) / sizeof(bad_lines[0])));
	tcase_add_test(tc, test_nul_byte_makes_a_bad_line);
	tcase_add_test(tc, test_key_is_upper_case_and_padded);
	tcase_add_test(tc, test_first_entry_for_a_name_wins);
	tcase_add_test(tc, test_multihomed_entries_come_together);
	tcase_add_test(tc, test_16th_byte_filters_host_lookups);
	tcase_add_test(tc, test_reverse_finds_the_first_name_of_an_address);
	tcase_add_test(tc, test_reverse_agrees_with_forward);
	tcase_add_test(tc, test_large_table_keeps_every_entry);
	tcase_add_test(tc, test_empty_table_finds_nothing);
	suite_add_tcase(s, tc);
	return s;
}

/* LMHOSTS files as the stage reads them (lmhosts.c): #INCLUDE, alternates,
 * a circular include (MS-NBTE 3.1.8.1: processing of the file stops), the
 * depth limit, and a reverse lookup agreeing with the forward one.  Files
 * in a fresh directory under /tmp per test. */
#include "lmhosts.h"
#include "lookup.h"
#include "suites.h"
#include "workspace.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];
static struct mxf_config cfg;

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/mxf-unit.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	mxf_config_defaults(&cfg);
	cfg.stages[0] = MXF_STAGE_LMHOSTS;
	cfg.n_stages = 1;
	snprintf(cfg.lmhosts, sizeof(cfg.lmhosts), "%s/lmhosts", dir);
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static void write_file(const char *name, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

/* The IPv4 addresses the stage gives NAME, comma-separated. */
static const char *lookup(const char *name)
{
	static char out[256];
	char text[INET_ADDRSTRLEN];
	struct mxf_workspace *ws = mxf_workspace_get();
	const struct mxf_result *res;

	ck_assert_ptr_nonnull(ws);
	res = &ws->result;
	out[0] = '\0';
	mxf_lookup_with(&cfg, name, AF_INET, false, NULL, ws);
	for (unsigned i = 0; res->outcome == MXF_FOUND && i < res->answer.n_addrs; i++) {
		inet_ntop(AF_INET, res->answer.addrs[i].bytes, text, sizeof(text));
		strcat(out, i ? "," : "");
		strcat(out, text);
	}
	mxf_workspace_put(ws);
	return out;
}

static const char *reverse(const char *addr)
{
	struct mxf_answer *ans = malloc(sizeof(*ans));
	static char out[64];
	struct in_addr a;

	ck_assert_ptr_nonnull(ans);
	inet_pton(AF_INET, addr, &a);
	mxf_answer_init(ans);
	out[0] = '\0';
	if (mxf_lmhosts_reverse(&cfg, a.s_addr, ans))
		snprintf(out, sizeof(out), "%s", mxf_answer_name(ans));
	free(ans);
	return out;
}

START_TEST(test_include_reads_the_file_in_place)
{
	write_file("lmhosts", "192.0.2.1 main\n#INCLUDE sub\n192.0.2.2 later\n");
	write_file("sub", "192.0.2.3 sub\n192.0.2.4 later\n");
	ck_assert_str_eq(lookup("main"), "192.0.2.1");
	ck_assert_str_eq(lookup("sub"), "192.0.2.3");
	/* the included line comes first: it stands where the #INCLUDE is */
	ck_assert_str_eq(lookup("later"), "192.0.2.4");
}
END_TEST

/* "An implementation MUST detect circular #INCLUDE directives and stop any
 * further processing of the file and of the query" (MS-NBTE 3.1.8.1). */
START_TEST(test_circular_include_stops_the_rest)
{
	write_file("lmhosts", "192.0.2.1 before\n#INCLUDE sub\n192.0.2.2 after\n");
	write_file("sub", "192.0.2.3 inner\n#INCLUDE lmhosts\n192.0.2.4 innerafter\n");
	ck_assert_str_eq(lookup("before"), "192.0.2.1");
	ck_assert_str_eq(lookup("inner"), "192.0.2.3");
	ck_assert_str_eq(lookup("innerafter"), "");
	ck_assert_str_eq(lookup("after"), "");
	ck_assert_str_eq(reverse("192.0.2.2"), "");
}
END_TEST

START_TEST(test_self_include_stops_the_rest)
{
	write_file("lmhosts", "192.0.2.1 before\n#INCLUDE lmhosts\n192.0.2.2 after\n");
	ck_assert_str_eq(lookup("before"), "192.0.2.1");
	ck_assert_str_eq(lookup("after"), "");
}
END_TEST

/* The same file twice, one after the other, is no loop. */
START_TEST(test_repeated_include_is_no_loop)
{
	write_file("lmhosts", "#INCLUDE sub\n#INCLUDE sub\n192.0.2.2 after\n");
	write_file("sub", "192.0.2.3 sub\n");
	ck_assert_str_eq(lookup("sub"), "192.0.2.3");
	ck_assert_str_eq(lookup("after"), "192.0.2.2");
}
END_TEST

START_TEST(test_alternate_uses_the_first_readable_include)
{
	write_file("lmhosts", "#BEGIN_ALTERNATE\n#INCLUDE missing\n#INCLUDE \\\\srv\\share\\f\n"
			      "#INCLUDE a\n#INCLUDE b\n192.0.2.9 inblock\n#END_ALTERNATE\n"
			      "#INCLUDE c\n");
	write_file("a", "192.0.2.1 a\n");
	write_file("b", "192.0.2.2 b\n");
	write_file("c", "192.0.2.3 c\n");
	ck_assert_str_eq(lookup("a"), "192.0.2.1");
	ck_assert_str_eq(lookup("b"), "");
	ck_assert_str_eq(lookup("inblock"), "192.0.2.9");
	ck_assert_str_eq(lookup("c"), "192.0.2.3");
}
END_TEST

/* A FIFO, a directory or a device is no LMHOSTS file: skipped at once (a
 * FIFO opened without O_NONBLOCK would wait for a writer for ever). */
START_TEST(test_include_of_something_not_a_file_is_skipped)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/fifo", dir);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	write_file("lmhosts", "#BEGIN_ALTERNATE\n#INCLUDE fifo\n#INCLUDE /dev/zero\n#INCLUDE /tmp\n"
			      "#INCLUDE a\n#END_ALTERNATE\n192.0.2.2 after\n");
	write_file("a", "192.0.2.1 a\n");
	ck_assert_str_eq(lookup("a"), "192.0.2.1");
	ck_assert_str_eq(lookup("after"), "192.0.2.2");
}
END_TEST

/* Includes nest MXF_LM_MAX_INCLUDE_DEPTH (8) deep: file N names dN. */
START_TEST(test_includes_nest_eight_deep)
{
	char name[8], text[64];

	for (int n = 0; n <= 9; n++) {
		snprintf(name, sizeof(name), n == 0 ? "lmhosts" : "f%d", n);
		snprintf(text, sizeof(text), "192.0.2.%d d%d\n#INCLUDE f%d\n", 10 + n, n, n + 1);
		write_file(name, text);
	}
	ck_assert_str_eq(lookup("d0"), "192.0.2.10");
	ck_assert_str_eq(lookup("d8"), "192.0.2.18");
	ck_assert_str_eq(lookup("d9"), "");
}
END_TEST

START_TEST(test_reverse_skips_a_name_forward_lookups_do_not_give)
{
	write_file("lmhosts", "192.0.2.1 \"app            \\0x03\"\n192.0.2.2 app\n"
			      "192.0.2.3 dup\n192.0.2.4 dup\n");
	ck_assert_str_eq(lookup("app"), "192.0.2.2");
	ck_assert_str_eq(reverse("192.0.2.1"), "");
	ck_assert_str_eq(reverse("192.0.2.2"), "app");
	ck_assert_str_eq(lookup("dup"), "192.0.2.3");
	ck_assert_str_eq(reverse("192.0.2.4"), "");
}
END_TEST

Suite *lmhosts_files_suite(void)
{
	Suite *s = suite_create("lmhosts_files");
	TCase *tc = tcase_create("lmhosts_files");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_include_reads_the_file_in_place);
	tcase_add_test(tc, test_circular_include_stops_the_rest);
	tcase_add_test(tc, test_self_include_stops_the_rest);
	tcase_add_test(tc, test_repeated_include_is_no_loop);
	tcase_add_test(tc, test_alternate_uses_the_first_readable_include);
	tcase_add_test(tc, test_include_of_something_not_a_file_is_skipped);
	tcase_add_test(tc, test_includes_nest_eight_deep);
	tcase_add_test(tc, test_reverse_skips_a_name_forward_lookups_do_not_give);
	suite_add_tcase(s, tc);
	return s;
}

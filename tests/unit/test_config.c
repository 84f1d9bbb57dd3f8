/* The config parser: every key, every default, every error with its line. */
#include "config.h"
#include "suites.h"

#include <arpa/inet.h>
#include <string.h>

static struct mxf_config cfg;
static struct mxf_config_error err;

static int parse(const char *text)
{
	return mxf_config_parse(text, strlen(text), &cfg, &err);
}

START_TEST(test_empty_file_gives_defaults)
{
	ck_assert_int_eq(parse(""), 0);
	ck_assert_uint_eq(cfg.n_stages, 4);
	ck_assert_int_eq(cfg.stages[0], MXF_STAGE_MX);
	ck_assert_int_eq(cfg.stages[3], MXF_STAGE_LMHOSTS);
	ck_assert(!cfg.mx_targets_all);
	ck_assert_uint_eq(cfg.mx_max_hosts, 5);
	ck_assert(cfg.mx_fallback_a);
	ck_assert_uint_eq(cfg.n_dns_servers, 0);
	ck_assert_uint_eq(cfg.wins_timeout_ms, 1500);
	ck_assert_uint_eq(cfg.wins_retries, 3);
	ck_assert_uint_eq(cfg.wins_suffix, 0);
	ck_assert_str_eq(cfg.lmhosts, "/etc/samba/lmhosts");
	ck_assert_uint_eq(cfg.n_programs, 4);
	ck_assert(!cfg.mx_all_programs);
	ck_assert(!cfg.debug);
	/* bcast: off (not a stage, no address), Windows' timing. */
	for (unsigned i = 0; i < cfg.n_stages; i++)
		ck_assert_int_ne(cfg.stages[i], MXF_STAGE_BCAST);
	ck_assert_uint_eq(cfg.n_bcast, 0);
	ck_assert(!cfg.bcast_auto);
	ck_assert_uint_eq(cfg.bcast_timeout_ms, 750);
	ck_assert_uint_eq(cfg.bcast_retries, 3);
}
END_TEST

START_TEST(test_every_key_is_read)
{
	char addr[INET6_ADDRSTRLEN];

	ck_assert_int_eq(parse("# a comment\n"
			       "stages a lmhosts   # trailing comment\r\n"
			       "\n"
			       "mx_targets all\n"
			       "mx_max_hosts 3\n"
			       "mx_fallback none\n"
			       "dns_server 127.0.0.1:5353\n"
			       "dns_server [::1]:54\n"
			       "dns_server 192.0.2.1\n"
			       "wins_server 192.0.2.10 192.0.2.11:1137\n"
			       "wins_timeout 250\n"
			       "wins_retries 2\n"
			       "wins_suffix 0x20\n"
			       "wins_node_status yes\n"
			       "lmhosts /tmp/lmhosts\n"
			       "mx_programs postfix smtp\n"
			       "\tdebug yes\n"),
			 0);
	ck_assert_uint_eq(cfg.n_stages, 2);
	ck_assert_int_eq(cfg.stages[0], MXF_STAGE_A);
	ck_assert_int_eq(cfg.stages[1], MXF_STAGE_LMHOSTS);
	ck_assert(cfg.mx_targets_all);
	ck_assert_uint_eq(cfg.mx_max_hosts, 3);
	ck_assert(!cfg.mx_fallback_a);
	ck_assert_uint_eq(cfg.n_dns_servers, 3);
	ck_assert_int_eq(cfg.dns_servers[0].sa.sa_family, AF_INET);
	ck_assert_uint_eq(ntohs(cfg.dns_servers[0].sin.sin_port), 5353);
	ck_assert_int_eq(cfg.dns_servers[1].sa.sa_family, AF_INET6);
	ck_assert_uint_eq(ntohs(cfg.dns_servers[1].sin6.sin6_port), 54);
	inet_ntop(AF_INET6, &cfg.dns_servers[1].sin6.sin6_addr, addr, sizeof(addr));
	ck_assert_str_eq(addr, "::1");
	ck_assert_uint_eq(ntohs(cfg.dns_servers[2].sin.sin_port), 53);
	ck_assert_uint_eq(cfg.n_wins_servers, 2);
	ck_assert_uint_eq(ntohs(cfg.wins_servers[0].sin_port), 137);
	ck_assert_uint_eq(ntohs(cfg.wins_servers[1].sin_port), 1137);
	inet_ntop(AF_INET, &cfg.wins_servers[1].sin_addr, addr, sizeof(addr));
	ck_assert_str_eq(addr, "192.0.2.11");
	ck_assert_uint_eq(cfg.wins_timeout_ms, 250);
	ck_assert_uint_eq(cfg.wins_retries, 2);
	ck_assert_uint_eq(cfg.wins_suffix, 0x20);
	ck_assert(cfg.wins_node_status);
	ck_assert_str_eq(cfg.lmhosts, "/tmp/lmhosts");
	ck_assert_uint_eq(cfg.n_programs, 2);
	ck_assert_str_eq(cfg.programs[1], "smtp");
	ck_assert(cfg.debug);
}
END_TEST

static const char *ntoa(struct in_addr a)
{
	static char text[INET_ADDRSTRLEN];

	return inet_ntop(AF_INET, &a, text, sizeof(text));
}

START_TEST(test_bcast_keys_are_read)
{
	ck_assert_int_eq(parse("stages wins bcast lmhosts\n"
			       "bcast_address 192.0.2.255\n"
			       "bcast_address 198.18.0.255/24 10.1.255.255/16:5137\n"
			       "bcast_address auto\n"
			       "bcast_timeout 1500\n"
			       "bcast_retries 1\n"),
			 0);
	ck_assert_uint_eq(cfg.n_stages, 3);
	ck_assert_int_eq(cfg.stages[1], MXF_STAGE_BCAST);
	ck_assert(cfg.bcast_auto);
	ck_assert_uint_eq(cfg.n_bcast, 3);
	ck_assert_str_eq(ntoa(cfg.bcast[0].addr.sin_addr), "192.0.2.255");
	ck_assert_uint_eq(ntohs(cfg.bcast[0].addr.sin_port), 137);
	ck_assert_uint_eq(cfg.bcast[0].netmask.s_addr, 0); /* not known */
	ck_assert_str_eq(ntoa(cfg.bcast[1].addr.sin_addr), "198.18.0.255");
	ck_assert_str_eq(ntoa(cfg.bcast[1].netmask), "255.255.255.0");
	ck_assert_uint_eq(ntohs(cfg.bcast[1].addr.sin_port), 137);
	ck_assert_str_eq(ntoa(cfg.bcast[2].netmask), "255.255.0.0");
	ck_assert_uint_eq(ntohs(cfg.bcast[2].addr.sin_port), 5137);
	ck_assert_uint_eq(cfg.bcast_timeout_ms, 1500);
	ck_assert_uint_eq(cfg.bcast_retries, 1);
	ck_assert_int_eq(parse("bcast_address 127.0.0.1/32:5137 auto\n"), 0);
	ck_assert_str_eq(ntoa(cfg.bcast[0].netmask), "255.255.255.255");
	ck_assert(cfg.bcast_auto);
	ck_assert_int_eq(parse("bcast_address 10.0.0.0/1\n"), 0);
	ck_assert_str_eq(ntoa(cfg.bcast[0].netmask), "128.0.0.0");
}
END_TEST

START_TEST(test_bcast_worst_case_stays_bounded)
{
	/* The largest values allowed: a miss costs at most 4.5 s. */
	ck_assert_int_eq(parse("bcast_timeout 1500\nbcast_retries 3\n"), 0);
	ck_assert_uint_le(cfg.bcast_timeout_ms * cfg.bcast_retries, 4500);
	ck_assert_int_eq(parse("bcast_timeout 1501\n"), -1);
	ck_assert_int_eq(parse("bcast_retries 4\n"), -1);
}
END_TEST

START_TEST(test_lmhosts_none_turns_the_file_off)
{
	ck_assert_int_eq(parse("lmhosts none\n"), 0);
	ck_assert_str_eq(cfg.lmhosts, "");
}
END_TEST

START_TEST(test_mx_programs_decide_where_mx_runs)
{
	ck_assert_int_eq(parse("mx_programs postfix smtp\n"), 0);
	ck_assert(mxf_config_mx_allowed(&cfg, "smtp"));
	ck_assert(!mxf_config_mx_allowed(&cfg, "getent"));
	ck_assert(!mxf_config_mx_allowed(&cfg, NULL));
	ck_assert_int_eq(parse("mx_programs postfix\nmx_programs smtp\n"), 0);
	ck_assert_uint_eq(cfg.n_programs, 2);
	ck_assert(!mxf_config_mx_allowed(&cfg, "exim4"));
}
END_TEST

/* Installing the package must not change what unrelated programs resolve:
 * without an mx_programs line only the mail programs and getent get MX. */
START_TEST(test_mx_programs_default_is_the_mail_programs)
{
	static const char *const mail[] = { "smtp", "exim4", "exim", "getent" };
	static const char *const others[] = { "curl", "ssh", "apt", "nscd", "lmtp",
					      "sendmail", "dma", "smtpd", "msmtp", "ssmtp" };

	for (int with_file = 0; with_file < 2; with_file++) {
		if (with_file)
			ck_assert_int_eq(parse("debug no\n"), 0);
		else
			mxf_config_defaults(&cfg);
		for (unsigned i = 0; i < sizeof(mail) / sizeof(mail[0]); i++)
			ck_assert_msg(mxf_config_mx_allowed(&cfg, mail[i]), "%s", mail[i]);
		for (unsigned i = 0; i < sizeof(others) / sizeof(others[0]); i++)
			ck_assert_msg(!mxf_config_mx_allowed(&cfg, others[i]), "%s", others[i]);
		ck_assert(!mxf_config_mx_allowed(&cfg, NULL));
	}
}
END_TEST

START_TEST(test_mx_programs_star_is_every_program)
{
	ck_assert_int_eq(parse("mx_programs *\n"), 0);
	ck_assert(cfg.mx_all_programs);
	ck_assert(mxf_config_mx_allowed(&cfg, "curl"));
	ck_assert(mxf_config_mx_allowed(&cfg, NULL));
}
END_TEST

/* Each bad text fails on the line given, and leaves a message. */
static const struct {
	const char *text;
	unsigned line;
} bad[] = {
	{ "nonsense yes\n", 1 },
	{ "# ok\n\ndebug maybe\n", 3 },
	{ "debug\n", 1 },
	{ "debug yes no\n", 1 },
	{ "stages mx dns\n", 1 },
	{ "stages mx a mx\n", 1 },
	{ "mx_targets some\n", 1 },
	{ "mx_fallback A\n", 1 },
	{ "mx_fallback\n", 1 },
	{ "mx_fallback a none\n", 1 },
	{ "mx_max_hosts 0\n", 1 },
	{ "mx_max_hosts 101\n", 1 },
	{ "mx_max_hosts 5x\n", 1 },
	{ "mx_max_hosts -1\n", 1 },
	{ "mx_max_hosts 99999999999999999999\n", 1 },
	{ "dns_server 127.0.0.1:0\n", 1 },
	{ "dns_server 127.0.0.1:65536\n", 1 },
	{ "dns_server localhost\n", 1 },
	{ "dns_server [::1\n", 1 },
	{ "dns_server 1.1.1.1\ndns_server 1.1.1.2\ndns_server 1.1.1.3\ndns_server 1.1.1.4\n", 4 },
	{ "dns_server 1.1.1.1 1.1.1.2\n", 1 },
	{ "wins_server ::1\n", 1 },
	{ "wins_server 300.1.1.1\n", 1 },
	{ "wins_timeout 0\n", 1 },
	{ "wins_timeout 9001\n", 1 },
	{ "wins_retries 11\n", 1 },
	{ "wins_suffix 0x100\n", 1 },
	{ "wins_node_status 1\n", 1 },
	{ "lmhosts relative/path\n", 1 },
	{ "mx_programs a b c d e f g h i\n", 1 },
	{ "mx_programs * smtp\n", 1 },
	{ "mx_programs smtp\n\nmx_programs *\n", 3 },
	{ "debug yes\nstages\n", 2 },
	{ "stages bcast bcast\n", 1 },
	{ "stages broadcast\n", 1 },
	{ "bcast_address\n", 1 },
	{ "bcast_address 192.0.2.255/0\n", 1 },
	{ "bcast_address 192.0.2.255/33\n", 1 },
	{ "bcast_address 192.0.2.255/24x\n", 1 },
	{ "bcast_address 192.0.2.255:0\n", 1 },
	{ "bcast_address 192.0.2.255:65536\n", 1 },
	{ "bcast_address 192.0.2.255/24:\n", 1 },
	{ "bcast_address 0.0.0.0\n", 1 },
	{ "bcast_address ff02::1\n", 1 },
	{ "bcast_address broadcast.example\n", 1 },
	{ "bcast_address Auto\n", 1 },
	{ "bcast_address 192.0.2.255.1\n", 1 },
	{ "bcast_address 1.0.0.255 2.0.0.255 3.0.0.255 4.0.0.255 5.0.0.255\n"
	  "bcast_address 6.0.0.255 7.0.0.255 8.0.0.255 9.0.0.255\n", 2 },
	{ "bcast_timeout 0\n", 1 },
	{ "bcast_timeout 1501\n", 1 },
	{ "bcast_retries 0\n", 1 },
	{ "bcast_retries 4\n", 1 },
	{ "bcast_timeout 750 750\n", 1 },
};

START_TEST(test_bad_line_is_reported_with_its_number)
{
	ck_assert_int_eq(parse(bad[_i].text), -1);
	ck_assert_uint_eq(err.line, bad[_i].line);
	ck_assert(err.message[0] != '\0');
}
END_TEST

START_TEST(test_binary_data_is_an_error)
{
	ck_assert_int_eq(mxf_config_parse("debug yes\n\0\n", 12, &cfg, &err), -1);
}
END_TEST

START_TEST(test_over_long_value_is_an_error)
{
	static char text[PATH_MAX + 64];

	strcpy(text, "lmhosts /");
	memset(text + 9, 'x', PATH_MAX);
	text[PATH_MAX + 9] = '\0';
	ck_assert_int_eq(parse(text), -1);
}
END_TEST

START_TEST(test_mx_fallback_a_or_none)
{
	ck_assert_int_eq(parse("mx_fallback none\nmx_fallback a\n"), 0);
	ck_assert(cfg.mx_fallback_a);
	ck_assert_int_eq(parse("mx_fallback none"), 0);
	ck_assert(!cfg.mx_fallback_a);
}
END_TEST

START_TEST(test_last_line_without_newline_is_read)
{
	ck_assert_int_eq(parse("mx_targets all"), 0);
	ck_assert(cfg.mx_targets_all);
}
END_TEST

Suite *config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("config");

	tcase_add_test(tc, test_empty_file_gives_defaults);
	tcase_add_test(tc, test_every_key_is_read);
	tcase_add_test(tc, test_bcast_keys_are_read);
	tcase_add_test(tc, test_bcast_worst_case_stays_bounded);
	tcase_add_test(tc, test_lmhosts_none_turns_the_file_off);
	tcase_add_test(tc, test_mx_programs_decide_where_mx_runs);
	tcase_add_test(tc, test_mx_programs_default_is_the_mail_programs);
	tcase_add_test(tc, test_mx_programs_star_is_every_program);
	tcase_add_loop_test(tc, test_bad_line_is_reported_with_its_number, 0,
			    (int)(sizeof(bad) / sizeof(bad[0])));
	tcase_add_test(tc, test_binary_data_is_an_error);
	tcase_add_test(tc, test_over_long_value_is_an_error);
	tcase_add_test(tc, test_mx_fallback_a_or_none);
	tcase_add_test(tc, test_last_line_without_newline_is_read);
	suite_add_tcase(s, tc);
	return s;
}

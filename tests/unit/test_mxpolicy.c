/* The MX policy (mxpolicy.h), one table row per rule: an MX set, what a DNS
 * server would say for each exchanger, and the decision expected.  The
 * driver plays the mx stage: it resolves what the policy asks for from the
 * row's fake DNS and counts what it was asked, so "no query" is checked too. */
#include "mxpolicy.h"
#include "suites.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* A per-family answer: NULL = no data; "NX", "SERVFAIL", "TIMEOUT", "ALIAS"
 * (a CNAME to nothing), "MALFORMED"; else addresses separated by blanks. */
struct fake {
	const char *host, *a, *aaaa;
};

struct row {
	const char *what;
	const char *mx; /* "PREF HOST ..."; "." is the root */
	int family;
	bool all;
	unsigned max_hosts; /* 0: 5 */
	bool fallback_none;
	struct fake dns[6]; /* a host not listed does not exist (NXDOMAIN) */
	enum mxf_mx_verdict verdict;
	const char *addrs; /* ADDRESSES: in order, comma-separated */
	const char *name; /* ADDRESSES: h_name; "a|b": either (equal preferences) */
	enum mxf_outcome outcome; /* FAILED / NOT_FOUND */
	const char *asked; /* exchangers asked for, sorted, comma-separated */
	bool any_order; /* compare addresses as a set (equal preferences) */
};

#define V4 AF_INET
#define V6 AF_INET6
#define ANY AF_UNSPEC

static const struct row rows[] = {
	/* 1: the best exchanger has no address, a backup works */
	{ "issue 1: best exchanger NXDOMAIN (zone typo), backup used",
	  "10 mail.d1.test.d1.test 20 backup.d1.test", V4, .dns = { { "backup.d1.test", "192.0.2.12" } },
	  .verdict = MXF_MXV_ADDRESSES, .addrs = "192.0.2.12", .name = "backup.d1.test",
	  .asked = "backup.d1.test,mail.d1.test.d1.test" },
	{ "issue 1: best exchanger exists without A (NODATA), backup used", "10 mx1.t 20 mx2.t", V4,
	  .dns = { { "mx1.t", NULL, "2001:db8::1" }, { "mx2.t", "192.0.2.2" } },
	  .verdict = MXF_MXV_ADDRESSES, .addrs = "192.0.2.2", .name = "mx2.t", .asked = "mx1.t,mx2.t" },
	{ "issue 1: equal preferences, only one has an address: that one, the next level untouched",
	  "10 a.t 10 b.t 20 c.t", V4, .dns = { { "b.t", "192.0.2.2" }, { "c.t", "192.0.2.3" } },
	  .verdict = MXF_MXV_ADDRESSES, .addrs = "192.0.2.2", .name = "b.t", .asked = "a.t,b.t" },
	{ "best: the first level with an address ends the resolving", "10 a.t 20 b.t", V4,
	  .dns = { { "a.t", "192.0.2.1" }, { "b.t", "192.0.2.2" } }, .verdict = MXF_MXV_ADDRESSES,
	  .addrs = "192.0.2.1", .name = "a.t", .asked = "a.t" },
	/* 2: null MX inside a larger set */
	{ "issue 2: null MX next to a real MX: no mail, nothing asked", "0 . 10 mx.d2.test", V4,
	  .dns = { { "mx.d2.test", "192.0.2.2" } }, .verdict = MXF_MXV_NULL_MX, .asked = "" },
	{ "null MX at a worse preference still voids the set", "10 mx.d2.test 20 .", ANY,
	  .dns = { { "mx.d2.test", "192.0.2.2" } }, .verdict = MXF_MXV_NULL_MX, .asked = "" },
	{ "null MX alone (RFC 7505)", "0 .", V6, .verdict = MXF_MXV_NULL_MX, .asked = "" },
	/* 3: exchangers that are not host names */
	{ "issue 3: IPv4 literal exchanger: that address, no query", "10 192.0.2.25", V4,
	  .verdict = MXF_MXV_ADDRESSES, .addrs = "192.0.2.25", .name = "192.0.2.25", .asked = "" },
	{ "IPv4 literal with its trailing dot", "10 192.0.2.25.", ANY, .verdict = MXF_MXV_ADDRESSES,
	  .addrs = "192.0.2.25", .name = "192.0.2.25.", .asked = "" },
	{ "IPv4 literal asked for IPv6: no address of the family, IMS fallback", "10 192.0.2.25", V6,
	  .verdict = MXF_MXV_FALLBACK_A, .asked = "" },
	{ "IPv4 literal asked for IPv6, mx_fallback none: not found", "10 192.0.2.25", V6,
	  .fallback_none = true, .verdict = MXF_MXV_NOT_FOUND, .outcome = MXF_NO_DATA, .asked = "" },
	{ "IPv6 literal exchanger asked for IPv6", "10 2001:db8::25", V6, .verdict = MXF_MXV_ADDRESSES,
	  .addrs = "2001:db8::25", .name = "2001:db8::25", .asked = "" },
	{ "IPv6 literal best, asked for IPv4: the backup", "10 2001:db8::25 20 b.t", V4,
	  .dns = { { "b.t", "192.0.2.2" } }, .verdict = MXF_MXV_ADDRESSES, .addrs = "192.0.2.2",
	  .name = "b.t", .asked = "b.t" },
	{ "issue 3: localhost exchanger, IPv4: 127.0.0.1, no query", "10 localhost", V4,
	  .verdict = MXF_MXV_ADDRESSES, .addrs = "127.0.0.1", .name = "localhost", .asked = "" },
	{ "localhost exchanger, IPv6: ::1", "10 localhost.", V6, .verdict = MXF_MXV_ADDRESSES,
	  .addrs = "::1", .name = "localhost.", .asked = "" },
	{ "a name under .localhost, both families", "10 mail.LocalHost", ANY,
	  .verdict = MXF_MXV_ADDRESSES, .addrs = "127.0.0.1,::1", .name = "mail.LocalHost", .asked = "" },
	{ "a name that only ends in localhost is a name", "10 notlocalhost", V4,
	  .dns = { { "notlocalhost", "192.0.2.9" } }, .verdict = MXF_MXV_ADDRESSES,
	  .addrs = "192.0.2.9", .name = "notlocalhost", .asked = "notlocalhost" },
	{ "a name that looks almost numeric is a name", "10 192.0.2.25.x", V4,
	  .dns = { { "192.0.2.25.x", "192.0.2.9" } }, .verdict = MXF_MXV_ADDRESSES,
	  .addrs = "192.0.2.9", .name = "192.0.2.25.x", .asked = "192.0.2.25.x" },
	/* equal preferences */
	{ "equal preferences: both, in either order", "10 e1.t 10 e2.t", V4,
	  .dns = { { "e1.t", "192.0.2.21" }, { "e2.t", "192.0.2.22" } }, .verdict = MXF_MXV_ADDRESSES,
	  .addrs = "192.0.2.21,192.0.2.22", .name = "e1.t|e2.t", .asked = "e1.t,e2.t",
	  .any_order = true },
	/* mx_targets all, mx_max_hosts */
	{ "mx_targets all: every exchanger with an address, best first", "30 c.t 10 a.t 20 b.t 40 d.t",
	  V4, .all = true,
	  .dns = { { "a.t", "192.0.2.1" }, { "b.t", NULL }, { "c.t", "192.0.2.3 192.0.2.33" } },
	  .verdict = MXF_MXV_ADDRESSES, .addrs = "192.0.2.1,192.0.2.3,192.0.2.33", .name = "a.t",
	  .asked = "a.t,b.t,c.t,d.t" },
	{ "mx_max_hosts 2: two exchangers with addresses, the third never asked", "10 a.t 20 b.t 30 c.t",
	  V4, .all = true, .max_hosts = 2,
	  .dns = { { "a.t", "192.0.2.1" }, { "b.t", "192.0.2.2" }, { "c.t", "192.0.2.3" } },
	  .verdict = MXF_MXV_ADDRESSES, .addrs = "192.0.2.1,192.0.2.2", .name = "a.t",
	  .asked = "a.t,b.t" },
	{ "mx_max_hosts counts exchangers that have addresses", "10 a.t 20 b.t 30 c.t", V4,
	  .all = true, .max_hosts = 2, .dns = { { "b.t", "192.0.2.2" }, { "c.t", "192.0.2.3" } },
	  .verdict = MXF_MXV_ADDRESSES, .addrs = "192.0.2.2,192.0.2.3", .name = "b.t",
	  .asked = "a.t,b.t,c.t" },
	{ "mx_max_hosts 1 with best over equal preferences: one of them", "10 e1.t 10 e2.t", V4,
	  .max_hosts = 1, .dns = { { "e1.t", "192.0.2.21" }, { "e2.t", "192.0.2.21" } },
	  .verdict = MXF_MXV_ADDRESSES, .addrs = "192.0.2.21", .name = "e1.t|e2.t", .asked = "",
	  .any_order = true },
	/* CNAME exchangers (the resolver follows the chain) */
	{ "CNAME exchanger with an address at its end: used, named as the MX says", "10 alias.t", V4,
	  .dns = { { "alias.t", "192.0.2.60" } }, .verdict = MXF_MXV_ADDRESSES, .addrs = "192.0.2.60",
	  .name = "alias.t", .asked = "alias.t" },
	{ "CNAME exchanger leading nowhere: skipped for the backup", "10 alias.t 20 b.t", V4,
	  .dns = { { "alias.t", "ALIAS" }, { "b.t", "192.0.2.2" } }, .verdict = MXF_MXV_ADDRESSES,
	  .addrs = "192.0.2.2", .name = "b.t", .asked = "alias.t,b.t" },
	/* temporary failures */
	{ "temporary failure, nothing else: try again, never the domain's A", "10 a.t", V4,
	  .dns = { { "a.t", "SERVFAIL" } }, .verdict = MXF_MXV_FAILED, .outcome = MXF_SERVER_FAILED,
	  .asked = "a.t" },
	{ "temporary failure of the backup, best NXDOMAIN: try again", "10 a.t 20 b.t", V4,
	  .dns = { { "b.t", "SERVFAIL" } }, .verdict = MXF_MXV_FAILED, .outcome = MXF_SERVER_FAILED,
	  .asked = "a.t,b.t" },
	{ "best SERVFAIL, backup has an address: the backup (as Postfix)", "10 a.t 20 b.t", V4,
	  .dns = { { "a.t", "SERVFAIL" }, { "b.t", "192.0.2.2" } }, .verdict = MXF_MXV_ADDRESSES,
	  .addrs = "192.0.2.2", .name = "b.t", .asked = "a.t,b.t" },
	{ "a timeout ends the resolving: try again", "10 a.t 20 b.t", V4,
	  .dns = { { "a.t", "TIMEOUT" }, { "b.t", "192.0.2.2" } }, .verdict = MXF_MXV_FAILED,
	  .outcome = MXF_UNREACHABLE, .asked = "a.t" },
	{ "an unusable reply for the exchanger: never the domain's A", "10 a.t", V4,
	  .dns = { { "a.t", "MALFORMED" } }, .verdict = MXF_MXV_FAILED, .outcome = MXF_MALFORMED,
	  .asked = "a.t" },
	{ "AF_UNSPEC: A found, AAAA SERVFAIL: the A", "10 a.t", ANY,
	  .dns = { { "a.t", "192.0.2.1", "SERVFAIL" } }, .verdict = MXF_MXV_ADDRESSES,
	  .addrs = "192.0.2.1", .name = "a.t", .asked = "a.t" },
	/* the IMS fallback and mx_fallback none */
	{ "no exchanger has an address, nothing failed: IMS fallback", "10 a.t 20 b.t", V4,
	  .dns = { { "b.t", NULL } }, .verdict = MXF_MXV_FALLBACK_A, .asked = "a.t,b.t" },
	{ "the same with mx_fallback none: not found, NO_DATA", "10 a.t 20 b.t", V4,
	  .fallback_none = true, .dns = { { "b.t", NULL } }, .verdict = MXF_MXV_NOT_FOUND,
	  .outcome = MXF_NO_DATA, .asked = "a.t,b.t" },
	{ "mx_fallback none, a temporary failure: try again", "10 a.t 20 b.t", V4,
	  .fallback_none = true, .dns = { { "b.t", "SERVFAIL" } }, .verdict = MXF_MXV_FAILED,
	  .outcome = MXF_SERVER_FAILED, .asked = "a.t,b.t" },
	{ "IPv6-only exchanger asked for IPv4: IMS fallback", "10 mx.v6", V4,
	  .dns = { { "mx.v6", NULL, "2001:db8::70" } }, .verdict = MXF_MXV_FALLBACK_A, .asked = "mx.v6" },
	{ "IPv6-only exchanger, AF_UNSPEC: its IPv6 address", "10 mx.v6", ANY,
	  .dns = { { "mx.v6", NULL, "2001:db8::70" } }, .verdict = MXF_MXV_ADDRESSES,
	  .addrs = "2001:db8::70", .name = "mx.v6", .asked = "mx.v6" },
};

static const struct fake *fake_for(const struct row *r, const char *host)
{
	for (unsigned i = 0; i < 6 && r->dns[i].host != NULL; i++)
		if (strcmp(r->dns[i].host, host) == 0)
			return &r->dns[i];
	return NULL;
}

/* Plays the DNS server for one family of HOST. */
static void resolve(struct mxf_mx_policy *p, const struct row *r, unsigned i, int family)
{
	const struct fake *f = fake_for(r, p->ex[i].host);
	const char *spec = f == NULL ? "NX" : family == AF_INET ? f->a : f->aaaa;
	struct mxf_address addrs[8];
	unsigned n = 0;
	enum mxf_outcome o = MXF_FOUND;
	char copy[200];

	if (spec == NULL)
		o = MXF_NO_DATA;
	else if (strcmp(spec, "NX") == 0)
		o = MXF_NO_NAME;
	else if (strcmp(spec, "SERVFAIL") == 0)
		o = MXF_SERVER_FAILED;
	else if (strcmp(spec, "TIMEOUT") == 0)
		o = MXF_UNREACHABLE;
	else if (strcmp(spec, "ALIAS") == 0)
		o = MXF_ALIAS_ONLY;
	else if (strcmp(spec, "MALFORMED") == 0)
		o = MXF_MALFORMED;
	else {
		snprintf(copy, sizeof(copy), "%s", spec);
		for (char *t = strtok(copy, " "); t != NULL; t = strtok(NULL, " ")) {
			addrs[n].family = family;
			ck_assert_int_eq(inet_pton(family, t, addrs[n].bytes), 1);
			n++;
		}
	}
	mxf_mx_policy_record(p, i, family, o, addrs, n, 300);
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Joins N strings with commas, sorted when SORT. */
static void join(char *out, size_t size, char **items, unsigned n, bool sort)
{
	if (sort)
		qsort(items, n, sizeof(*items), compare_strings);
	out[0] = '\0';
	for (unsigned i = 0; i < n; i++)
		snprintf(out + strlen(out), size - strlen(out), "%s%s", i > 0 ? "," : "", items[i]);
}

static char *address_text(const struct mxf_address *a)
{
	static char text[MXF_MAX_ADDRS][INET6_ADDRSTRLEN];
	static unsigned next;
	char *t = text[next++ % MXF_MAX_ADDRS];

	inet_ntop(a->family, a->bytes, t, INET6_ADDRSTRLEN);
	return t;
}

static void parse_mx(const char *text, struct mxf_mx *mx, unsigned *n, char hosts[][64])
{
	char copy[300];
	char *save = NULL;

	snprintf(copy, sizeof(copy), "%s", text);
	*n = 0;
	for (char *pref = strtok_r(copy, " ", &save); pref != NULL; pref = strtok_r(NULL, " ", &save)) {
		char *host = strtok_r(NULL, " ", &save);
		snprintf(hosts[*n], 64, "%s", strcmp(host, ".") == 0 ? "" : host);
		mx[*n].preference = (uint16_t)atoi(pref);
		mx[*n].ttl = 600;
		mx[*n].host = hosts[*n];
		(*n)++;
	}
}

static void run_row(const struct row *r, uint32_t seed)
{
	struct mxf_mx mx[8];
	char hosts[8][64];
	unsigned n;
	struct mxf_mx_settings set = { .all = r->all, .max_hosts = r->max_hosts ? r->max_hosts : 5,
				       .fallback_a = !r->fallback_none, .family = r->family };
	static struct mxf_mx_policy p;
	static struct mxf_answer ans;
	struct mxf_mx_decision d;
	char *asked[16], *got[MXF_MAX_ADDRS];
	unsigned n_asked = 0;
	char text[600];

	parse_mx(r->mx, mx, &n, hosts);
	mxf_mx_policy_init(&p, mx, n, &set, seed);
	while ((d = mxf_mx_policy_decide(&p)).verdict == MXF_MXV_RESOLVE) {
		ck_assert_msg(n_asked < 16, "%s: resolving never ends", r->what);
		ck_assert_msg(p.ex[d.exchanger].kind == MXF_MXK_NAME, "%s: asked DNS for %s", r->what,
			      p.ex[d.exchanger].host);
		asked[n_asked++] = (char *)p.ex[d.exchanger].host;
		if (r->family != AF_INET6)
			resolve(&p, r, d.exchanger, AF_INET);
		if (r->family != AF_INET)
			resolve(&p, r, d.exchanger, AF_INET6);
	}
	ck_assert_msg(d.verdict == r->verdict, "%s (seed %u): verdict %d, wanted %d (%s)", r->what,
		      seed, d.verdict, r->verdict, d.rule);
	ck_assert_msg(d.rule != NULL && d.rule[0] != '\0', "%s: no rule named", r->what);
	join(text, sizeof(text), asked, n_asked, true);
	/* With max_hosts 1 over an equal pair either one is asked: checked by
	 * the answer instead. */
	if (!(r->any_order && r->asked[0] == '\0'))
		ck_assert_msg(strcmp(text, r->asked) == 0, "%s (seed %u): asked [%s], wanted [%s]",
			      r->what, seed, text, r->asked);
	if (r->verdict == MXF_MXV_FAILED || r->verdict == MXF_MXV_NOT_FOUND)
		ck_assert_msg(d.outcome == r->outcome, "%s: outcome %s, wanted %s", r->what,
			      mxf_outcome_name(d.outcome), mxf_outcome_name(r->outcome));
	if (r->verdict != MXF_MXV_ADDRESSES)
		return;
	mxf_answer_init(&ans);
	mxf_mx_policy_answer(&p, &d, &ans);
	for (unsigned i = 0; i < ans.n_addrs; i++)
		got[i] = address_text(&ans.addrs[i]);
	join(text, sizeof(text), got, ans.n_addrs, r->any_order);
	ck_assert_msg(strcmp(text, r->addrs) == 0, "%s (seed %u): addresses [%s], wanted [%s]", r->what,
		      seed, text, r->addrs);
	snprintf(text, sizeof(text), "|%s|", r->name);
	char name[80];
	snprintf(name, sizeof(name), "|%s|", mxf_answer_name(&ans));
	ck_assert_msg(strstr(text, name) != NULL, "%s: name %s, wanted %s", r->what,
		      mxf_answer_name(&ans), r->name);
}

START_TEST(test_policy_rule)
{
	/* Every row under several shuffles: no rule may depend on the draw. */
	for (uint32_t seed = 1; seed <= 16; seed++)
		run_row(&rows[_i], seed);
}
END_TEST

START_TEST(test_equal_preferences_name_either_exchanger)
{
	struct mxf_mx mx[2] = { { 10, 300, "e1.t", NULL }, { 10, 300, "e2.t", NULL } };
	struct mxf_mx_settings set = { .max_hosts = 5, .fallback_a = true, .family = AF_INET };
	static struct mxf_mx_policy p;
	unsigned first[2] = { 0, 0 };

	for (uint32_t seed = 1; seed <= 200; seed++) {
		struct mxf_mx_decision d;
		mxf_mx_policy_init(&p, mx, 2, &set, seed);
		while ((d = mxf_mx_policy_decide(&p)).verdict == MXF_MXV_RESOLVE) {
			struct mxf_address a = { AF_INET, { 192, 0, 2, (unsigned char)(21 + d.exchanger) } };
			mxf_mx_policy_record(&p, d.exchanger, AF_INET, MXF_FOUND, &a, 1, 300);
		}
		ck_assert_int_eq(d.verdict, MXF_MXV_ADDRESSES);
		first[d.exchanger]++;
	}
	ck_assert_msg(first[0] > 50 && first[1] > 50, "e1 first %u times, e2 %u times in 200",
		      first[0], first[1]);
}
END_TEST

START_TEST(test_answer_ttl_is_the_smallest_used)
{
	struct mxf_mx mx[2] = { { 10, 900, "a.t", NULL }, { 20, 30, "b.t", NULL } };
	struct mxf_mx_settings set = { .max_hosts = 5, .fallback_a = true, .family = AF_INET };
	struct mxf_address a = { AF_INET, { 192, 0, 2, 1 } };
	static struct mxf_mx_policy p;
	static struct mxf_answer ans;
	struct mxf_mx_decision d;

	mxf_mx_policy_init(&p, mx, 2, &set, 1);
	d = mxf_mx_policy_decide(&p);
	ck_assert_int_eq(d.verdict, MXF_MXV_RESOLVE);
	mxf_mx_policy_record(&p, d.exchanger, AF_INET, MXF_FOUND, &a, 1, 120);
	d = mxf_mx_policy_decide(&p);
	ck_assert_int_eq(d.verdict, MXF_MXV_ADDRESSES);
	mxf_answer_init(&ans);
	ck_assert_uint_eq(mxf_mx_policy_answer(&p, &d, &ans), 1);
	ck_assert_uint_eq(ans.ttl, 120); /* b.t's MX TTL of 30 is not used */
}
END_TEST

START_TEST(test_classify)
{
	unsigned char addr[16];

	ck_assert_int_eq(mxf_mx_classify("", addr), MXF_MXK_NULL);
	ck_assert_int_eq(mxf_mx_classify(".", addr), MXF_MXK_NULL);
	ck_assert_int_eq(mxf_mx_classify("192.0.2.25.", addr), MXF_MXK_IPV4);
	ck_assert_int_eq(addr[3], 25);
	ck_assert_int_eq(mxf_mx_classify("[192.0.2.25]", addr), MXF_MXK_NAME);
	ck_assert_int_eq(mxf_mx_classify("10.1", addr), MXF_MXK_NAME);
	ck_assert_int_eq(mxf_mx_classify("::1", addr), MXF_MXK_IPV6);
	ck_assert_int_eq(mxf_mx_classify("2001:DB8::25.", addr), MXF_MXK_IPV6);
	ck_assert_int_eq(addr[15], 0x25);
	ck_assert_int_eq(mxf_mx_classify("::ffff:192.0.2.26", addr), MXF_MXK_IPV6);
	ck_assert_int_eq(mxf_mx_classify("face.b00c", addr), MXF_MXK_NAME);
	ck_assert_int_eq(mxf_mx_classify("mx1.example", addr), MXF_MXK_NAME);
	ck_assert_int_eq(mxf_mx_classify("LOCALHOST", addr), MXF_MXK_LOCALHOST);
	ck_assert_int_eq(mxf_mx_classify("a.b.localhost.", addr), MXF_MXK_LOCALHOST);
	ck_assert_int_eq(mxf_mx_classify("localhost.example", addr), MXF_MXK_NAME);
	ck_assert_int_eq(mxf_mx_classify("xlocalhost", addr), MXF_MXK_NAME);
}
END_TEST

Suite *mxpolicy_suite(void)
{
	Suite *s = suite_create("mxpolicy");
	TCase *tc = tcase_create("mxpolicy");

	tcase_add_loop_test(tc, test_policy_rule, 0, (int)(sizeof(rows) / sizeof(rows[0])));
	tcase_add_test(tc, test_equal_preferences_name_either_exchanger);
	tcase_add_test(tc, test_answer_ttl_is_the_smallest_used);
	tcase_add_test(tc, test_classify);
	suite_add_tcase(s, tc);
	return s;
}

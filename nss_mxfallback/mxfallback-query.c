/* mxfallback-query: resolves names the way the module does, from the same
 * code but without NSS, and says why: each stage, what it asked and got,
 * how long it took, and the final answer with its TTL and stage.
 *
 *   mxfallback-query [-c CONFIG] [-p PROGRAM] [-4|-6] [-v] NAME...
 *   mxfallback-query --check [--root DIR] [-c CONFIG]
 *
 * -p: resolve as the program PROGRAM would (mx_programs); default smtp,
 * Postfix's client, the program the module is deployed for.
 *
 * Exit status: 0 every name found, 1 one was not found, 2 a temporary
 * failure (try again), 3 the config cannot be used.  Output is for people;
 * -v adds every DNS query.  --check (deploy_check.c) reports deployment mistakes
 * instead: exit status 0 none, 1 some. */
#include "deploy_check.h"
#include "config.h"
#include "config_file.h"
#include "lookup.h"
#include "workspace.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct options {
	const char *config;
	int family;
	bool verbose;
};

static void print_trace(void *ctx, const char *line)
{
	const struct options *o = ctx;

	if (!o->verbose && strncmp(line, "DNS ", 4) == 0)
		return;
	printf("%s%s\n", line[0] == 's' && strncmp(line, "stage ", 6) == 0 ? "  " : "    ", line);
}

/* Loads CONFIG with the module's own loader (config_file.c): same size
 * limit, same checks, same verdict; a missing file means the defaults. */
static int load_config(const char *path, const struct mxf_config **cfg)
{
	char why[512];
	int rc = mxf_config_load(path, cfg, why, sizeof(why));

	if (rc == MXF_CONFIG_BROKEN)
		fprintf(stderr, "mxfallback-query: %s\n", why);
	else if (rc != 0)
		fprintf(stderr, "mxfallback-query: %s: out of memory\n", path);
	return rc;
}

static const char *family_name(int family)
{
	return family == AF_INET ? "IPv4" : family == AF_INET6 ? "IPv6" : "IPv4 and IPv6";
}

static void print_answer(const struct mxf_result *res)
{
	const struct mxf_answer *a = &res->answer;
	char text[INET6_ADDRSTRLEN];

	printf("  answer: %s (stage %s, TTL %u)\n", mxf_answer_name(a), mxf_stage_name(res->stage),
	       a->ttl);
	for (unsigned i = 0; i < a->n_aliases; i++)
		printf("    alias %s\n", mxf_answer_alias(a, i));
	for (unsigned i = 0; i < a->n_addrs; i++)
		printf("    %s\n", inet_ntop(a->addrs[i].family, a->addrs[i].bytes, text, sizeof(text)));
}

/* 0 found, 1 not found, 2 try again. */
static int query(const struct mxf_config *cfg, const struct options *o, const char *name)
{
	struct mxf_trace trace = { print_trace, (void *)o };
	struct mxf_workspace *ws = mxf_workspace_get();
	const struct mxf_result *res;
	int status;

	if (ws == NULL)
		return 2;
	printf("%s (%s)\n", name, family_name(o->family));
	mxf_lookup_with(cfg, name, o->family, true, &trace, ws);
	res = &ws->result;
	if (res->outcome == MXF_FOUND) {
		print_answer(res);
		status = 0;
	} else {
		status = mxf_outcome_is_temporary(res->outcome) ? 2 : 1;
		printf("  not found: %s%s\n", mxf_outcome_name(res->outcome),
		       status == 2 ? " (temporary: try again)" : "");
	}
	mxf_workspace_put(ws);
	return status;
}

static int usage(void)
{
	fprintf(stderr, "usage: mxfallback-query [-c CONFIG] [-p PROGRAM] [-4|-6] [-v] NAME...\n"
			"       mxfallback-query --check [--root DIR] [-c CONFIG]\n");
	return 3;
}

int main(int argc, char **argv)
{
	struct options o = { mxf_config_path(), AF_UNSPEC, false };
	const struct mxf_config *cfg;
	static const struct option longopts[] = { { "check", no_argument, NULL, 'C' },
						  { "root", required_argument, NULL, 'R' },
						  { NULL, 0, NULL, 0 } };
	struct mxf_check_options check = { "/", NULL };
	bool checking = false;
	int opt, worst = 0;

	/* mx_programs compares with this name, as in a program using NSS. */
	program_invocation_short_name = (char *)"smtp";
	while ((opt = getopt_long(argc, argv, "c:p:46vh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'C':
			checking = true;
			break;
		case 'R':
			check.root = optarg;
			break;
		case 'c':
			o.config = check.config = optarg;
			break;
		case 'p':
			program_invocation_short_name = optarg;
			break;
		case '4':
			o.family = AF_INET;
			break;
		case '6':
			o.family = AF_INET6;
			break;
		case 'v':
			o.verbose = true;
			break;
		default:
			return usage();
		}
	}
	if (checking)
		return optind == argc ? mxf_check(&check, stdout) > 0 : usage();
	if (optind == argc)
		return usage();
	if (load_config(o.config, &cfg) != 0)
		return 3;
	printf("config: %s\n", o.config);
	for (int i = optind; i < argc; i++) {
		int status = query(cfg, &o, argv[i]);
		if (status > worst)
			worst = status;
	}
	mxf_config_release(cfg);
	return worst;
}

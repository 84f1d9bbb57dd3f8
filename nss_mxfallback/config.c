/* Parser for /etc/nss_mxfallback.conf: "key value..." lines, '#' starts a
 * comment.  Strict on purpose: a typo must not silently change how every
 * program on the host resolves names, so anything unknown is an error and
 * the caller turns it into NSS_STATUS_UNAVAIL. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TOKENS 16
#define MAX_TOKEN_LEN PATH_MAX

struct line {
	unsigned n;
	char tok[MAX_TOKENS][MAX_TOKEN_LEN];
};

static void default_programs(struct mxf_config *cfg)
{
	static const char *const names[] = { MXF_DEFAULT_MX_PROGRAMS };

	cfg->n_programs = 0;
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		strcpy(cfg->programs[cfg->n_programs++], names[i]);
}

void mxf_config_defaults(struct mxf_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->stages[0] = MXF_STAGE_MX;
	cfg->stages[1] = MXF_STAGE_A;
	cfg->stages[2] = MXF_STAGE_WINS;
	cfg->stages[3] = MXF_STAGE_LMHOSTS;
	cfg->n_stages = 4;
	cfg->mx_max_hosts = 5; /* Postfix's smtp_mx_address_limit */
	cfg->mx_fallback_a = true; /* IMS's rule */
	cfg->wins_timeout_ms = 1500; /* Windows' NameSrvQueryTimeout */
	cfg->wins_retries = 3; /* Windows' NameSrvQueryCount */
	cfg->wins_suffix = 0x00; /* the workstation name Windows asks for */
	cfg->bcast_timeout_ms = 750; /* Windows' BcastQueryTimeout */
	cfg->bcast_retries = 3; /* Windows' BcastNameQueryCount */
	strcpy(cfg->lmhosts, "/etc/samba/lmhosts");
	default_programs(cfg);
}

static int fail(struct mxf_config_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int fail(struct mxf_config_error *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return -1;
}

/* Splits one line into tokens; returns -1 on an over-long line. */
static int split_line(const char *p, const char *end, struct line *line,
		      struct mxf_config_error *err)
{
	line->n = 0;
	while (p < end) {
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
			p++;
		if (p == end || *p == '#')
			break;
		const char *start = p;
		while (p < end && *p != ' ' && *p != '\t' && *p != '\r' && *p != '#')
			p++;
		size_t len = (size_t)(p - start);
		if (line->n == MAX_TOKENS)
			return fail(err, "too many values");
		if (len >= MAX_TOKEN_LEN)
			return fail(err, "value too long");
		memcpy(line->tok[line->n], start, len);
		line->tok[line->n][len] = '\0';
		line->n++;
	}
	return 0;
}

static int parse_uint(const char *s, unsigned min, unsigned max, unsigned *out)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	unsigned long v = strtoul(s, &end, 0);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = (unsigned)v;
	return 0;
}

static int parse_bool(const char *s, bool *out)
{
	if (strcmp(s, "yes") == 0)
		*out = true;
	else if (strcmp(s, "no") == 0)
		*out = false;
	else
		return -1;
	return 0;
}

static int parse_port(const char *s, unsigned *port)
{
	return parse_uint(s, 1, 65535, port);
}

/* "a.b.c.d", "a.b.c.d:port", "::1", "[::1]:port". */
static int parse_server(const char *s, unsigned default_port, bool allow_v6,
			union mxf_sockaddr *out)
{
	char host[INET6_ADDRSTRLEN + 2];
	const char *port_str = NULL;
	unsigned port = default_port;

	memset(out, 0, sizeof(*out));
	if (s[0] == '[') {
		const char *close = strchr(s, ']');
		if (close == NULL || (size_t)(close - s - 1) >= sizeof(host))
			return -1;
		memcpy(host, s + 1, (size_t)(close - s - 1));
		host[close - s - 1] = '\0';
		if (close[1] == ':')
			port_str = close + 2;
		else if (close[1] != '\0')
			return -1;
	} else {
		const char *colon = strchr(s, ':');
		size_t len = strlen(s);
		if (colon != NULL && strchr(colon + 1, ':') == NULL) {
			port_str = colon + 1;
			len = (size_t)(colon - s);
		}
		if (len >= sizeof(host))
			return -1;
		memcpy(host, s, len);
		host[len] = '\0';
	}
	if (port_str != NULL && parse_port(port_str, &port) != 0)
		return -1;
	if (inet_pton(AF_INET, host, &out->sin.sin_addr) == 1) {
		out->sin.sin_family = AF_INET;
		out->sin.sin_port = htons((uint16_t)port);
		return 0;
	}
	if (allow_v6 && inet_pton(AF_INET6, host, &out->sin6.sin6_addr) == 1) {
		out->sin6.sin6_family = AF_INET6;
		out->sin6.sin6_port = htons((uint16_t)port);
		return 0;
	}
	return -1;
}

static int parse_stages(const struct line *line, struct mxf_config *cfg,
			struct mxf_config_error *err)
{
	static const char *const names[] = { "mx", "a", "wins", "lmhosts", "bcast" };
	bool seen[MXF_MAX_STAGES] = { false };

	cfg->n_stages = 0;
	for (unsigned i = 1; i < line->n; i++) {
		unsigned s;
		for (s = 0; s < MXF_MAX_STAGES; s++)
			if (strcmp(line->tok[i], names[s]) == 0)
				break;
		if (s == MXF_MAX_STAGES)
			return fail(err, "unknown stage '%.32s'", line->tok[i]);
		if (seen[s])
			return fail(err, "stage '%s' named twice", names[s]);
		seen[s] = true;
		cfg->stages[cfg->n_stages++] = (enum mxf_stage)s;
	}
	return 0;
}

/* mx_programs lines add up; "*" (alone) means every program.  The parser
 * starts from an empty list and puts the defaults back when no line named
 * a program (mxf_config_parse). */
static int parse_programs(const struct line *line, struct mxf_config *cfg,
			  struct mxf_config_error *err)
{
	for (unsigned i = 1; i < line->n; i++) {
		bool all = strcmp(line->tok[i], "*") == 0;
		if (all ? cfg->n_programs > 0 : cfg->mx_all_programs)
			return fail(err, "mx_programs: * means every program, name no others");
		if (all) {
			cfg->mx_all_programs = true;
			continue;
		}
		if (cfg->n_programs == MXF_MAX_PROGRAMS)
			return fail(err, "more than %d programs", MXF_MAX_PROGRAMS);
		if (strlen(line->tok[i]) >= MXF_PROGRAM_LEN)
			return fail(err, "program name too long");
		strcpy(cfg->programs[cfg->n_programs++], line->tok[i]);
	}
	return 0;
}

static int parse_dns_server(const struct line *line, struct mxf_config *cfg,
			    struct mxf_config_error *err)
{
	if (line->n != 2)
		return fail(err, "dns_server takes one address");
	if (cfg->n_dns_servers == MXF_MAX_DNS_SERVERS)
		return fail(err, "more than %d dns_server lines", MXF_MAX_DNS_SERVERS);
	if (parse_server(line->tok[1], 53, true, &cfg->dns_servers[cfg->n_dns_servers]) != 0)
		return fail(err, "bad dns_server address '%.64s'", line->tok[1]);
	cfg->n_dns_servers++;
	return 0;
}

static int parse_wins_server(const struct line *line, struct mxf_config *cfg,
			     struct mxf_config_error *err)
{
	union mxf_sockaddr sa;

	for (unsigned i = 1; i < line->n; i++) {
		if (cfg->n_wins_servers == MXF_MAX_WINS_SERVERS)
			return fail(err, "more than %d WINS servers", MXF_MAX_WINS_SERVERS);
		if (parse_server(line->tok[i], 137, false, &sa) != 0)
			return fail(err, "bad wins_server address '%.64s'", line->tok[i]);
		cfg->wins_servers[cfg->n_wins_servers++] = sa.sin;
	}
	return 0;
}

/* "a.b.c.d[/prefix][:port]": the prefix gives the subnet replies must come
 * from; a port other than 137 is for tests. */
static int parse_bcast_target(const char *s, struct mxf_bcast_target *out)
{
	char text[INET_ADDRSTRLEN + 10];
	char *slash, *colon;
	unsigned prefix, port = 137;

	memset(out, 0, sizeof(*out));
	if (strlen(s) >= sizeof(text))
		return -1;
	strcpy(text, s);
	colon = strchr(text, ':');
	if (colon != NULL) {
		*colon = '\0';
		if (parse_port(colon + 1, &port) != 0)
			return -1;
	}
	slash = strchr(text, '/');
	if (slash != NULL) {
		*slash = '\0';
		if (parse_uint(slash + 1, 1, 32, &prefix) != 0)
			return -1;
		out->netmask.s_addr = htonl(0xffffffffu << (32 - prefix));
	}
	if (inet_pton(AF_INET, text, &out->addr.sin_addr) != 1 || out->addr.sin_addr.s_addr == 0)
		return -1;
	out->addr.sin_family = AF_INET;
	out->addr.sin_port = htons((uint16_t)port);
	return 0;
}

static int parse_bcast_address(const struct line *line, struct mxf_config *cfg,
			       struct mxf_config_error *err)
{
	for (unsigned i = 1; i < line->n; i++) {
		if (strcmp(line->tok[i], "auto") == 0) {
			cfg->bcast_auto = true;
			continue;
		}
		if (cfg->n_bcast == MXF_MAX_BCAST)
			return fail(err, "more than %d broadcast addresses", MXF_MAX_BCAST);
		if (parse_bcast_target(line->tok[i], &cfg->bcast[cfg->n_bcast]) != 0)
			return fail(err, "bad bcast_address '%.64s'", line->tok[i]);
		cfg->n_bcast++;
	}
	return 0;
}

static int parse_one_value(const struct line *line, struct mxf_config *cfg,
			   struct mxf_config_error *err)
{
	const char *key = line->tok[0], *val = line->tok[1];
	unsigned u;

	if (line->n != 2)
		return fail(err, "%s takes exactly one value", key);
	if (strcmp(key, "mx_targets") == 0) {
		if (strcmp(val, "best") != 0 && strcmp(val, "all") != 0)
			return fail(err, "mx_targets must be best or all");
		cfg->mx_targets_all = strcmp(val, "all") == 0;
	} else if (strcmp(key, "mx_fallback") == 0) {
		if (strcmp(val, "a") != 0 && strcmp(val, "none") != 0)
			return fail(err, "mx_fallback must be a or none");
		cfg->mx_fallback_a = strcmp(val, "a") == 0;
	} else if (strcmp(key, "mx_max_hosts") == 0) {
		if (parse_uint(val, 1, MXF_MAX_MX_HOSTS, &cfg->mx_max_hosts) != 0)
			return fail(err, "mx_max_hosts must be 1..%d", MXF_MAX_MX_HOSTS);
	} else if (strcmp(key, "wins_timeout") == 0) {
		/* The wins stage ends after 9 s anyway (wins.c). */
		if (parse_uint(val, 1, 9000, &cfg->wins_timeout_ms) != 0)
			return fail(err, "wins_timeout must be 1..9000 ms");
	} else if (strcmp(key, "wins_retries") == 0) {
		if (parse_uint(val, 1, 10, &cfg->wins_retries) != 0)
			return fail(err, "wins_retries must be 1..10");
	} else if (strcmp(key, "wins_suffix") == 0) {
		if (parse_uint(val, 0, 255, &u) != 0)
			return fail(err, "wins_suffix must be 0x00..0xff");
		cfg->wins_suffix = (unsigned char)u;
	} else if (strcmp(key, "wins_node_status") == 0) {
		if (parse_bool(val, &cfg->wins_node_status) != 0)
			return fail(err, "wins_node_status must be yes or no");
	} else if (strcmp(key, "bcast_timeout") == 0) {
		if (parse_uint(val, 1, MXF_MAX_BCAST_TIMEOUT, &cfg->bcast_timeout_ms) != 0)
			return fail(err, "bcast_timeout must be 1..%d ms", MXF_MAX_BCAST_TIMEOUT);
	} else if (strcmp(key, "bcast_retries") == 0) {
		if (parse_uint(val, 1, MXF_MAX_BCAST_RETRIES, &cfg->bcast_retries) != 0)
			return fail(err, "bcast_retries must be 1..%d", MXF_MAX_BCAST_RETRIES);
	} else if (strcmp(key, "debug") == 0) {
		if (parse_bool(val, &cfg->debug) != 0)
			return fail(err, "debug must be yes or no");
	} else if (strcmp(key, "lmhosts") == 0) {
		if (strcmp(val, "none") == 0)
			cfg->lmhosts[0] = '\0';
		else if (val[0] != '/')
			return fail(err, "lmhosts must be an absolute path or none");
		else
			strcpy(cfg->lmhosts, val); /* split_line bounds it to PATH_MAX */
	} else {
		return fail(err, "unknown key '%.32s'", key);
	}
	return 0;
}

static int parse_line(const struct line *line, struct mxf_config *cfg,
		      struct mxf_config_error *err)
{
	const char *key = line->tok[0];

	if (line->n < 2)
		return fail(err, "%.32s has no value", key);
	if (strcmp(key, "stages") == 0)
		return parse_stages(line, cfg, err);
	if (strcmp(key, "mx_programs") == 0)
		return parse_programs(line, cfg, err);
	if (strcmp(key, "dns_server") == 0)
		return parse_dns_server(line, cfg, err);
	if (strcmp(key, "wins_server") == 0)
		return parse_wins_server(line, cfg, err);
	if (strcmp(key, "bcast_address") == 0)
		return parse_bcast_address(line, cfg, err);
	return parse_one_value(line, cfg, err);
}

int mxf_config_parse(const char *text, size_t len, struct mxf_config *cfg,
		     struct mxf_config_error *err)
{
	const char *p = text, *end = text + len;
	struct line *line = malloc(sizeof(*line));
	int rc = 0;

	mxf_config_defaults(cfg);
	cfg->n_programs = 0;
	err->line = 0;
	err->message[0] = '\0';
	if (line == NULL)
		return fail(err, "out of memory");
	if (memchr(text, '\0', len) != NULL) {
		free(line);
		return fail(err, "binary data in the file");
	}
	while (p < end && rc == 0) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl != NULL ? nl : end;
		err->line++;
		rc = split_line(p, eol, line, err);
		if (rc == 0 && line->n > 0)
			rc = parse_line(line, cfg, err);
		p = nl != NULL ? nl + 1 : end;
	}
	free(line);
	if (rc == 0 && !cfg->mx_all_programs && cfg->n_programs == 0)
		default_programs(cfg);
	return rc;
}

bool mxf_config_mx_allowed(const struct mxf_config *cfg, const char *program)
{
	if (cfg->mx_all_programs)
		return true;
	for (unsigned i = 0; i < cfg->n_programs; i++)
		if (program != NULL && strcmp(cfg->programs[i], program) == 0)
			return true;
	return false;
}

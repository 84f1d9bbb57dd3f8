/* The module's settings: what /etc/nss_mxfallback.conf may say, and its parser.
 * Pure: text in, struct out; reading and caching the file is config_file.c's job. */
#ifndef MXF_CONFIG_H
#define MXF_CONFIG_H

#include <limits.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>

enum mxf_stage { MXF_STAGE_MX, MXF_STAGE_A, MXF_STAGE_WINS, MXF_STAGE_LMHOSTS };

#define MXF_MAX_STAGES 4
#define MXF_MAX_DNS_SERVERS 3 /* resolv.conf's MAXNS */
#define MXF_MAX_WINS_SERVERS 12 /* Windows' NameServerList holds up to 12 */
#define MXF_MAX_PROGRAMS 8
#define MXF_PROGRAM_LEN 64
#define MXF_MAX_MX_HOSTS 100

union mxf_sockaddr {
	struct sockaddr sa;
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
};

struct mxf_config {
	enum mxf_stage stages[MXF_MAX_STAGES];
	unsigned n_stages;
	bool mx_targets_all;
	unsigned mx_max_hosts;
	union mxf_sockaddr dns_servers[MXF_MAX_DNS_SERVERS];
	unsigned n_dns_servers;
	struct sockaddr_in wins_servers[MXF_MAX_WINS_SERVERS];
	unsigned n_wins_servers;
	unsigned wins_timeout_ms;
	unsigned wins_retries;
	unsigned char wins_suffix;
	bool wins_node_status;
	char lmhosts[PATH_MAX]; /* empty: the stage is off */
	char programs[MXF_MAX_PROGRAMS][MXF_PROGRAM_LEN];
	unsigned n_programs;
	bool debug;
	/* Which read of the file this is (config_file.c counts them; 0 for a
	 * config that did not come from there): a lookup's ERANGE replay is
	 * only for the settings it was found with. */
	unsigned long generation;
};

/* Where a parse failed: 1-based line and a message fit for syslog. */
struct mxf_config_error {
	unsigned line;
	char message[128];
};

void mxf_config_defaults(struct mxf_config *cfg);

/* Parses TEXT (LEN bytes, need not be NUL-terminated) over the defaults.
 * Returns 0, or -1 with ERR filled; CFG is then unspecified. */
int mxf_config_parse(const char *text, size_t len, struct mxf_config *cfg,
		     struct mxf_config_error *err);

/* True when the mx stage may run in the program called PROGRAM. */
bool mxf_config_mx_allowed(const struct mxf_config *cfg, const char *program);

#endif

/* The module's settings: what /etc/nss_mxfallback.conf may say, and its parser.
 * Pure: text in, struct out; reading and caching the file is config_file.c's job. */
#ifndef MXF_CONFIG_H
#define MXF_CONFIG_H

#include <limits.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>

enum mxf_stage { MXF_STAGE_MX, MXF_STAGE_A, MXF_STAGE_WINS, MXF_STAGE_LMHOSTS, MXF_STAGE_BCAST };

#define MXF_MAX_STAGES 5
#define MXF_MAX_DNS_SERVERS 3 /* resolv.conf's MAXNS */
#define MXF_MAX_WINS_SERVERS 12 /* Windows' NameServerList holds up to 12 */
#define MXF_MAX_PROGRAMS 8
#define MXF_PROGRAM_LEN 64
#define MXF_MAX_MX_HOSTS 100
#define MXF_MAX_BCAST 8 /* broadcast addresses, configured and found by auto */
#define MXF_MAX_BCAST_TIMEOUT 1500 /* ms: with 3 retries, 4.5 s per miss at most */
#define MXF_MAX_BCAST_RETRIES 3

/* A broadcast address the bcast stage asks (port 137 unless configured),
 * and the netmask of its subnet (network order; 0 when not known): a reply
 * counts only from inside that subnet. */
struct mxf_bcast_target {
	struct sockaddr_in addr;
	struct in_addr netmask;
};

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
	bool mx_fallback_a; /* MX records without usable exchangers: the domain's A (IMS) */
	union mxf_sockaddr dns_servers[MXF_MAX_DNS_SERVERS];
	unsigned n_dns_servers;
	struct sockaddr_in wins_servers[MXF_MAX_WINS_SERVERS];
	unsigned n_wins_servers;
	unsigned wins_timeout_ms;
	unsigned wins_retries;
	unsigned char wins_suffix;
	bool wins_node_status;
	struct mxf_bcast_target bcast[MXF_MAX_BCAST];
	unsigned n_bcast;
	bool bcast_auto; /* also every broadcast interface, found at lookup time */
	unsigned bcast_timeout_ms;
	unsigned bcast_retries;
	char lmhosts[PATH_MAX]; /* empty: the stage is off */
	char programs[MXF_MAX_PROGRAMS][MXF_PROGRAM_LEN];
	unsigned n_programs;
	bool mx_all_programs; /* "mx_programs *" */
	bool debug;
	/* Which snapshot of the file this is (config_file.c counts its builds; 0 for a
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

/* The programs the mx stage runs in when the file names none: the mail
 * programs that resolve a recipient domain through NSS (Postfix's and
 * nullmailer's smtp, Exim), and getent, to see what they get.  Installing
 * the module must not change what any other program resolves. */
#define MXF_DEFAULT_MX_PROGRAMS "smtp", "exim4", "exim", "getent"

/* True when the mx stage may run in the program called PROGRAM (its
 * program_invocation_short_name; NULL matches only "mx_programs *"). */
bool mxf_config_mx_allowed(const struct mxf_config *cfg, const char *program);

#endif

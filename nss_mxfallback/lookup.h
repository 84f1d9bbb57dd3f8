/* Runs the configured stages in order for one name, and keeps the last
 * answer per thread so the caller's retry after ERANGE sends no new query. */
#ifndef MXF_LOOKUP_H
#define MXF_LOOKUP_H

#include "answer.h"
#include "config.h"
#include "outcome.h"
#include "trace.h"

#include <stdbool.h>
#include <stdint.h>

struct mxf_result {
	bool config_broken; /* the config file is unusable: NSS_STATUS_UNAVAIL */
	bool mx_final; /* the mx stage decided: never UNAVAIL (see nss.c) */
	enum mxf_outcome outcome;
	int stage; /* the enum mxf_stage that found the answer, or -1 */
	int sys_errno; /* with MXF_NO_RESOURCES: EMFILE, ENFILE or ENOMEM */
	unsigned long generation; /* of the config it was found with */
	bool name_checked; /* with res_hnok's check (see mxf_lookup) */
	struct mxf_answer answer; /* meaningful when outcome is MXF_FOUND */
};

struct mxf_workspace;

/* Fills WS->result for NAME and FAMILY (AF_INET, AF_INET6 or AF_UNSPEC).  When this
 * thread's previous call for the same name and family ended in ERANGE less
 * than a second ago, with the same config generation and CHECK_NAME, the
 * kept answer is replayed instead (glibc's retry with a bigger buffer).  CHECK_NAME: the DNS stages refuse a
 * name res_hnok fails, without a query, as nss_dns's gethostbyname4_r,
 * gethostbyname2_r and gethostbyname_r do (glibc 2.36's gethostbyname3_r
 * does not: it sends the name). */
void mxf_lookup(const char *name, int family, bool check_name, struct mxf_workspace *ws);

/* Fills WS->result with the name of IPv4 address ADDR (network order),
 * from the sources that know addresses: the LMHOSTS file, then
 * (wins_node_status) the host itself over NetBIOS. */
void mxf_lookup_address(uint32_t addr, struct mxf_workspace *ws);

/* The same with a given config, reporting each step to TRACE (may be
 * NULL); no replay.  For mxfallback-query. */
void mxf_lookup_with(const struct mxf_config *cfg, const char *name, int family,
		     bool check_name, const struct mxf_trace *trace, struct mxf_workspace *ws);

const char *mxf_stage_name(int stage);

/* Keeps WS->result for this thread's next call with NAME and FAMILY (a
 * workspace of the thread's own only). */
void mxf_lookup_keep_for_retry(struct mxf_workspace *ws, const char *name, int family);

#endif

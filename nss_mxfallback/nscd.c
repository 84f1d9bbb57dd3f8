#include "nscd.h"

#include "log.h"

#include <errno.h>
#include <stdatomic.h>
#include <string.h>

static atomic_bool warned;

bool mxf_is_nscd(const char *program)
{
	return program != NULL && (strcmp(program, "nscd") == 0 || strcmp(program, "unscd") == 0);
}

static bool mx_stage_on(const struct mxf_config *cfg)
{
	for (unsigned i = 0; i < cfg->n_stages; i++)
		if (cfg->stages[i] == MXF_STAGE_MX)
			return true;
	return false;
}

void mxf_nscd_warn_once(const struct mxf_config *cfg)
{
	const char *me = program_invocation_short_name;

	if (atomic_load_explicit(&warned, memory_order_relaxed) || cfg->mx_all_programs ||
	    !mx_stage_on(cfg) || !mxf_is_nscd(me) || atomic_exchange(&warned, true))
		return;
	mxf_log_warning("running inside %s with mx_programs set: every client of its hosts cache "
			"gets %s; turn off its hosts cache (enable-cache hosts no in "
			"/etc/nscd.conf) or set \"mx_programs *\"",
			me,
			mxf_config_mx_allowed(cfg, me) ? "MX-first answers"
						       : "no MX-first answer, mail programs included");
}

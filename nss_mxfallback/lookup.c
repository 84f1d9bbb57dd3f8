#include "lookup.h"

#include "config_file.h"
#include "lmhosts.h"
#include "log.h"
#include "nscd.h"
#include "stage.h"
#include "workspace.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

/* How long a kept answer waits for the caller's retry with a bigger
 * buffer: glibc retries at once, in the same call, so a second is plenty;
 * anything later is a new lookup and must ask again. */
#define REPLAY_WINDOW_NS 1000000000LL

void mxf_lookup_keep_for_retry(struct mxf_workspace *ws, const char *name, int family)
{
	if (!ws->per_thread || strlen(name) >= sizeof(ws->kept.name))
		return;
	strcpy(ws->kept.name, name);
	ws->kept.family = family;
	ws->kept.name_checked = ws->result.name_checked;
	ws->kept.generation = ws->result.generation;
	clock_gettime(CLOCK_MONOTONIC, &ws->kept.at);
	ws->kept.valid = true;
}

static bool within_window(const struct timespec *since)
{
	struct timespec now;
	long long ns;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ns = (long long)(now.tv_sec - since->tv_sec) * 1000000000LL + (now.tv_nsec - since->tv_nsec);
	return ns >= 0 && ns < REPLAY_WINDOW_NS;
}

/* Whether WS's result is the answer kept for this name, family and name
 * check (an entry point that checks the name must not replay one that
 * does not), less than REPLAY_WINDOW_NS ago, found with the settings of
 * generation GENERATION: the retry of the call in progress, nothing else.
 * Once. */
static bool replay_kept(struct mxf_workspace *ws, const char *name, int family,
			bool check_name, unsigned long generation)
{
	if (!ws->kept.valid)
		return false;
	ws->kept.valid = false;
	return ws->kept.family == family && ws->kept.name_checked == check_name &&
	       strcmp(ws->kept.name, name) == 0 && ws->kept.generation == generation &&
	       within_window(&ws->kept.at);
}

const char *mxf_stage_name(int stage)
{
	static const char *const names[] = { "mx", "a", "wins", "lmhosts", "bcast" };

	return stage >= 0 && stage < MXF_MAX_STAGES ? names[stage] : "none";
}

static double elapsed_ms(const struct timespec *since)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - since->tv_sec) * 1e3 + (double)(now.tv_nsec - since->tv_nsec) / 1e6;
}

static enum mxf_outcome run_stage(enum mxf_stage s, struct mxf_query *q, struct mxf_answer *ans)
{
	if ((s == MXF_STAGE_MX || s == MXF_STAGE_A) && q->dns_done)
		mxf_trace(q->trace, "skipped: DNS has said all it will for this name");
	switch (s) {
	case MXF_STAGE_MX:
		return q->dns_done ? MXF_NO_NAME : mxf_stage_mx(q, ans);
	case MXF_STAGE_A:
		return q->dns_done ? MXF_NO_NAME : mxf_stage_a(q, ans);
	case MXF_STAGE_WINS:
		return mxf_stage_wins(q, ans);
	case MXF_STAGE_LMHOSTS:
		return mxf_stage_lmhosts(q, ans);
	case MXF_STAGE_BCAST:
		return mxf_stage_bcast(q, ans);
	}
	return MXF_NO_NAME;
}

static void run_stages(struct mxf_query *q, struct mxf_result *res)
{
	const struct mxf_config *cfg = q->cfg;

	res->outcome = MXF_NO_NAME;
	res->stage = -1;
	for (unsigned i = 0; i < cfg->n_stages && !q->stop; i++) {
		struct timespec start;
		if (q->trace != NULL) {
			mxf_trace(q->trace, "stage %s:", mxf_stage_name((int)cfg->stages[i]));
			clock_gettime(CLOCK_MONOTONIC, &start);
		}
		mxf_answer_init(&res->answer);
		enum mxf_outcome o = run_stage(cfg->stages[i], q, &res->answer);
		mxf_log_debug(cfg->debug, "%s (family %d): stage %s: %s, %u addresses", q->name,
			      q->family, mxf_stage_name((int)cfg->stages[i]), mxf_outcome_name(o),
			      o == MXF_FOUND ? res->answer.n_addrs : 0);
		if (q->trace != NULL)
			mxf_trace(q->trace, "-> %s, %u address(es), %.1f ms", mxf_outcome_name(o),
				  o == MXF_FOUND ? res->answer.n_addrs : 0, elapsed_ms(&start));
		if (o == MXF_FOUND) {
			res->outcome = MXF_FOUND;
			res->stage = (int)cfg->stages[i];
			return;
		}
		res->outcome = mxf_outcome_heavier(res->outcome, o);
	}
}

/* What a cancelled lookup (DNS and NetBIOS waits are cancellation points)
 * must not leave behind: its query's open resolver state, its hold on the
 * settings, and the workspace, which the caller would have given back. */
struct unwind {
	struct mxf_workspace *ws;
	const struct mxf_config *cfg;
};

static void unwind(void *arg)
{
	const struct unwind *u = arg;

	if (u->ws->query_open)
		mxf_query_finish(&u->ws->query);
	u->ws->query_open = false;
	mxf_config_release(u->cfg);
	mxf_workspace_put(u->ws);
}

/* WS's result when the settings could not be had (RC from
 * mxf_config_acquire): a broken config, or no memory.  No memset: the
 * answer is large. */
static void without_settings(struct mxf_workspace *ws, int rc)
{
	struct mxf_result *res = &ws->result;

	ws->kept.valid = false;
	res->config_broken = rc == MXF_CONFIG_BROKEN;
	res->mx_final = false;
	res->outcome = MXF_NO_RESOURCES;
	res->sys_errno = ENOMEM;
	mxf_answer_init(&res->answer);
}

void mxf_lookup(const char *name, int family, bool check_name, struct mxf_workspace *ws)
{
	const struct mxf_config *cfg;
	struct unwind u = { .ws = ws };
	int rc;

	rc = mxf_config_acquire(&cfg);
	if (rc != 0) {
		without_settings(ws, rc);
		return;
	}
	mxf_nscd_warn_once(cfg);
	u.cfg = cfg;
	pthread_cleanup_push(unwind, &u);
	if (!replay_kept(ws, name, family, check_name, cfg->generation))
		mxf_lookup_with(cfg, name, family, check_name, NULL, ws);
	pthread_cleanup_pop(0);
	mxf_config_release(cfg);
}

void mxf_lookup_with(const struct mxf_config *cfg, const char *name, int family,
		     bool check_name, const struct mxf_trace *trace, struct mxf_workspace *ws)
{
	struct mxf_result *res = &ws->result;
	/* In the workspace, not on the stack: a cancelled lookup's cleanup
	 * (mxf_lookup's unwind) runs after this frame is gone. */
	struct mxf_query *q = &ws->query;

	mxf_query_init(q, name, family, cfg, trace, ws);
	q->check_name = check_name;
	ws->query_open = true;
	res->config_broken = false;
	res->generation = cfg->generation;
	res->name_checked = check_name;
	mxf_answer_init(&res->answer);
	run_stages(q, res);
	res->mx_final = q->mx_final;
	res->sys_errno = q->sys_errno != 0 ? q->sys_errno : q->dns_opened ? q->dns.sys_errno : 0;
	ws->query_open = false;
	mxf_query_finish(q);
}

static bool stage_enabled(const struct mxf_config *cfg, enum mxf_stage stage)
{
	for (unsigned i = 0; i < cfg->n_stages; i++)
		if (cfg->stages[i] == stage)
			return true;
	return false;
}

void mxf_lookup_address(uint32_t addr, struct mxf_workspace *ws)
{
	struct mxf_result *res = &ws->result;
	const struct mxf_config *cfg;
	struct unwind u = { .ws = ws };
	int rc = mxf_config_acquire(&cfg);

	if (rc != 0) {
		without_settings(ws, rc);
		return;
	}
	ws->kept.valid = false; /* RES is about to hold another answer */
	res->config_broken = false;
	res->mx_final = false;
	mxf_answer_init(&res->answer);
	res->outcome = MXF_NO_NAME;
	res->sys_errno = 0;
	u.cfg = cfg;
	pthread_cleanup_push(unwind, &u);
	if (stage_enabled(cfg, MXF_STAGE_LMHOSTS) && mxf_lmhosts_reverse(cfg, addr, &res->answer))
		res->outcome = MXF_FOUND;
	/* Off by default: it sends a packet to the address looked up. */
	else if (cfg->wins_node_status && stage_enabled(cfg, MXF_STAGE_WINS) &&
		 mxf_wins_node_status(cfg, addr, &res->answer))
		res->outcome = MXF_FOUND;
	pthread_cleanup_pop(0);
	mxf_config_release(cfg);
}

#include "lookup.h"

#include "config_file.h"
#include "lmhosts.h"
#include "log.h"
#include "nscd.h"
#include "stage.h"

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

/* One per thread, heap-allocated on the first ERANGE.  The key's destructor
 * is libc's free(), so a thread's exit never calls into this module (which
 * may be unloaded by then). */
struct kept_answer {
	bool valid;
	int family;
	unsigned long generation; /* of the config the answer was found with */
	struct timespec kept_at; /* CLOCK_MONOTONIC */
	char name[NS_MAXDNAME];
	struct mxf_result result;
};

static pthread_key_t kept_key;
static pthread_once_t kept_once = PTHREAD_ONCE_INIT;
static bool kept_key_ok;

static void make_key(void)
{
	kept_key_ok = pthread_key_create(&kept_key, free) == 0;
}

static struct kept_answer *kept_answer(bool create)
{
	struct kept_answer *k;

	pthread_once(&kept_once, make_key);
	if (!kept_key_ok)
		return NULL;
	k = pthread_getspecific(kept_key);
	if (k == NULL && create) {
		k = calloc(1, sizeof(*k));
		if (k != NULL && pthread_setspecific(kept_key, k) != 0) {
			free(k);
			k = NULL;
		}
	}
	return k;
}

void mxf_lookup_keep_for_retry(const char *name, int family, const struct mxf_result *res)
{
	struct kept_answer *k = kept_answer(true);

	if (k == NULL || strlen(name) >= sizeof(k->name))
		return;
	strcpy(k->name, name);
	k->family = family;
	k->generation = res->generation;
	clock_gettime(CLOCK_MONOTONIC, &k->kept_at);
	k->result = *res;
	k->valid = true;
}

static bool within_window(const struct timespec *since)
{
	struct timespec now;
	long long ns;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ns = (long long)(now.tv_sec - since->tv_sec) * 1000000000LL + (now.tv_nsec - since->tv_nsec);
	return ns >= 0 && ns < REPLAY_WINDOW_NS;
}

/* Replays the kept answer once, if it is for this name and family, was
 * kept less than REPLAY_WINDOW_NS ago, and found with the settings of
 * generation GENERATION: the retry of the call in progress, nothing else. */
static bool replay_kept(const char *name, int family, unsigned long generation,
			struct mxf_result *res)
{
	struct kept_answer *k = kept_answer(false);

	if (k == NULL || !k->valid)
		return false;
	k->valid = false;
	if (k->family != family || strcmp(k->name, name) != 0 || k->generation != generation ||
	    !within_window(&k->kept_at))
		return false;
	*res = k->result;
	return true;
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

void mxf_lookup(const char *name, int family, bool check_name, struct mxf_result *res)
{
	const struct mxf_config *cfg;
	int rc;

	/* No memset: the answer is large and run_stages initialises it. */
	res->config_broken = false;
	res->mx_final = false;
	res->outcome = MXF_NO_RESOURCES;
	res->sys_errno = ENOMEM;
	mxf_answer_init(&res->answer);
	rc = mxf_config_acquire(&cfg);
	if (rc != 0) {
		res->config_broken = rc == MXF_CONFIG_BROKEN;
		return;
	}
	mxf_nscd_warn_once(cfg);
	if (!replay_kept(name, family, cfg->generation, res))
		mxf_lookup_with(cfg, name, family, check_name, NULL, res);
	mxf_config_release(cfg);
}

void mxf_lookup_with(const struct mxf_config *cfg, const char *name, int family,
		     bool check_name, const struct mxf_trace *trace, struct mxf_result *res)
{
	struct mxf_query q;

	mxf_query_init(&q, name, family, cfg, trace);
	q.check_name = check_name;
	res->config_broken = false;
	res->generation = cfg->generation;
	mxf_answer_init(&res->answer);
	run_stages(&q, res);
	res->mx_final = q.mx_final;
	res->sys_errno = q.sys_errno != 0 ? q.sys_errno : q.dns_opened ? q.dns.sys_errno : 0;
	mxf_query_finish(&q);
}

static bool stage_enabled(const struct mxf_config *cfg, enum mxf_stage stage)
{
	for (unsigned i = 0; i < cfg->n_stages; i++)
		if (cfg->stages[i] == stage)
			return true;
	return false;
}

void mxf_lookup_address(uint32_t addr, struct mxf_result *res)
{
	const struct mxf_config *cfg;
	int rc = mxf_config_acquire(&cfg);

	res->config_broken = rc == MXF_CONFIG_BROKEN;
	res->mx_final = false;
	mxf_answer_init(&res->answer);
	res->outcome = MXF_NO_RESOURCES;
	res->sys_errno = ENOMEM;
	if (rc != 0)
		return;
	res->outcome = MXF_NO_NAME;
	if (stage_enabled(cfg, MXF_STAGE_LMHOSTS) && mxf_lmhosts_reverse(cfg, addr, &res->answer))
		res->outcome = MXF_FOUND;
	/* Off by default: it sends a packet to the address looked up. */
	else if (cfg->wins_node_status && stage_enabled(cfg, MXF_STAGE_WINS) &&
		 mxf_wins_node_status(cfg, addr, &res->answer))
		res->outcome = MXF_FOUND;
	mxf_config_release(cfg);
}

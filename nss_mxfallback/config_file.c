#include "config_file.h"

#include "log.h"
#include "snapshot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif

/* One parsed version of the file.  Lookups hold it while they run, so a
 * reload never changes settings under a lookup, and a lookup costs no copy. */
struct loaded {
	struct mxf_config cfg; /* first: a held settings pointer is its struct loaded */
	struct mxf_snap *snap; /* the snapshot holding this */
	bool broken;
	char why[256]; /* when broken: "PATH:LINE: message" */
};

static struct mxf_snap_cache cache = MXF_SNAP_CACHE_INIT;

/* How many snapshots build() made: each one's settings carry the count as
 * their generation, so a lookup's ERANGE replay (lookup.c) never outlives
 * the settings it was found with.  Atomic: builds of different paths
 * (mxfallback-query --config) may run at once. */
static unsigned long builds;

const char *mxf_config_path(void)
{
	/* secure_getenv: a setuid program must not be steered by its caller. */
	const char *env = secure_getenv("NSS_MXFALLBACK_CONF");

	return env != NULL && env[0] != '\0' ? env : SYSCONFDIR "/nss_mxfallback.conf";
}

static void judge(struct loaded *l, const char *path, enum mxf_snap_read_status rc, int err,
		  const char *text, size_t len)
{
	struct mxf_config_error perr;

	switch (rc) {
	case MXF_SNAP_READ_OK:
		if (mxf_config_parse(text, len, &l->cfg, &perr) == 0)
			return;
		snprintf(l->why, sizeof(l->why), "%s:%u: %s", path, perr.line, perr.message);
		break;
	case MXF_SNAP_READ_MISSING:
		mxf_config_defaults(&l->cfg);
		return;
	case MXF_SNAP_READ_FAILED:
		snprintf(l->why, sizeof(l->why), "%s: cannot read: %s", path, strerror(err));
		break;
	case MXF_SNAP_READ_NOT_REGULAR:
	case MXF_SNAP_READ_TOO_BIG:
		snprintf(l->why, sizeof(l->why), "%s: not a regular file of at most %d bytes", path,
			 MXF_MAX_CONFIG_SIZE);
		break;
	case MXF_SNAP_READ_TOO_MANY:
	case MXF_SNAP_READ_NO_MEMORY:
		snprintf(l->why, sizeof(l->why), "%s: out of memory", path);
		break;
	}
	l->broken = true;
	mxf_log_error("%s; every lookup returns UNAVAIL until it is fixed", l->why);
}

static int build(struct mxf_snap *snap, const char *path, void *arg)
{
	struct loaded *l = calloc(1, sizeof(*l));
	char *text = NULL;
	size_t len = 0;
	int err;

	(void)arg;
	if (l == NULL)
		return -1;
	enum mxf_snap_read_status rc =
		mxf_snap_read(snap, path, MXF_MAX_CONFIG_SIZE, &text, &len, &err);
	if (rc == MXF_SNAP_READ_NO_MEMORY) {
		free(l);
		return -1;
	}
	judge(l, path, rc, err, text, len);
	free(text);
	l->cfg.generation = __atomic_add_fetch(&builds, 1, __ATOMIC_RELAXED);
	l->snap = snap;
	snap->value = l;
	snap->free_value = free;
	return 0;
}

int mxf_config_load(const char *path, const struct mxf_config **cfg, char *why, size_t why_len)
{
	struct mxf_snap *snap = mxf_snap_acquire(&cache, path, build, NULL);
	const struct loaded *l;

	if (snap == NULL)
		return MXF_CONFIG_NO_MEMORY;
	l = snap->value;
	if (l->broken) {
		if (why != NULL && why_len > 0)
			snprintf(why, why_len, "%s", l->why);
		mxf_snap_release(&cache, snap);
		return MXF_CONFIG_BROKEN;
	}
	*cfg = &l->cfg;
	return 0;
}

int mxf_config_acquire(const struct mxf_config **cfg)
{
	return mxf_config_load(mxf_config_path(), cfg, NULL, 0);
}

void mxf_config_release(const struct mxf_config *cfg)
{
	/* cfg is the first member of a struct loaded, which malloc() aligned */
	const struct loaded *l = (const struct loaded *)(const void *)cfg;

	mxf_snap_release(&cache, l->snap);
}

#include "config_file.h"

#include "fileid.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif

/* A config file is a few lines; anything bigger is a mistake, not a config. */
#define MAX_CONFIG_SIZE (64 * 1024)

/* One parsed version of the file.  Lookups hold it while they run, so a
 * reload never changes settings under a lookup, and a lookup costs no copy. */
struct snapshot {
	struct mxf_config cfg; /* first: a held settings pointer is its snapshot */
	unsigned refs; /* guarded by cache_lock; the cache holds one while current */
};

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	bool filled;
	char path[PATH_MAX];
	struct mxf_file_id id;
	struct snapshot *current; /* NULL: the file is broken */
} cache; /* guarded by cache_lock */

/* Drops one hold of SNAP; the caller holds cache_lock.  True when SNAP is
 * to be freed (outside the lock). */
static bool drop(struct snapshot *snap)
{
	return snap != NULL && --snap->refs == 0;
}

const char *mxf_config_path(void)
{
	/* secure_getenv: a setuid program must not be steered by its caller. */
	const char *env = secure_getenv("NSS_MXFALLBACK_CONF");

	return env != NULL && env[0] != '\0' ? env : SYSCONFDIR "/nss_mxfallback.conf";
}

static int read_whole(int fd, char *buf, size_t size)
{
	size_t got = 0;

	while (got < size) {
		ssize_t n = read(fd, buf + got, size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	return 0;
}

/* Reads and parses PATH into CFG, noting the file's identity in the cache;
 * the caller holds cache_lock.  -1 when the file is broken. */
static int reload(const char *path, struct mxf_config *cfg)
{
	struct mxf_config_error err;
	struct stat st;
	char *text = NULL;
	int status = -1;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0) {
		mxf_file_id_from_errno(errno, &cache.id);
		if (errno == ENOENT) {
			mxf_config_defaults(cfg);
			status = 0;
		} else {
			mxf_log_error("%s: cannot open: %s", path, strerror(errno));
		}
		return status;
	}
	if (fstat(fd, &st) != 0) {
		mxf_file_id_from_errno(errno, &cache.id);
		mxf_log_error("%s: cannot stat: %s", path, strerror(errno));
		goto out;
	}
	mxf_file_id_from_stat(&st, &cache.id);
	if (!S_ISREG(st.st_mode) || st.st_size > MAX_CONFIG_SIZE) {
		mxf_log_error("%s: not a regular file of at most %d bytes", path,
			      MAX_CONFIG_SIZE);
		goto out;
	}
	text = malloc((size_t)st.st_size + 1);
	if (text == NULL || read_whole(fd, text, (size_t)st.st_size) != 0) {
		mxf_log_error("%s: cannot read", path);
		goto out;
	}
	if (mxf_config_parse(text, (size_t)st.st_size, cfg, &err) != 0) {
		mxf_log_error("%s:%u: %s; every lookup returns UNAVAIL until it is fixed",
			      path, err.line, err.message);
		goto out;
	}
	status = 0;
out:
	free(text);
	close(fd);
	return status;
}

/* Replaces the cache's snapshot with a fresh read of PATH; the caller holds
 * cache_lock.  Returns the snapshot it let go of, for the caller to free
 * when that was its last hold; -1 in *STATUS when out of memory (nothing is
 * cached then, so the next lookup tries again). */
static struct snapshot *refresh(const char *path, int *status)
{
	struct snapshot *old = cache.current, *snap = malloc(sizeof(*snap));

	*status = 0;
	if (snap == NULL) {
		*status = -1;
		return NULL;
	}
	snap->refs = 1;
	snprintf(cache.path, sizeof(cache.path), "%s", path);
	if (reload(path, &snap->cfg) != 0) {
		free(snap);
		snap = NULL;
	}
	cache.current = snap;
	cache.filled = true;
	return drop(old) ? old : NULL;
}

int mxf_config_acquire(const struct mxf_config **cfg)
{
	const char *path = mxf_config_path();
	struct snapshot *gone = NULL;
	struct mxf_file_id now;
	int rc = MXF_CONFIG_BROKEN;

	mxf_file_id_of_path(path, &now);
	pthread_mutex_lock(&cache_lock);
	/* An unchanged broken file is not re-read, so its error is logged once. */
	if (!cache.filled || strcmp(cache.path, path) != 0 || !mxf_file_id_equal(&now, &cache.id)) {
		int status;
		gone = refresh(path, &status);
		if (status != 0)
			rc = MXF_CONFIG_NO_MEMORY;
	}
	if (cache.filled && cache.current != NULL) {
		cache.current->refs++;
		*cfg = &cache.current->cfg;
		rc = 0;
	}
	pthread_mutex_unlock(&cache_lock);
	free(gone);
	return rc;
}

void mxf_config_release(const struct mxf_config *cfg)
{
	struct snapshot *snap = (struct snapshot *)cfg;
	bool last;

	pthread_mutex_lock(&cache_lock);
	last = drop(snap);
	pthread_mutex_unlock(&cache_lock);
	if (last)
		free(snap);
}

/* glibc unloads an NSS module only from __libc_freeres (valgrind, mtrace),
 * when no lookup runs any more: give the snapshot back, so a leak checker
 * run on any program sees none of ours. */
__attribute__((destructor)) static void free_cache(void)
{
	if (drop(cache.current))
		free(cache.current);
	cache.current = NULL;
	cache.filled = false;
}

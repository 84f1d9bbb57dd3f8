#include "config_file.h"

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

/* What the file looked like when it was last parsed. */
struct file_identity {
	int stat_errno; /* 0, or why stat() failed (ENOENT: use defaults) */
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
	struct timespec ctime;
};

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	bool filled;
	char path[PATH_MAX];
	struct file_identity id;
	int status; /* 0 usable, -1 broken */
	struct mxf_config cfg;
} cache; /* guarded by cache_lock */

const char *mxf_config_path(void)
{
	/* secure_getenv: a setuid program must not be steered by its caller. */
	const char *env = secure_getenv("NSS_MXFALLBACK_CONF");

	return env != NULL && env[0] != '\0' ? env : SYSCONFDIR "/nss_mxfallback.conf";
}

static void identify_error(int stat_errno, struct file_identity *id)
{
	memset(id, 0, sizeof(*id));
	id->stat_errno = stat_errno;
}

static void identify(const struct stat *st, struct file_identity *id)
{
	memset(id, 0, sizeof(*id));
	id->dev = st->st_dev;
	id->ino = st->st_ino;
	id->size = st->st_size;
	id->mtime = st->st_mtim;
	id->ctime = st->st_ctim;
}

static bool same_identity(const struct file_identity *a, const struct file_identity *b)
{
	return a->stat_errno == b->stat_errno && a->dev == b->dev && a->ino == b->ino &&
	       a->size == b->size && a->mtime.tv_sec == b->mtime.tv_sec &&
	       a->mtime.tv_nsec == b->mtime.tv_nsec && a->ctime.tv_sec == b->ctime.tv_sec &&
	       a->ctime.tv_nsec == b->ctime.tv_nsec;
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

/* Reads and parses PATH into the cache; the caller holds cache_lock. */
static void reload(const char *path)
{
	struct mxf_config_error err;
	struct stat st;
	char *text = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	cache.status = -1;
	if (fd < 0) {
		identify_error(errno, &cache.id);
		if (errno == ENOENT) {
			mxf_config_defaults(&cache.cfg);
			cache.status = 0;
		} else {
			mxf_log_error("%s: cannot open: %s", path, strerror(errno));
		}
		return;
	}
	if (fstat(fd, &st) != 0) {
		identify_error(errno, &cache.id);
		mxf_log_error("%s: cannot stat: %s", path, strerror(errno));
		goto out;
	}
	identify(&st, &cache.id);
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
	if (mxf_config_parse(text, (size_t)st.st_size, &cache.cfg, &err) != 0) {
		mxf_log_error("%s:%u: %s; every lookup returns UNAVAIL until it is fixed",
			      path, err.line, err.message);
		goto out;
	}
	cache.status = 0;
out:
	free(text);
	close(fd);
}

int mxf_config_current(struct mxf_config *cfg)
{
	const char *path = mxf_config_path();
	struct file_identity now;
	struct stat st;
	int rc;

	if (stat(path, &st) == 0)
		identify(&st, &now);
	else
		identify_error(errno, &now);
	pthread_mutex_lock(&cache_lock);
	if (!cache.filled || strcmp(cache.path, path) != 0 || !same_identity(&now, &cache.id)) {
		/* An unchanged broken file is not re-read, so its error is logged once. */
		snprintf(cache.path, sizeof(cache.path), "%s", path);
		reload(path);
		cache.filled = true;
	}
	rc = cache.status;
	if (rc == 0)
		*cfg = cache.cfg;
	pthread_mutex_unlock(&cache_lock);
	return rc;
}

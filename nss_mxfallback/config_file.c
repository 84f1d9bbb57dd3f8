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

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	bool filled;
	char path[PATH_MAX];
	struct mxf_file_id id;
	int status; /* 0 usable, -1 broken */
	struct mxf_config cfg;
} cache; /* guarded by cache_lock */

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

/* Reads and parses PATH into the cache; the caller holds cache_lock. */
static void reload(const char *path)
{
	struct mxf_config_error err;
	struct stat st;
	char *text = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	cache.status = -1;
	if (fd < 0) {
		mxf_file_id_from_errno(errno, &cache.id);
		if (errno == ENOENT) {
			mxf_config_defaults(&cache.cfg);
			cache.status = 0;
		} else {
			mxf_log_error("%s: cannot open: %s", path, strerror(errno));
		}
		return;
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
	struct mxf_file_id now;
	int rc;

	mxf_file_id_of_path(path, &now);
	pthread_mutex_lock(&cache_lock);
	if (!cache.filled || strcmp(cache.path, path) != 0 || !mxf_file_id_equal(&now, &cache.id)) {
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

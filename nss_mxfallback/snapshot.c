#include "snapshot.h"

#include "forkguard.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void snap_free(struct mxf_snap *s)
{
	if (s == NULL)
		return;
	if (s->free_value != NULL)
		s->free_value(s->value);
	for (unsigned i = 0; i < s->n_files; i++)
		free(s->files[i].path);
	free(s->key);
	free(s);
}

/* Drops one hold; true when it was the last, and S is to be freed (after
 * unlocking, when the caller holds the lock). */
static bool drop(struct mxf_snap *s)
{
	return s != NULL && __atomic_sub_fetch(&s->refs, 1, __ATOMIC_ACQ_REL) == 0;
}

static void hold(struct mxf_snap *s)
{
	__atomic_add_fetch(&s->refs, 1, __ATOMIC_RELAXED);
}

void mxf_snap_release(struct mxf_snap_cache *c, struct mxf_snap *s)
{
	(void)c;
	if (drop(s))
		snap_free(s);
}

/* Stats every file outside the lock: lookups never queue behind a stat. */
static bool fresh(const struct mxf_snap *s, const char *key)
{
	struct mxf_file_id now;

	if (strcmp(s->key, key) != 0)
		return false;
	for (unsigned i = 0; i < s->n_files; i++) {
		mxf_file_id_of_path(s->files[i].path, &now);
		if (!mxf_file_id_equal(&now, &s->files[i].id))
			return false;
	}
	return true;
}

static struct mxf_snap *build_new(const char *key, mxf_snap_build_fn build, void *arg)
{
	struct mxf_snap *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	s->key = strdup(key);
	if (s->key == NULL || build(s, key, arg) != 0) {
		snap_free(s);
		return NULL;
	}
	s->refs = 2; /* the cache's and the caller's */
	return s;
}

/* Builds a snapshot for KEY and makes it current; the caller has set
 * c->building.  Returns it held, or NULL when out of memory. */
static struct mxf_snap *rebuild(struct mxf_snap_cache *c, const char *key,
				mxf_snap_build_fn build, void *arg)
{
	struct mxf_snap *made = build_new(key, build, arg), *old = NULL;

	pthread_mutex_lock(&c->lock);
	c->building = false;
	if (made != NULL) {
		old = c->current;
		c->current = made;
		if (!drop(old))
			old = NULL;
	}
	pthread_cond_broadcast(&c->built);
	pthread_mutex_unlock(&c->lock);
	snap_free(old);
	return made;
}

/* The current snapshot (NULL before the first build), held. */
static struct mxf_snap *held_current(struct mxf_snap_cache *c)
{
	struct mxf_snap *s;

	pthread_mutex_lock(&c->lock);
	s = c->current;
	if (s != NULL)
		hold(s);
	pthread_mutex_unlock(&c->lock);
	return s;
}

/* One round: the current snapshot if it is fresh; otherwise this thread
 * builds, or waits for the thread that does.  *DONE false: go round again. */
static struct mxf_snap *try_acquire(struct mxf_snap_cache *c, const char *key,
				    mxf_snap_build_fn build, void *arg, bool *done)
{
	struct mxf_snap *s;
	bool last;

	*done = true;
	s = held_current(c);
	if (s != NULL && fresh(s, key))
		return s;
	pthread_mutex_lock(&c->lock);
	last = drop(s);
	if (c->current != s) {
		*done = false; /* another thread replaced it meanwhile: look again */
	} else if (c->building && c->builder == getpid()) {
		pthread_cond_wait(&c->built, &c->lock);
		*done = false;
	} else {
		c->building = true;
		c->builder = getpid();
	}
	pthread_mutex_unlock(&c->lock);
	if (last)
		snap_free(s);
	return *done ? rebuild(c, key, build, arg) : NULL;
}

/* The current snapshot, held, when it is fresh; else NULL.  No
 * cancellation point on the way (a mutex, a stat): nothing to guard. */
static struct mxf_snap *current_if_fresh(struct mxf_snap_cache *c, const char *key)
{
	struct mxf_snap *s = held_current(c);

	if (s != NULL && fresh(s, key))
		return s;
	mxf_snap_release(c, s);
	return NULL;
}

struct mxf_snap *mxf_snap_acquire(struct mxf_snap_cache *c, const char *key,
				  mxf_snap_build_fn build, void *arg)
{
	struct mxf_snap *s;
	bool done;
	int cancel_state;

	mxf_fork_guard(&c->guarded, &c->lock, &c->built);
	s = current_if_fresh(c, key);
	if (s != NULL)
		return s;
	/* A builder cancelled in read() or a waiter in pthread_cond_wait would
	 * leave the others waiting for ever. */
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &cancel_state);
	do
		s = try_acquire(c, key, build, arg, &done);
	while (!done);
	pthread_setcancelstate(cancel_state, NULL);
	return s;
}

static int read_exactly(int fd, char *buf, size_t size)
{
	size_t got = 0;

	while (got < size) {
		ssize_t n = read(fd, buf + got, size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno;
		if (n == 0)
			return EIO; /* it shrank: it changed, and will be read again */
		got += (size_t)n;
	}
	return 0;
}

static enum mxf_snap_read_status read_open(int fd, const struct stat *st, size_t max,
					   char **text, size_t *len, int *err)
{
	char *buf;

	if (!S_ISREG(st->st_mode))
		return MXF_SNAP_READ_NOT_REGULAR;
	if ((uintmax_t)st->st_size > max)
		return MXF_SNAP_READ_TOO_BIG;
	buf = malloc((size_t)st->st_size + 1);
	if (buf == NULL)
		return MXF_SNAP_READ_NO_MEMORY;
	*err = read_exactly(fd, buf, (size_t)st->st_size);
	if (*err != 0) {
		free(buf);
		return MXF_SNAP_READ_FAILED;
	}
	buf[st->st_size] = '\0';
	*text = buf;
	*len = (size_t)st->st_size;
	return MXF_SNAP_READ_OK;
}

enum mxf_snap_read_status mxf_snap_read(struct mxf_snap *s, const char *path, size_t max,
					char **text, size_t *len, int *err)
{
	struct mxf_snap_file *f;
	struct stat st;
	int fd;

	*err = 0;
	if (s->n_files == MXF_SNAP_MAX_FILES)
		return MXF_SNAP_READ_TOO_MANY;
	f = &s->files[s->n_files];
	f->path = strdup(path);
	if (f->path == NULL)
		return MXF_SNAP_READ_NO_MEMORY;
	s->n_files++;
	/* The identity is taken before the file is read: a change after it
	 * costs one more read, never a missed change. */
	mxf_file_id_of_path(path, &f->id);
	/* O_NONBLOCK: opening a FIFO must not wait for a writer. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		*err = errno;
		return *err == ENOENT ? MXF_SNAP_READ_MISSING : MXF_SNAP_READ_FAILED;
	}
	if (fstat(fd, &st) != 0) {
		*err = errno;
		close(fd);
		return MXF_SNAP_READ_FAILED;
	}
	mxf_file_id_from_stat(&st, &f->id);
	enum mxf_snap_read_status rc = read_open(fd, &st, max, text, len, err);
	close(fd);
	return rc;
}

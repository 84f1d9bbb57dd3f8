/* Watched snapshots: a set of files read together and turned into one
 * immutable value, handed out with a reference count and rebuilt once per
 * change of any of the files.  The config (config_file.c), the LMHOSTS
 * table with its includes (lmhosts.c) and mxfallback-query all load through
 * it.
 *
 * Lifetime: a snapshot is freed when its last holder lets go of it after a
 * newer one replaced it.  The current snapshot is never freed, not even at
 * unload: glibc's _dl_fini runs a module's destructors on every exit() while
 * other threads may still be inside a lookup, so nothing a lookup can reach
 * may go away then (tests/valgrind.supp tells leak checkers). */
#ifndef MXF_SNAPSHOT_H
#define MXF_SNAPSHOT_H

#include "fileid.h"

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define MXF_SNAP_MAX_FILES 64

struct mxf_snap_file {
	char *path;
	struct mxf_file_id id; /* as it was just before it was read */
};

struct mxf_snap {
	/* Atomic.  Taken only under the cache's lock, from CURRENT, which
	 * holds one itself: a count never rises again once it can reach 0, so
	 * a holder lets go without the lock. */
	unsigned refs;
	char *key; /* what it was built for (a path) */
	unsigned n_files;
	struct mxf_snap_file files[MXF_SNAP_MAX_FILES];
	void *value; /* what the build function made of the files */
	void (*free_value)(void *value);
};

/* One per kind of snapshot, static, initialised with MXF_SNAP_CACHE_INIT. */
struct mxf_snap_cache {
	pthread_mutex_t lock;
	pthread_cond_t built;
	struct mxf_snap *current; /* guarded by lock */
	bool building; /* guarded by lock: one thread reads the files, the rest wait */
	pid_t builder; /* a child forked mid-build does not wait for it */
	bool guarded; /* LOCK and BUILT survive fork() (forkguard.h) */
};

#define MXF_SNAP_CACHE_INIT \
	{ PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, false, 0, false }

/* Reads the files for KEY into SNAP: mxf_snap_read for each file, then sets
 * snap->value (and free_value).  Returns 0, or -1 when out of memory
 * (nothing is kept; the next acquire builds again).  A file that cannot be
 * read is not an error here: the value says so, and stays until the file
 * changes. */
typedef int (*mxf_snap_build_fn)(struct mxf_snap *snap, const char *key, void *arg);

/* Returns a held snapshot built for KEY whose files have not changed since
 * they were read, building a new one (once, whichever thread gets there
 * first) when any did; NULL when out of memory.  Costs one stat() per file
 * when nothing changed.  Cancellation is held off while it builds or
 * waits for a build (there is no cancellation point otherwise). */
struct mxf_snap *mxf_snap_acquire(struct mxf_snap_cache *cache, const char *key,
				  mxf_snap_build_fn build, void *arg);
void mxf_snap_release(struct mxf_snap_cache *cache, struct mxf_snap *snap);

enum mxf_snap_read_status {
	MXF_SNAP_READ_OK,
	MXF_SNAP_READ_MISSING, /* ENOENT: no such file */
	MXF_SNAP_READ_FAILED, /* open() or read() failed: errno in *ERR */
	MXF_SNAP_READ_NOT_REGULAR, /* a directory, FIFO, device... */
	MXF_SNAP_READ_TOO_BIG, /* more than MAX bytes */
	MXF_SNAP_READ_TOO_MANY, /* MXF_SNAP_MAX_FILES already watched */
	MXF_SNAP_READ_NO_MEMORY,
};

/* Reads PATH whole (at most MAX bytes) for a build, and watches it: a later
 * change to it (even its creation, when missing) makes the snapshot stale.
 * On MXF_SNAP_READ_OK, *TEXT is a malloc()ed copy with a NUL after *LEN
 * bytes, and the file is snap->files[snap->n_files - 1].  Never blocks on a
 * FIFO.  *ERR gets errno for MXF_SNAP_READ_FAILED. */
enum mxf_snap_read_status mxf_snap_read(struct mxf_snap *snap, const char *path, size_t max,
					char **text, size_t *len, int *err);

#endif

#include "fileid.h"

#include <errno.h>
#include <string.h>

void mxf_file_id_from_stat(const struct stat *st, struct mxf_file_id *id)
{
	memset(id, 0, sizeof(*id));
	id->dev = st->st_dev;
	id->ino = st->st_ino;
	id->size = st->st_size;
	id->mtime = st->st_mtim;
	id->ctime = st->st_ctim;
}

void mxf_file_id_from_errno(int stat_errno, struct mxf_file_id *id)
{
	memset(id, 0, sizeof(*id));
	id->stat_errno = stat_errno;
}

void mxf_file_id_of_path(const char *path, struct mxf_file_id *id)
{
	struct stat st;

	if (stat(path, &st) == 0)
		mxf_file_id_from_stat(&st, id);
	else
		mxf_file_id_from_errno(errno, id);
}

/* ctime too: a rewrite within one mtime tick that keeps the size still
 * moves ctime. */
bool mxf_file_id_equal(const struct mxf_file_id *a, const struct mxf_file_id *b)
{
	return a->stat_errno == b->stat_errno && a->dev == b->dev && a->ino == b->ino &&
	       a->size == b->size && a->mtime.tv_sec == b->mtime.tv_sec &&
	       a->mtime.tv_nsec == b->mtime.tv_nsec && a->ctime.tv_sec == b->ctime.tv_sec &&
	       a->ctime.tv_nsec == b->ctime.tv_nsec;
}

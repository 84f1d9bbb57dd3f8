/* What a file looked like when it was read, to notice that it changed
 * (replaced, rewritten, touched, created or removed) with one stat(). */
#ifndef MXF_FILEID_H
#define MXF_FILEID_H

#include <stdbool.h>
#include <sys/stat.h>

struct mxf_file_id {
	int stat_errno; /* 0, or why stat() failed (ENOENT: no such file) */
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime, ctime;
};

void mxf_file_id_from_stat(const struct stat *st, struct mxf_file_id *id);
void mxf_file_id_from_errno(int stat_errno, struct mxf_file_id *id);
/* Stats PATH now. */
void mxf_file_id_of_path(const char *path, struct mxf_file_id *id);
bool mxf_file_id_equal(const struct mxf_file_id *a, const struct mxf_file_id *b);

#endif

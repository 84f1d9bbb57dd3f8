/* Stage lmhosts.  The file and every file it includes are parsed into one
 * table; afterwards a lookup costs a stat() of each file (to notice a
 * change) and a hash probe.  A new table is built aside and swapped in
 * under a write lock, so a reader never sees a half-built one. */
#include "lmhosts.h"

#include "fileid.h"
#include "lmhosts_parse.h"
#include "lmhosts_table.h"
#include "log.h"
#include "stage.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_INCLUDE_DEPTH 8
#define MAX_FILES 64
#define MAX_FILE_SIZE (64 * 1024 * 1024)

struct watched_file {
	char *path;
	struct mxf_file_id id;
};

struct snapshot {
	char *main_path;
	struct mxf_lm_table table;
	struct watched_file files[MAX_FILES];
	unsigned n_files;
};

static pthread_rwlock_t current_lock = PTHREAD_RWLOCK_INITIALIZER;
static struct snapshot *current; /* guarded by current_lock */

/* While building: the include stack, for loops and depth. */
struct build {
	struct snapshot *snap;
	bool debug;
	struct {
		dev_t dev;
		ino_t ino;
	} stack[MAX_INCLUDE_DEPTH];
	unsigned depth;
};

static bool unchanged(const struct watched_file *w)
{
	struct mxf_file_id now;

	mxf_file_id_of_path(w->path, &now);
	return mxf_file_id_equal(&now, &w->id);
}

static bool snapshot_current(const struct snapshot *s, const char *path)
{
	if (s == NULL || strcmp(s->main_path, path) != 0)
		return false;
	for (unsigned i = 0; i < s->n_files; i++)
		if (!unchanged(&s->files[i]))
			return false;
	return true;
}

static void snapshot_free(struct snapshot *s)
{
	if (s == NULL)
		return;
	for (unsigned i = 0; i < s->n_files; i++)
		free(s->files[i].path);
	free(s->main_path);
	mxf_lm_table_free(&s->table);
	free(s);
}

static struct watched_file *watch(struct build *b, const char *path)
{
	struct snapshot *s = b->snap;

	if (s->n_files == MAX_FILES)
		return NULL;
	struct watched_file *w = &s->files[s->n_files];
	w->path = strdup(path);
	if (w->path == NULL)
		return NULL;
	s->n_files++;
	return w;
}

static int load_file(struct build *b, const char *path);

/* An include names a local path; a relative one is taken from the
 * including file's directory.  UNC paths need Windows' redirector. */
static int load_include(struct build *b, const char *from, const char *path, unsigned line)
{
	char full[PATH_MAX], dir[PATH_MAX];

	if (path[0] == '\\' && path[1] == '\\') {
		mxf_log_debug(b->debug, "%s:%u: UNC #INCLUDE %s skipped", from, line, path);
		return -1;
	}
	if (path[0] == '/') {
		snprintf(full, sizeof(full), "%s", path);
	} else {
		snprintf(dir, sizeof(dir), "%s", from);
		if (snprintf(full, sizeof(full), "%s/%s", dirname(dir), path) >= (int)sizeof(full))
			return -1;
	}
	return load_file(b, full);
}

static void add_line(struct build *b, const char *path, unsigned file, unsigned line_no,
		     const char *text, size_t len, struct mxf_lm_line *line, bool *in_alternate,
		     bool *alternate_done)
{
	mxf_lm_parse_line(text, len, line);
	switch (line->kind) {
	case MXF_LM_ENTRY:
		if (mxf_lm_table_add(&b->snap->table, line, file, line_no) != 0)
			mxf_log_debug(b->debug, "%s:%u: out of memory", path, line_no);
		break;
	case MXF_LM_INCLUDE:
		if (*in_alternate && *alternate_done)
			break;
		if (load_include(b, path, line->path, line_no) == 0 && *in_alternate)
			*alternate_done = true;
		break;
	case MXF_LM_BEGIN_ALTERNATE:
		*in_alternate = true;
		*alternate_done = false;
		break;
	case MXF_LM_END_ALTERNATE:
		*in_alternate = false;
		break;
	case MXF_LM_BAD:
		mxf_log_debug(b->debug, "%s:%u: line skipped: %s", path, line_no, line->error);
		break;
	case MXF_LM_NOTHING:
		break;
	}
}

static void parse_text(struct build *b, const char *path, unsigned file, const char *text,
		       size_t len)
{
	struct mxf_lm_line *line = malloc(sizeof(*line));
	bool in_alternate = false, alternate_done = false;
	const char *p = text, *end = text + len;
	unsigned line_no = 0;

	if (line == NULL)
		return;
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3; /* a UTF-8 byte order mark, as Notepad writes it */
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl != NULL ? nl : end;
		add_line(b, path, file, ++line_no, p, (size_t)(eol - p), line, &in_alternate,
			 &alternate_done);
		p = nl != NULL ? nl + 1 : end;
	}
	free(line);
}

static bool on_stack(const struct build *b, const struct stat *st)
{
	for (unsigned i = 0; i < b->depth; i++)
		if (b->stack[i].dev == st->st_dev && b->stack[i].ino == st->st_ino)
			return true;
	return false;
}

static int read_text(int fd, size_t size, char **out)
{
	char *text = malloc(size + 1);
	size_t got = 0;

	if (text == NULL)
		return -1;
	while (got < size) {
		ssize_t n = read(fd, text + got, size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (got != size) {
		free(text);
		return -1;
	}
	*out = text;
	return 0;
}

/* Loads PATH into the table; 0 when it could be read. */
static int load_file(struct build *b, const char *path)
{
	struct watched_file *w = watch(b, path);
	struct stat st;
	char *text;
	int rc = -1;

	if (w == NULL || b->depth == MAX_INCLUDE_DEPTH) {
		mxf_log_debug(b->debug, "%s: includes too deep or too many; skipped", path);
		return -1;
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0 || fstat(fd, &st) != 0) {
		mxf_file_id_from_errno(errno, &w->id);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	mxf_file_id_from_stat(&st, &w->id);
	if (!S_ISREG(st.st_mode) || st.st_size > MAX_FILE_SIZE || on_stack(b, &st)) {
		mxf_log_debug(b->debug, "%s: not a regular file, over 64 MiB, or an include loop",
			      path);
	} else if (read_text(fd, (size_t)st.st_size, &text) == 0) {
		b->stack[b->depth].dev = st.st_dev;
		b->stack[b->depth++].ino = st.st_ino;
		parse_text(b, path, (unsigned)(w - b->snap->files), text, (size_t)st.st_size);
		b->depth--;
		free(text);
		rc = 0;
	}
	close(fd);
	return rc;
}

static struct snapshot *build_snapshot(const char *path, bool debug)
{
	struct snapshot *s = calloc(1, sizeof(*s));
	struct build b = { .snap = s, .debug = debug };

	if (s == NULL)
		return NULL;
	mxf_lm_table_init(&s->table);
	s->main_path = strdup(path);
	if (s->main_path == NULL) {
		snapshot_free(s);
		return NULL;
	}
	load_file(&b, path);
	if (mxf_lm_table_finish(&s->table) != 0) {
		snapshot_free(s);
		return NULL;
	}
	mxf_log_debug(debug, "%s: %u entries from %u files", path, s->table.n_entries, s->n_files);
	return s;
}

/* Makes the current snapshot match the files; false if none can be had. */
static bool refresh(const struct mxf_config *cfg)
{
	pthread_rwlock_rdlock(&current_lock);
	bool fresh = snapshot_current(current, cfg->lmhosts);
	pthread_rwlock_unlock(&current_lock);
	if (fresh)
		return true;
	struct snapshot *built = build_snapshot(cfg->lmhosts, cfg->debug);
	if (built == NULL)
		return false;
	pthread_rwlock_wrlock(&current_lock);
	struct snapshot *old = current;
	current = built;
	pthread_rwlock_unlock(&current_lock);
	snapshot_free(old);
	return true;
}

enum mxf_outcome mxf_stage_lmhosts(struct mxf_query *q, struct mxf_answer *ans)
{
	unsigned char key[MXF_LM_NAME_LEN];
	size_t len = strlen(q->name);
	unsigned found = 0;

	if (q->family == AF_INET6 || q->cfg->lmhosts[0] == '\0')
		return MXF_NO_NAME;
	if (len > 0 && q->name[len - 1] == '.')
		len--;
	if (mxf_lm_key(q->name, len, key) != 0 || !refresh(q->cfg))
		return MXF_NO_NAME;
	pthread_rwlock_rdlock(&current_lock);
	if (current != NULL) {
		found = mxf_lm_table_find_name(&current->table, key, ans);
		const struct mxf_lm_entry *e = mxf_lm_table_first(&current->table, key);
		if (e != NULL)
			mxf_trace(q->trace, "%s:%u: %s%s", current->files[e->file].path, e->line,
				  e->spelling, e->multihomed ? " #MH" : "");
	}
	pthread_rwlock_unlock(&current_lock);
	if (found == 0)
		return MXF_NO_NAME;
	mxf_answer_set_name(ans, q->name);
	mxf_answer_lower_ttl(ans, MXF_LMHOSTS_TTL);
	return MXF_FOUND;
}

bool mxf_lmhosts_reverse(const struct mxf_config *cfg, uint32_t addr, struct mxf_answer *ans)
{
	bool found = false;

	if (cfg->lmhosts[0] == '\0' || !refresh(cfg))
		return false;
	pthread_rwlock_rdlock(&current_lock);
	const struct mxf_lm_entry *e = current != NULL ? mxf_lm_table_find_addr(&current->table, addr)
						       : NULL;
	if (e != NULL) {
		mxf_answer_set_name(ans, e->spelling);
		mxf_answer_add_address(ans, AF_INET, &addr);
		mxf_answer_lower_ttl(ans, MXF_LMHOSTS_TTL);
		found = true;
	}
	pthread_rwlock_unlock(&current_lock);
	return found;
}

/* As config_file.c: at unload (only ever from __libc_freeres) the table
 * goes back, so leak checkers see none of ours. */
__attribute__((destructor)) static void free_current(void)
{
	if (current != NULL)
		snapshot_free(current);
	current = NULL;
}

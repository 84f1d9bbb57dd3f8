/* Stage lmhosts.  The file and every file it includes are parsed into one
 * table, a watched snapshot (snapshot.c); afterwards a lookup costs a stat()
 * of each file read (to notice a change) and a hash probe.
 *
 * Includes are read with an explicit stack of frames on the heap, not by
 * recursion: a lookup may run on a thread with a 64 KB stack.
 *
 * The rules, MS-NBTE 2.2.3.1 and 3.1.8.1:
 * - #INCLUDE reads the named file as if its lines stood there; a relative
 *   path is taken from the including file's directory; UNC paths need
 *   Windows' redirector and are skipped;
 * - within #BEGIN_ALTERNATE..#END_ALTERNATE only the first #INCLUDE that
 *   can be read is used;
 * - a circular #INCLUDE (a file that includes a file still being read)
 *   stops "any further processing of the file and of the query": what was
 *   read before it answers, nothing after it does, in any file;
 * - includes nest MXF_LM_MAX_INCLUDE_DEPTH deep; a deeper one is skipped
 *   (not read, so not watched either). */
#include "lmhosts.h"

#include "lmhosts_parse.h"
#include "lmhosts_table.h"
#include "log.h"
#include "snapshot.h"
#include "stage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FILE_SIZE (64 * 1024 * 1024)

/* A file being read. */
struct frame {
	unsigned file; /* index in snap->files */
	char *text;
	const char *p, *end;
	unsigned line_no;
	bool in_alternate, alternate_done;
};

/* One build, on the heap. */
struct build {
	struct mxf_snap *snap;
	struct mxf_lm_table *table;
	bool debug;
	bool stopped; /* a circular #INCLUDE was met */
	unsigned depth; /* frames in use */
	struct frame frames[MXF_LM_MAX_INCLUDE_DEPTH + 1];
	struct mxf_lm_line line;
	char full[PATH_MAX];
};

static struct mxf_snap_cache cache = MXF_SNAP_CACHE_INIT;

static const char *frame_path(const struct build *b, const struct frame *f)
{
	return b->snap->files[f->file].path;
}

static bool being_read(const struct build *b, const struct mxf_file_id *id)
{
	for (unsigned i = 0; i < b->depth; i++) {
		const struct mxf_file_id *open = &b->snap->files[b->frames[i].file].id;
		if (open->dev == id->dev && open->ino == id->ino)
			return true;
	}
	return false;
}

/* Starts reading PATH on top of the stack; 0 when it could be read. */
static int push(struct build *b, const char *path)
{
	char *text;
	size_t len;
	int err;

	if (b->depth == MXF_LM_MAX_INCLUDE_DEPTH + 1) {
		mxf_log_debug(b->debug, "%s: includes nest deeper than %d; skipped", path,
			      MXF_LM_MAX_INCLUDE_DEPTH);
		return -1;
	}
	enum mxf_snap_read_status rc = mxf_snap_read(b->snap, path, MAX_FILE_SIZE, &text, &len, &err);
	if (rc != MXF_SNAP_READ_OK) {
		if (rc != MXF_SNAP_READ_MISSING)
			mxf_log_debug(b->debug, "%s: not a readable regular file of at most 64 MiB",
				      path);
		return -1;
	}
	unsigned file = b->snap->n_files - 1;
	if (being_read(b, &b->snap->files[file].id)) {
		mxf_log_debug(b->debug, "%s: include loop; nothing after it is read", path);
		free(text);
		b->stopped = true;
		return -1;
	}
	struct frame *f = &b->frames[b->depth++];
	memset(f, 0, sizeof(*f));
	f->file = file;
	f->text = text;
	f->p = text;
	f->end = text + len;
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		f->p += 3; /* a UTF-8 byte order mark, as Notepad writes it */
	return 0;
}

static void pop(struct build *b)
{
	free(b->frames[--b->depth].text);
}

/* An #INCLUDE met in F (the top frame); may push a frame. */
static void include(struct build *b, struct frame *f, const char *path)
{
	const char *from = frame_path(b, f), *slash = strrchr(from, '/');
	int dir_len = slash != NULL ? (int)(slash - from) : -1;

	if (f->in_alternate && f->alternate_done)
		return;
	if (path[0] == '\\' && path[1] == '\\') {
		mxf_log_debug(b->debug, "%s:%u: UNC #INCLUDE %s skipped", from, f->line_no, path);
		return;
	}
	if (path[0] == '/' || dir_len < 0) {
		if (snprintf(b->full, sizeof(b->full), "%s", path) >= (int)sizeof(b->full))
			return;
	} else if (snprintf(b->full, sizeof(b->full), "%.*s/%s", dir_len, from, path) >=
		   (int)sizeof(b->full)) {
		return;
	}
	if (push(b, b->full) == 0 && f->in_alternate)
		f->alternate_done = true;
}

static void one_line(struct build *b, struct frame *f, const char *text, size_t len)
{
	struct mxf_lm_line *line = &b->line;

	mxf_lm_parse_line(text, len, line);
	switch (line->kind) {
	case MXF_LM_ENTRY:
		if (mxf_lm_table_add(b->table, line, f->file, f->line_no) != 0)
			mxf_log_debug(b->debug, "%s:%u: out of memory", frame_path(b, f), f->line_no);
		break;
	case MXF_LM_INCLUDE:
		include(b, f, line->path);
		break;
	case MXF_LM_BEGIN_ALTERNATE:
		f->in_alternate = true;
		f->alternate_done = false;
		break;
	case MXF_LM_END_ALTERNATE:
		f->in_alternate = false;
		break;
	case MXF_LM_BAD:
		mxf_log_debug(b->debug, "%s:%u: line skipped: %s", frame_path(b, f), f->line_no,
			      line->error);
		break;
	case MXF_LM_NOTHING:
		break;
	}
}

/* Reads lines from the top frame until every file is done or a loop stops
 * the reading. */
static void read_all(struct build *b)
{
	while (b->depth > 0 && !b->stopped) {
		struct frame *f = &b->frames[b->depth - 1];
		if (f->p == f->end) {
			pop(b);
			continue;
		}
		const char *nl = memchr(f->p, '\n', (size_t)(f->end - f->p));
		const char *eol = nl != NULL ? nl : f->end, *start = f->p;
		f->p = nl != NULL ? nl + 1 : f->end;
		f->line_no++;
		one_line(b, f, start, (size_t)(eol - start));
	}
	while (b->depth > 0)
		pop(b);
}

static void free_table(void *value)
{
	mxf_lm_table_free(value);
	free(value);
}

static int build_table(struct mxf_snap *snap, const char *path, void *arg)
{
	const struct mxf_config *cfg = arg;
	struct build *b = calloc(1, sizeof(*b));
	struct mxf_lm_table *table = malloc(sizeof(*table));
	int rc = -1;

	if (b == NULL || table == NULL)
		goto out;
	mxf_lm_table_init(table);
	b->snap = snap;
	b->table = table;
	b->debug = cfg->debug;
	push(b, path);
	read_all(b);
	if (mxf_lm_table_finish(table) != 0) {
		mxf_lm_table_free(table);
		goto out;
	}
	mxf_log_debug(b->debug, "%s: %u entries from %u files", path, table->n_entries,
		      snap->n_files);
	snap->value = table;
	snap->free_value = free_table;
	table = NULL;
	rc = 0;
out:
	free(table);
	free(b);
	return rc;
}

/* The table for CFG's file, held; NULL when out of memory. */
static struct mxf_snap *acquire(const struct mxf_config *cfg)
{
	return mxf_snap_acquire(&cache, cfg->lmhosts, build_table, (void *)cfg);
}

enum mxf_outcome mxf_stage_lmhosts(struct mxf_query *q, struct mxf_answer *ans)
{
	unsigned char key[MXF_LM_NAME_LEN];
	size_t len = strlen(q->name);
	struct mxf_snap *snap;

	if (q->family == AF_INET6 || q->cfg->lmhosts[0] == '\0')
		return MXF_NO_NAME;
	if (len > 0 && q->name[len - 1] == '.')
		len--;
	if (mxf_lm_key(q->name, len, key) != 0 || (snap = acquire(q->cfg)) == NULL)
		return MXF_NO_NAME;
	const struct mxf_lm_table *table = snap->value;
	unsigned found = mxf_lm_table_find_name(table, key, ans);
	const struct mxf_lm_entry *e = mxf_lm_table_first(table, key);
	if (e != NULL)
		mxf_trace(q->trace, "%s:%u: %s%s", snap->files[e->file].path, e->line, e->spelling,
			  e->multihomed ? " #MH" : "");
	mxf_snap_release(&cache, snap);
	if (found == 0)
		return MXF_NO_NAME;
	mxf_answer_set_name(ans, q->name);
	mxf_answer_lower_ttl(ans, MXF_LMHOSTS_TTL);
	return MXF_FOUND;
}

bool mxf_lmhosts_reverse(const struct mxf_config *cfg, uint32_t addr, struct mxf_answer *ans)
{
	struct mxf_snap *snap;
	bool found = false;

	if (cfg->lmhosts[0] == '\0' || (snap = acquire(cfg)) == NULL)
		return false;
	const struct mxf_lm_entry *e = mxf_lm_table_find_addr(snap->value, addr);
	if (e != NULL) {
		mxf_answer_set_name(ans, e->spelling);
		mxf_answer_add_address(ans, AF_INET, &addr);
		mxf_answer_lower_ttl(ans, MXF_LMHOSTS_TTL);
		found = true;
	}
	mxf_snap_release(&cache, snap);
	return found;
}

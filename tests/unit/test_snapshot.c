/* The watched-snapshot component (snapshot.c) on its own, without root:
 * a build only when a file changed, one build for many threads, the old
 * snapshot freed by its last holder and never while held. */
#include "snapshot.h"
#include "suites.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static struct mxf_snap_cache cache = MXF_SNAP_CACHE_INIT;
static char dir[64], path[128];
static atomic_int builds, frees;

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/mxf-snap.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/file", dir);
	builds = 0;
	frees = 0;
}

static void teardown(void)
{
	unlink(path);
	rmdir(dir);
}

static void write_text(const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

static void free_text(void *value)
{
	frees++;
	free(value);
}

/* The value: the file's text, or "(missing)". */
static int build(struct mxf_snap *snap, const char *key, void *arg)
{
	char *text = NULL;
	size_t len;
	int err;

	(void)arg;
	builds++;
	usleep(20000); /* a slow build: threads arriving meanwhile must wait */
	if (mxf_snap_read(snap, key, 1024, &text, &len, &err) != MXF_SNAP_READ_OK)
		text = strdup("(missing)");
	snap->value = text;
	snap->free_value = free_text;
	return text != NULL ? 0 : -1;
}

static const char *value_now(struct mxf_snap **held)
{
	*held = mxf_snap_acquire(&cache, path, build, NULL);
	ck_assert_ptr_nonnull(*held);
	return (*held)->value;
}

START_TEST(test_built_once_until_the_file_changes)
{
	struct mxf_snap *a, *b;

	write_text("one\n");
	ck_assert_str_eq(value_now(&a), "one\n");
	ck_assert_str_eq(value_now(&b), "one\n");
	ck_assert_ptr_eq(a, b);
	ck_assert_int_eq(builds, 1);
	mxf_snap_release(&cache, b);
	write_text("two, longer\n");
	ck_assert_str_eq(value_now(&b), "two, longer\n");
	ck_assert_int_eq(builds, 2);
	/* the old one is still held: not freed, still readable */
	ck_assert_int_eq(frees, 0);
	ck_assert_str_eq(a->value, "one\n");
	mxf_snap_release(&cache, a);
	ck_assert_int_eq(frees, 1);
	mxf_snap_release(&cache, b);
	ck_assert_int_eq(frees, 1); /* the cache keeps the current one */
}
END_TEST

START_TEST(test_a_missing_file_is_watched_until_it_appears)
{
	struct mxf_snap *s;

	ck_assert_str_eq(value_now(&s), "(missing)");
	mxf_snap_release(&cache, s);
	ck_assert_str_eq(value_now(&s), "(missing)");
	mxf_snap_release(&cache, s);
	ck_assert_int_eq(builds, 1);
	write_text("here\n");
	ck_assert_str_eq(value_now(&s), "here\n");
	mxf_snap_release(&cache, s);
	ck_assert_int_eq(builds, 2);
}
END_TEST

static void *acquire_once(void *arg)
{
	struct mxf_snap *s = mxf_snap_acquire(&cache, path, build, NULL);

	*(int *)arg = s != NULL && strcmp(s->value, "changed\n") == 0;
	mxf_snap_release(&cache, s);
	return NULL;
}

START_TEST(test_sixteen_threads_one_change_one_build)
{
	pthread_t t[16];
	int right[16], all = 0;
	struct mxf_snap *s;

	write_text("before\n");
	value_now(&s);
	mxf_snap_release(&cache, s);
	write_text("changed\n");
	for (int i = 0; i < 16; i++)
		pthread_create(&t[i], NULL, acquire_once, &right[i]);
	for (int i = 0; i < 16; i++) {
		pthread_join(t[i], NULL);
		all += right[i];
	}
	ck_assert_int_eq(all, 16);
	ck_assert_int_eq(builds, 2);
}
END_TEST

START_TEST(test_read_refuses_what_is_not_a_small_regular_file)
{
	struct mxf_snap *s = calloc(1, sizeof(*s));
	char *text;
	size_t len;
	int err;

	ck_assert_ptr_nonnull(s);
	write_text("0123456789\n");
	ck_assert_int_eq(mxf_snap_read(s, path, 10, &text, &len, &err), MXF_SNAP_READ_TOO_BIG);
	ck_assert_int_eq(mxf_snap_read(s, dir, 10, &text, &len, &err), MXF_SNAP_READ_NOT_REGULAR);
	ck_assert_int_eq(mxf_snap_read(s, "/nonexistent/x", 10, &text, &len, &err),
			 MXF_SNAP_READ_MISSING);
	ck_assert_int_eq(mxf_snap_read(s, path, 11, &text, &len, &err), MXF_SNAP_READ_OK);
	ck_assert_uint_eq(len, 11);
	ck_assert_str_eq(text, "0123456789\n");
	ck_assert_uint_eq(s->n_files, 4); /* each one watched */
	free(text);
	for (unsigned i = 0; i < s->n_files; i++)
		free(s->files[i].path);
	free(s);
}
END_TEST

Suite *snapshot_suite(void)
{
	Suite *s = suite_create("snapshot");
	TCase *tc = tcase_create("snapshot");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_built_once_until_the_file_changes);
	tcase_add_test(tc, test_a_missing_file_is_watched_until_it_appears);
	tcase_add_test(tc, test_sixteen_threads_one_change_one_build);
	tcase_add_test(tc, test_read_refuses_what_is_not_a_small_regular_file);
	suite_add_tcase(s, tc);
	return s;
}

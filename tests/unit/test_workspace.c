/* The per-thread workspace (workspace.c): one per thread, reused by the
 * thread's next lookup; a lookup nested in one in progress gets its own,
 * so neither overwrites the other's reply or answer. */
#include "suites.h"
#include "workspace.h"

#include <pthread.h>

START_TEST(test_a_thread_reuses_its_workspace)
{
	struct mxf_workspace *first = mxf_workspace_get(), *again;

	ck_assert_ptr_nonnull(first);
	ck_assert(first->per_thread);
	mxf_workspace_put(first);
	again = mxf_workspace_get();
	ck_assert_ptr_eq(again, first);
	mxf_workspace_put(again);
}
END_TEST

START_TEST(test_a_nested_lookup_gets_its_own_workspace)
{
	struct mxf_workspace *outer = mxf_workspace_get(), *inner;

	ck_assert_ptr_nonnull(outer);
	inner = mxf_workspace_get();
	ck_assert_ptr_nonnull(inner);
	ck_assert_ptr_ne(inner, outer);
	ck_assert(!inner->per_thread);
	ck_assert(!inner->kept.valid); /* nothing to replay in a fresh one */
	mxf_workspace_put(inner);
	mxf_workspace_put(outer);
	/* The thread's own is free again, and still the thread's. */
	inner = mxf_workspace_get();
	ck_assert_ptr_eq(inner, outer);
	mxf_workspace_put(inner);
}
END_TEST

static void *other_thread(void *arg)
{
	struct mxf_workspace *ws = mxf_workspace_get();

	(void)arg;
	mxf_workspace_put(ws);
	return ws;
}

START_TEST(test_threads_do_not_share_a_workspace)
{
	struct mxf_workspace *mine = mxf_workspace_get();
	pthread_t t;
	void *theirs = NULL;

	ck_assert_ptr_nonnull(mine);
	/* Mine stays busy: the other thread must not be handed it. */
	ck_assert_int_eq(pthread_create(&t, NULL, other_thread, NULL), 0);
	ck_assert_int_eq(pthread_join(t, &theirs), 0);
	ck_assert_ptr_nonnull(theirs);
	ck_assert_ptr_ne(theirs, mine);
	mxf_workspace_put(mine);
}
END_TEST

Suite *workspace_suite(void)
{
	Suite *s = suite_create("workspace");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_a_thread_reuses_its_workspace);
	tcase_add_test(tc, test_a_nested_lookup_gets_its_own_workspace);
	tcase_add_test(tc, test_threads_do_not_share_a_workspace);
	suite_add_tcase(s, tc);
	return s;
}

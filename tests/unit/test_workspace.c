/* The per-thread workspace (workspace.c): one per thread, reused by the
 * thread's next lookup; a lookup nested in one in progress gets its own,
 * so neither overwrites the other's reply or answer.  The unit test binary
 * is linked with --wrap=pthread_setspecific, so a test can raise a signal
 * whose handler looks a name up at the moment the thread's own is being
 * installed. */
#include "suites.h"
#include "workspace.h"

#include <pthread.h>
#include <signal.h>

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

int __real_pthread_setspecific(pthread_key_t key, const void *value);
int __wrap_pthread_setspecific(pthread_key_t key, const void *value);

static __thread bool signal_at_install, nested_ran, nested_was_the_threads;

/* A signal handler's lookup. */
static void nested_lookup(int sig)
{
	struct mxf_workspace *nested = mxf_workspace_get();

	(void)sig;
	nested_ran = nested != NULL;
	nested_was_the_threads = nested != NULL && nested->per_thread;
	mxf_workspace_put(nested);
}

/* A signal arrives just before the thread's first workspace is installed. */
int __wrap_pthread_setspecific(pthread_key_t key, const void *value)
{
	if (signal_at_install) {
		signal_at_install = false;
		raise(SIGUSR1);
	}
	return __real_pthread_setspecific(key, value);
}

static void *first_lookup_with_a_nested_one(void *arg)
{
	struct mxf_workspace *outer, *again;
	bool *ok = arg;

	signal_at_install = true;
	outer = mxf_workspace_get();
	/* The handler's lookup ran once the thread's own was installed and
	 * busy, so it had one of its own, freed after it: had it installed
	 * one, the outer lookup would have overwritten it (a leak). */
	*ok = outer != NULL && outer->per_thread && nested_ran && !nested_was_the_threads;
	mxf_workspace_put(outer);
	again = mxf_workspace_get();
	*ok = *ok && again == outer;
	mxf_workspace_put(again);
	return NULL;
}

START_TEST(test_a_lookup_nested_in_the_first_one_installs_nothing)
{
	struct sigaction sa = { .sa_handler = nested_lookup };
	pthread_t t;
	bool ok = false;

	ck_assert_int_eq(sigaction(SIGUSR1, &sa, NULL), 0);
	/* A new thread: it has no workspace yet. */
	ck_assert_int_eq(pthread_create(&t, NULL, first_lookup_with_a_nested_one, &ok), 0);
	ck_assert_int_eq(pthread_join(t, NULL), 0);
	ck_assert(ok);
}
END_TEST

Suite *workspace_suite(void)
{
	Suite *s = suite_create("workspace");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_a_thread_reuses_its_workspace);
	tcase_add_test(tc, test_a_nested_lookup_gets_its_own_workspace);
	tcase_add_test(tc, test_threads_do_not_share_a_workspace);
	tcase_add_test(tc, test_a_lookup_nested_in_the_first_one_installs_nothing);
	suite_add_tcase(s, tc);
	return s;
}

#include "forkguard.h"

#include <stdbool.h>

/* Guards are added by lookups while another thread may fork: REGISTRY
 * keeps the list whole; prepare takes it first, then every guarded mutex,
 * in the order they were added (no lookup holds two of them). */
static pthread_mutex_t registry = PTHREAD_MUTEX_INITIALIZER;
static struct {
	pthread_mutex_t *mutex;
	pthread_cond_t *cond;
} guards[MXF_FORK_GUARDS];
static unsigned n_guards;
static pthread_once_t handlers_once = PTHREAD_ONCE_INIT;
static bool handlers_ok;

static void prepare(void)
{
	pthread_mutex_lock(&registry);
	for (unsigned i = 0; i < n_guards; i++)
		pthread_mutex_lock(guards[i].mutex);
}

static void parent(void)
{
	for (unsigned i = n_guards; i-- > 0;)
		pthread_mutex_unlock(guards[i].mutex);
	pthread_mutex_unlock(&registry);
}

static void child(void)
{
	for (unsigned i = n_guards; i-- > 0;) {
		if (guards[i].cond != NULL)
			pthread_cond_init(guards[i].cond, NULL);
		pthread_mutex_unlock(guards[i].mutex);
	}
	pthread_mutex_unlock(&registry);
}

static void install(void)
{
	handlers_ok = pthread_atfork(prepare, parent, child) == 0;
}

void mxf_fork_guard(bool *guarded, pthread_mutex_t *mutex, pthread_cond_t *cond)
{
	if (__atomic_load_n(guarded, __ATOMIC_ACQUIRE))
		return;
	pthread_once(&handlers_once, install);
	/* Under the registry lock, which fork()'s prepare takes first: a fork
	 * sees MUTEX either guarded and listed, or neither. */
	pthread_mutex_lock(&registry);
	if (!*guarded) {
		if (handlers_ok && n_guards < MXF_FORK_GUARDS) {
			guards[n_guards].mutex = mutex;
			guards[n_guards].cond = cond;
			n_guards++;
		}
		__atomic_store_n(guarded, true, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&registry);
}

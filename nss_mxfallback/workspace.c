#include "workspace.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>

static pthread_key_t key;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;
static bool key_ok;

static void make_key(void)
{
	key_ok = pthread_key_create(&key, free) == 0;
}

static struct mxf_workspace *fresh(bool per_thread)
{
	/* Not calloc: it is large, and every field read is written first. */
	struct mxf_workspace *ws = malloc(sizeof(*ws));

	if (ws == NULL)
		return NULL;
	ws->busy = false;
	ws->per_thread = per_thread;
	ws->kept.valid = false;
	ws->query_open = false;
	return ws;
}

/* Takes WS for this lookup, unless a lookup it is nested in has it. */
static struct mxf_workspace *take(struct mxf_workspace *ws)
{
	if (ws == NULL || ws->busy)
		return NULL;
	ws->busy = true;
	return ws;
}

/* Makes, installs and takes the thread's own.  Signals are blocked
 * meanwhile: a handler's lookup between the check and the install would
 * install one of its own, which this one would then overwrite (a leak).
 * Once per thread. */
static struct mxf_workspace *install(void)
{
	struct mxf_workspace *ws;
	sigset_t all, old;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	ws = pthread_getspecific(key); /* a handler's, made before the block */
	if (ws == NULL) {
		ws = fresh(true);
		if (ws != NULL && pthread_setspecific(key, ws) != 0) {
			free(ws);
			ws = NULL;
		}
	}
	ws = take(ws);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return ws;
}

/* The thread's own, made on its first lookup; NULL when it is busy, or
 * there is no key or no memory. */
static struct mxf_workspace *thread_workspace(void)
{
	struct mxf_workspace *ws;

	pthread_once(&key_once, make_key);
	if (!key_ok)
		return NULL;
	ws = pthread_getspecific(key);
	return ws == NULL ? install() : take(ws);
}

struct mxf_workspace *mxf_workspace_get(void)
{
	struct mxf_workspace *ws = thread_workspace();

	if (ws == NULL && (ws = fresh(false)) != NULL)
		ws->busy = true;
	return ws;
}

void mxf_workspace_put(struct mxf_workspace *ws)
{
	if (ws == NULL)
		return;
	if (ws->per_thread)
		ws->busy = false;
	else
		free(ws);
}

#include "workspace.h"

#include <pthread.h>
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
	ws->busy = true;
	ws->per_thread = per_thread;
	ws->kept.valid = false;
	return ws;
}

/* The thread's own, made on its first lookup; NULL when there is no key
 * or no memory. */
static struct mxf_workspace *thread_workspace(void)
{
	struct mxf_workspace *ws;

	pthread_once(&key_once, make_key);
	if (!key_ok)
		return NULL;
	ws = pthread_getspecific(key);
	if (ws != NULL) {
		if (ws->busy)
			return NULL;
		ws->busy = true;
		return ws;
	}
	ws = fresh(true);
	if (ws != NULL && pthread_setspecific(key, ws) != 0) {
		free(ws);
		ws = NULL;
	}
	return ws;
}

struct mxf_workspace *mxf_workspace_get(void)
{
	struct mxf_workspace *ws = thread_workspace();

	return ws != NULL ? ws : fresh(false);
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

/* The memory one lookup works in (about 130 KB: a DNS reply of up to
 * NS_MAXMSG bytes, the indexes that read it, the query, the answer), kept
 * per thread and reused: a lookup allocates nothing once its thread has
 * one, and the heap is not grown and trimmed again (two brk calls) for
 * every name.  Freed by libc's own free() when the thread exits (the key's
 * destructor), so a thread's exit never calls into this module, which may
 * be unloaded by then; nothing in it outlives the lookup but the ERANGE
 * replay's answer (lookup.h). */
#ifndef MXF_WORKSPACE_H
#define MXF_WORKSPACE_H

#include "dns.h"
#include "lookup.h"
#include "stage.h"

#include <stdbool.h>
#include <time.h>

struct mxf_workspace {
	bool busy; /* a lookup of this thread works in it */
	bool per_thread; /* false: allocated for one lookup, freed after it */
	struct mxf_result result;
	/* RESULT is the answer of a call that ended in ERANGE, kept for the
	 * caller's retry (lookup.c). */
	struct {
		bool valid;
		int family;
		bool name_checked;
		unsigned long generation; /* of the config it was found with */
		struct timespec at; /* CLOCK_MONOTONIC */
		char name[NS_MAXDNAME];
	} kept;
	struct mxf_dns_room dns;
	struct mxf_mx_room mx;
	/* The lookup's query (lookup.c): here, not on the stack, so that a
	 * cancelled lookup's cleanup can close it; QUERY_OPEN while its
	 * stages run. */
	struct mxf_query query;
	bool query_open;
};

/* This thread's workspace, marked busy; or, when it is busy already (a
 * lookup called from inside one, as a signal handler might) or the
 * thread-specific key could not be made, a new one for this lookup alone.
 * NULL when out of memory. */
struct mxf_workspace *mxf_workspace_get(void);

/* Gives WS back when the lookup is done with it (NULL is ignored). */
void mxf_workspace_put(struct mxf_workspace *ws);

#endif

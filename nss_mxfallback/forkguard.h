/* Locks that survive fork().  A thread that holds one of the module's
 * mutexes when another thread forks does not exist in the child, so the
 * child's first lookup would wait for it for ever.  Each guarded mutex is
 * taken around every fork() (pthread_atfork, as glibc does for its own
 * locks) and given back in parent and child; a condition variable that
 * goes with it is made anew in the child, where nobody waits on it. */
#ifndef MXF_FORKGUARD_H
#define MXF_FORKGUARD_H

#include <pthread.h>
#include <stdbool.h>

/* Guards MUTEX (and COND, which may be NULL) from now on, once: *GUARDED
 * (false at first, read and set atomically here) says it is done, and is
 * set only once MUTEX is on the list, so no thread locks MUTEX unguarded
 * after a call returns.  Cheap once done: call it before every lock.
 * Both must live as long as the process.  At most MXF_FORK_GUARDS of them;
 * past that (or when pthread_atfork fails) the mutex is left as it was. */
#define MXF_FORK_GUARDS 8
void mxf_fork_guard(bool *guarded, pthread_mutex_t *mutex, pthread_cond_t *cond);

#endif

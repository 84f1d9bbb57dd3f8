/* fork() while other threads resolve: the child's first lookup must not
 * wait for a lock a thread of the parent held at the fork (that thread does
 * not exist in the child).
 *
 *   forkrace MODULE.so THREADS FORKS NAME
 *
 * THREADS threads look NAME up in a loop with the module's own
 * _nss_mxfallback_gethostbyname2_r (MODULE.so dlopen()ed: glibc's
 * gethostbyname2_r takes its resolver lock first, and glibc 2.36's child
 * can hang on that one, with any module); the main thread forks FORKS
 * times, and each child looks NAME up once, with 2 s to do it, then exits.
 * Prints "FORKS children, N hung, M failed"; exit status 0 when no child
 * hung or failed.
 */
#include <dlfcn.h>
#include <errno.h>
#include <netdb.h>
#include <nss.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

typedef enum nss_status (*fn2_t)(const char *, int, struct hostent *, char *, size_t, int *,
				 int *);

static fn2_t by_name;
static const char *name;
static atomic_bool stop;

static int lookup(void)
{
	struct hostent h;
	char buf[4096];
	int err, herr;

	return by_name(name, AF_INET, &h, buf, sizeof(buf), &err, &herr) == NSS_STATUS_SUCCESS ? 0
												: 1;
}

static void *resolver(void *arg)
{
	(void)arg;
	while (!atomic_load(&stop))
		lookup();
	return NULL;
}

int main(int argc, char **argv)
{
	int n_threads, forks, hung = 0, failed = 0;
	pthread_t t[64];

	void *module;

	if (argc != 5 || (module = dlopen(argv[1], RTLD_NOW)) == NULL)
		return 2;
	by_name = (fn2_t)dlsym(module, "_nss_mxfallback_gethostbyname2_r");
	n_threads = atoi(argv[2]);
	forks = atoi(argv[3]);
	name = argv[4];
	if (by_name == NULL || n_threads < 1 || n_threads > 64 || lookup() != 0)
		return 2;
	for (int i = 0; i < n_threads; i++)
		pthread_create(&t[i], NULL, resolver, NULL);
	for (int i = 0; i < forks; i++) {
		int status;
		pid_t pid = fork();
		if (pid == 0) {
			alarm(2);
			_exit(lookup());
		}
		if (pid < 0 || waitpid(pid, &status, 0) != pid)
			return 2;
		if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
			hung++;
		else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			failed++;
	}
	atomic_store(&stop, true);
	for (int i = 0; i < n_threads; i++)
		pthread_join(t[i], NULL);
	printf("%d children, %d hung, %d failed\n", forks, hung, failed);
	return hung + failed != 0;
}

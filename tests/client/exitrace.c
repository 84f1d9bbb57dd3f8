/* Threads resolving while the main thread calls exit(): glibc's _dl_fini
 * then runs the module's destructors while the threads are still inside it.
 *
 *   exitrace nss|dlopen MODULE.so THREADS DELAY_US NAME|ADDRESS...
 *
 * nss:    each thread calls gethostbyname2_r / gethostbyaddr_r through
 *         nsswitch.conf, as a program does;
 * dlopen: each thread calls the module's _nss_mxfallback_gethostbyname2_r /
 *         _gethostbyaddr_r directly (MODULE.so dlopen()ed).
 * An argument that is a dotted quad is looked up in reverse.  Thread i
 * starts at argument i and goes round them for ever; once every thread has
 * been round them once (the module's files are read), the main thread
 * sleeps DELAY_US microseconds more and calls exit(0).  Exit status 0 unless
 * something crashed (a signal, or the sanitizer's exit code).
 */
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <netdb.h>
#include <nss.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

typedef enum nss_status (*fn2_t)(const char *, int, struct hostent *, char *, size_t, int *,
				 int *);
typedef enum nss_status (*fna_t)(const void *, socklen_t, int, struct hostent *, char *, size_t,
				 int *, int *);

static fn2_t by_name;
static fna_t by_addr;
static char **names;
static int n_names;

static void lookup(const char *name, char *buf, size_t len)
{
	struct hostent h, *res;
	struct in_addr a;
	int err, herr;

	if (inet_pton(AF_INET, name, &a) == 1) {
		if (by_addr != NULL)
			by_addr(&a, sizeof(a), AF_INET, &h, buf, len, &err, &herr);
		else
			gethostbyaddr_r(&a, sizeof(a), AF_INET, &h, buf, len, &res, &herr);
	} else if (by_name != NULL) {
		by_name(name, AF_INET, &h, buf, len, &err, &herr);
	} else {
		gethostbyname2_r(name, AF_INET, &h, buf, len, &res, &herr);
	}
}

/* _dl_fini finalises the module (loaded after this program) before this
 * program: a program whose own destructors take a while, as many do,
 * leaves its threads running in the module after the module's destructors
 * ran.  20 ms of that makes a use after free there show as a crash. */
__attribute__((destructor)) static void linger(void)
{
	usleep(20000);
}

static atomic_int warm; /* threads that went once round the names */

static void *worker(void *arg)
{
	char *buf = malloc(8192);

	for (long i = (long)arg;; i++) {
		lookup(names[i % n_names], buf, 8192);
		if (i == (long)arg + n_names - 1)
			warm++;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 6)
		return 2;
	if (strcmp(argv[1], "dlopen") == 0) {
		void *mod = dlopen(argv[2], RTLD_NOW);
		if (mod == NULL)
			return 2;
		by_name = (fn2_t)dlsym(mod, "_nss_mxfallback_gethostbyname2_r");
		by_addr = (fna_t)dlsym(mod, "_nss_mxfallback_gethostbyaddr_r");
		if (by_name == NULL || by_addr == NULL)
			return 2;
	}
	int threads = atoi(argv[3]);
	long delay = atol(argv[4]);
	names = argv + 5;
	n_names = argc - 5;
	for (long i = 0; i < threads; i++) {
		pthread_t t;
		if (pthread_create(&t, NULL, worker, (void *)i) != 0)
			return 2;
	}
	while (warm < threads)
		usleep(100);
	usleep((useconds_t)delay);
	exit(0);
}

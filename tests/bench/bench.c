/* The benchmark's driver: does host lookups through glibc's NSS (whatever
 * /etc/nsswitch.conf names), so the module and glibc's own modules are
 * measured doing the same calls in the same way.
 *
 *   bench lookups NAME COUNT        gethostbyname2_r(AF_INET) COUNT times
 *   bench gai NAME COUNT            getaddrinfo(AF_UNSPEC) COUNT times
 *   bench rate NAME THREADS MS      lookups per second over MS ms
 *   bench rss NAME COUNT            peak RSS (KiB) after COUNT lookups
 *   bench grow NAME BUFLEN          gethostbyname2_r from BUFLEN, doubling on
 *                                   ERANGE as glibc's gethostbyname2 does;
 *                                   prints the number of calls
 *
 * Exit status 1 when any lookup fails: a benchmark of failures is no
 * benchmark.
 */
#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>

static const char *name;
static long rate_ms;
static _Atomic long total;
static _Atomic int failed;

static int lookup_once(void)
{
	struct hostent h, *res = NULL;
	char buf[4096];
	int err = 0;

	return gethostbyname2_r(name, AF_INET, &h, buf, sizeof(buf), &res, &err) == 0 && res != NULL
		       ? 0
		       : -1;
}

static int grow_calls(long buflen)
{
	struct hostent h, *res = NULL;
	int err = 0, calls = 0, rc;

	do {
		char *buf = malloc((size_t)buflen);
		rc = gethostbyname2_r(name, AF_INET, &h, buf, (size_t)buflen, &res, &err);
		free(buf);
		calls++;
		buflen *= 2;
	} while (rc == ERANGE && buflen < (1L << 24));
	return rc == 0 && res != NULL ? calls : -1;
}

static int gai_once(void)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM }, *res;

	if (getaddrinfo(name, NULL, &hints, &res) != 0)
		return -1;
	freeaddrinfo(res);
	return 0;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void *rate_thread(void *arg)
{
	long end = now_ms() + rate_ms, n = 0;

	(void)arg;
	while (now_ms() < end) {
		if (lookup_once() != 0)
			failed = 1;
		n++;
	}
	total += n;
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc != 4 && argc != 5)
		return 2;
	const char *mode = argv[1];
	name = argv[2];
	long count = atol(argv[3]);
	if (strcmp(mode, "lookups") == 0 || strcmp(mode, "rss") == 0) {
		for (long i = 0; i < count; i++)
			if (lookup_once() != 0)
				return 1;
		if (strcmp(mode, "rss") == 0) {
			struct rusage ru;
			getrusage(RUSAGE_SELF, &ru);
			printf("%ld\n", ru.ru_maxrss);
		}
		return 0;
	}
	if (strcmp(mode, "grow") == 0) {
		int calls = grow_calls(count);
		printf("%d\n", calls);
		return calls < 0;
	}
	if (strcmp(mode, "gai") == 0) {
		for (long i = 0; i < count; i++)
			if (gai_once() != 0)
				return 1;
		return 0;
	}
	if (strcmp(mode, "rate") == 0 && argc == 5) {
		int threads = (int)count;
		pthread_t t[64];
		rate_ms = atol(argv[4]);
		for (int i = 0; i < threads && i < 64; i++)
			pthread_create(&t[i], NULL, rate_thread, NULL);
		for (int i = 0; i < threads && i < 64; i++)
			pthread_join(t[i], NULL);
		printf("%ld\n", total * 1000 / rate_ms);
		return failed;
	}
	return 2;
}

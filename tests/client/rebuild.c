/* One change of a watched file, noticed by many threads at once.
 *
 *   rebuild FILE THREADS NAME ADDRESS
 *
 * Looks NAME up 20 times through nsswitch.conf (the module reads its files
 * once), appends a comment line to FILE (a change), then starts THREADS
 * threads that wait at a barrier and look NAME up together.  Every answer
 * must be ADDRESS.  Prints "N lookups, M wrong"; exits 1 if M > 0.  Run it
 * under strace -f -e trace=openat to count how often each file was read.
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define MAX_THREADS 64

static const char *name, *want;
static pthread_barrier_t start;
static atomic_int done, wrong;

static void lookup_once(void)
{
	char buf[4096], text[INET_ADDRSTRLEN] = "";
	struct hostent h, *res = NULL;
	int herr;

	if (gethostbyname2_r(name, AF_INET, &h, buf, sizeof(buf), &res, &herr) == 0 && res != NULL)
		inet_ntop(AF_INET, res->h_addr_list[0], text, sizeof(text));
	if (strcmp(text, want) != 0) {
		fprintf(stderr, "%s: got '%s', want %s\n", name, text, want);
		wrong++;
	}
	done++;
}

static void *worker(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&start);
	lookup_once();
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t[MAX_THREADS];
	FILE *f;

	if (argc != 5)
		return 2;
	int threads = atoi(argv[2]);
	name = argv[3];
	want = argv[4];
	if (threads < 1 || threads > MAX_THREADS)
		return 2;
	for (int i = 0; i < 20; i++)
		lookup_once();
	if ((f = fopen(argv[1], "a")) == NULL || fputs("# changed\n", f) < 0 || fclose(f) != 0)
		return 2;
	pthread_barrier_init(&start, NULL, (unsigned)threads);
	for (int i = 0; i < threads; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	for (int i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
	printf("%d lookups, %d wrong\n", (int)done, (int)wrong);
	return wrong != 0;
}

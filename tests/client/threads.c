/* Many threads resolving through NSS at once, every answer checked.
 *
 *   threads [-f] THREADS LOOKUPS NAME=ADDRESS[|ADDRESS...]...
 *
 * Each thread does LOOKUPS gethostbyname2_r(AF_INET) calls, cycling through
 * the names from a different start, and checks the first address against
 * the ones allowed.  Prints "N lookups, M wrong" and exits 1 if M > 0.
 * With -f (faults are being injected) a lookup may also fail: "N lookups,
 * M wrong, F failed"; only a wrong address counts against it.
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define MAX_NAMES 64

static int n_names, lookups;
static char names[MAX_NAMES][256];
static char expected[MAX_NAMES][256];
static atomic_long done, wrong, failed;
static int failures_allowed;

/* Whether TEXT is one of the '|'-separated addresses in ALLOWED. */
static int allowed(const char *allowed_list, const char *text)
{
	size_t len = strlen(text);

	for (const char *p = allowed_list; *p != '\0';) {
		const char *bar = strchr(p, '|');
		size_t n = bar != NULL ? (size_t)(bar - p) : strlen(p);
		if (n == len && strncmp(p, text, n) == 0)
			return 1;
		p += n + (bar != NULL);
	}
	return 0;
}

static void *worker(void *arg)
{
	long id = (long)arg;
	char buf[8192], text[INET_ADDRSTRLEN];

	for (int i = 0; i < lookups; i++) {
		int k = (int)((id + i) % n_names), err = 0;
		struct hostent h, *res = NULL;
		text[0] = '\0';
		if (gethostbyname2_r(names[k], AF_INET, &h, buf, sizeof(buf), &res, &err) == 0 &&
		    res != NULL)
			inet_ntop(AF_INET, res->h_addr_list[0], text, sizeof(text));
		if (text[0] == '\0' && failures_allowed) {
			failed++;
		} else if (!allowed(expected[k], text)) {
			fprintf(stderr, "%s: got '%s', want %s\n", names[k], text, expected[k]);
			wrong++;
		}
		done++;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t[256];

	if (argc > 1 && strcmp(argv[1], "-f") == 0) {
		failures_allowed = 1;
		argv++;
		argc--;
	}
	if (argc < 4)
		return 2;
	int threads = atoi(argv[1]);
	lookups = atoi(argv[2]);
	for (int i = 3; i < argc && n_names < MAX_NAMES; i++) {
		char *eq = strchr(argv[i], '=');
		if (eq == NULL || (size_t)(eq - argv[i]) >= sizeof(names[0]))
			return 2;
		snprintf(names[n_names], sizeof(names[0]), "%.*s", (int)(eq - argv[i]), argv[i]);
		snprintf(expected[n_names++], sizeof(expected[0]), "%s", eq + 1);
	}
	if (threads < 1 || threads > 256 || n_names == 0)
		return 2;
	for (long i = 0; i < threads; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	for (int i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
	if (failures_allowed)
		printf("%ld lookups, %ld wrong, %ld failed\n", (long)done, (long)wrong, (long)failed);
	else
		printf("%ld lookups, %ld wrong\n", (long)done, (long)wrong);
	return wrong != 0;
}

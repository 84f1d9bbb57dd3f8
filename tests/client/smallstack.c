/* Resolves each NAME on a thread whose stack is 64 KB, and says how much of
 * it the lookup used.
 *
 *   smallstack MODULE.so NAME=ADDRESS...
 *
 * For each NAME, two threads with a 64 KB stack each:
 *  - one calls the module's _nss_mxfallback_gethostbyname4_r directly (the
 *    module and the libc/libresolv calls it makes) on a stack of our own,
 *    filled with a pattern first: the bytes no longer holding it after the
 *    call are the deepest the lookup went (less what an idle thread's
 *    TLS and start-up take);
 *  - one calls getaddrinfo() through nsswitch.conf, as a program would
 *    (pthread_attr_setstacksize), and must simply survive it.
 * Prints "NAME module=ADDRESS stack=BYTES gai=ADDRESS" per name; exits 1 when
 * an address differs from the one given, 2 on a usage error.  A stack
 * overflow kills the process (SIGSEGV on the guard page).
 */
#include <arpa/inet.h>
#include <dlfcn.h>
#include <netdb.h>
#include <nss.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>

#define STACK_SIZE (64 * 1024)
#define PATTERN 0x5a

typedef enum nss_status (*fn4_t)(const char *, struct gaih_addrtuple **, char *, size_t, int *,
				 int *, int32_t *);

struct job {
	fn4_t fn4;
	const char *name;
	char addr[INET6_ADDRSTRLEN];
};

static void *via_module(void *arg)
{
	struct job *j = arg;
	char *buf = malloc(16384); /* the caller's buffer is not the lookup's stack */
	struct gaih_addrtuple *pat = NULL;
	int err = 0, herr = 0;
	int32_t ttl = 0;

	if (buf != NULL && j->fn4(j->name, &pat, buf, 16384, &err, &herr, &ttl) == NSS_STATUS_SUCCESS &&
	    pat != NULL)
		inet_ntop(pat->family, pat->addr, j->addr, sizeof(j->addr));
	free(buf);
	return NULL;
}

static void *nothing(void *arg)
{
	return arg;
}

static void *via_nss(void *arg)
{
	struct job *j = arg;
	struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM }, *res = NULL;

	if (getaddrinfo(j->name, NULL, &hints, &res) == 0) {
		inet_ntop(AF_INET, &((struct sockaddr_in *)(void *)res->ai_addr)->sin_addr, j->addr,
			  sizeof(j->addr));
		freeaddrinfo(res);
	}
	return NULL;
}

/* Runs FN on a painted 64 KB stack with a guard page below it; returns the
 * bytes of it used (glibc puts the thread's TLS there too: main subtracts
 * what a thread that does nothing uses). */
static size_t on_painted_stack(void *(*fn)(void *), struct job *j)
{
	size_t page = 4096, size = STACK_SIZE + page;
	unsigned char *mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
				  -1, 0);
	pthread_attr_t attr;
	pthread_t t;
	size_t untouched = 0;

	if (mem == MAP_FAILED)
		exit(2);
	mprotect(mem, page, PROT_NONE); /* an overflow faults instead of going unseen */
	memset(mem + page, PATTERN, STACK_SIZE);
	pthread_attr_init(&attr);
	pthread_attr_setstack(&attr, mem + page, STACK_SIZE);
	if (pthread_create(&t, &attr, fn, j) != 0)
		exit(2);
	pthread_join(t, NULL);
	while (untouched < STACK_SIZE && mem[page + untouched] == PATTERN)
		untouched++;
	munmap(mem, size);
	return STACK_SIZE - untouched;
}

static void on_small_stack(void *(*fn)(void *), struct job *j)
{
	pthread_attr_t attr;
	pthread_t t;

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, STACK_SIZE);
	if (pthread_create(&t, &attr, fn, j) != 0)
		exit(2);
	pthread_join(t, NULL);
}

int main(int argc, char **argv)
{
	void *mod;
	int wrong = 0;
	struct job idle = { NULL, NULL, "" };

	if (argc < 3 || (mod = dlopen(argv[1], RTLD_NOW)) == NULL)
		return 2;
	fn4_t fn4 = (fn4_t)dlsym(mod, "_nss_mxfallback_gethostbyname4_r");
	if (fn4 == NULL)
		return 2;
	size_t baseline = on_painted_stack(nothing, &idle);
	for (int i = 2; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		if (eq == NULL)
			return 2;
		*eq = '\0';
		struct job direct = { fn4, argv[i], "" }, nss = { fn4, argv[i], "" };
		size_t used = on_painted_stack(via_module, &direct) - baseline;
		on_small_stack(via_nss, &nss);
		printf("%s module=%s stack=%zu gai=%s\n", argv[i], direct.addr, used, nss.addr);
		wrong += strcmp(direct.addr, eq + 1) != 0 || strcmp(nss.addr, eq + 1) != 0;
	}
	return wrong != 0;
}

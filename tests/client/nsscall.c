/* Test client: calls one entry point of an NSS hosts module it dlopens (as
 * systemd's test-nss-hosts does), or getaddrinfo/gethostbyname2 through
 * nsswitch.conf, and prints one line the integration tests compare.
 *
 *   nsscall MODULE.so 4 NAME [BUFLEN]          gethostbyname4_r
 *   nsscall MODULE.so 3|2 NAME inet|inet6 [BUFLEN]
 *   nsscall MODULE.so 1 NAME [BUFLEN]          gethostbyname_r
 *   nsscall MODULE.so grow4 NAME BUFLEN        4_r, doubling BUFLEN on ERANGE
 *   nsscall MODULE.so late4 NAME BUFLEN MS     4_r with BUFLEN (ERANGE), then after MS
 *                                              ms with 64 KB: a retry that comes late
 *   nsscall MODULE.so timed4 NAME COUNT        4_r COUNT times in this process,
 *                                              each line ending in ms=<duration>
 *   nsscall MODULE.so again4 NAME              4_r, then again once a line comes
 *                                              on stdin: one process, two lookups
 *                                              (resolv.conf changed in between)
 *   nsscall MODULE.so emfile 3 NAME inet|inet6 one call to warm up, then with every
 *                                              descriptor taken (RLIMIT_NOFILE
 *                                              lowered, filled with /dev/null),
 *                                              then with them freed again: three
 *                                              lines, the middle one ending in the
 *                                              thread's errno=
 *   nsscall gai NAME unspec|inet|inet6         getaddrinfo(AI_CANONNAME)
 *   nsscall ghbn NAME inet|inet6               gethostbyname2
 *   nsscall resources NAME COUNT               COUNT gethostbyname2 lookups; prints
 *                                              open fds and heap in use before
 *                                              (after one lookup) and after
 *   nsscall execfds NAME...                    looks each NAME up, then execs
 *                                              ls /proc/self/fd: the fds a child
 *                                              inherits
 *   nsscall mxsearch NAME                      glibc's res_search(NAME, IN, MX), as
 *                                              Postfix's MX lookup: "mx=FOUND
 *                                              qname=<the name it reached>" or
 *                                              "mx=<h_errno>"
 *   nsscall mxquery NAME                       the same with res_query: NAME as
 *                                              written, no search list
 *   nsscall searchlist                         "search=<the first name of
 *                                              resolv.conf's search list>" or
 *                                              "search=none", as res_init reads it
 *
 * With NSSCALL_PREFIX=_nss_dns_ and MODULE libc.so.6 the same calls go to
 * glibc's own dns module (exported from libc since 2.34), for comparison.
 * With NSSCALL_NO_SERVERS set, the program empties its own resolver
 * state's server list first (res_init, then _res.nscount = 0), as some
 * programs do: res_send then fails with ESRCH.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <netdb.h>
#include <nss.h>
#include <resolv.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

typedef enum nss_status (*fn4_t)(const char *, struct gaih_addrtuple **, char *, size_t, int *,
				 int *, int32_t *);
typedef enum nss_status (*fn3_t)(const char *, int, struct hostent *, char *, size_t, int *, int *,
				 int32_t *, char **);
typedef enum nss_status (*fn2_t)(const char *, int, struct hostent *, char *, size_t, int *,
				 int *);
/* The entry point FN ("gethostbyname4_r") of the module under test. */
static void *entry(void *mod, const char *fn)
{
	const char *prefix = getenv("NSSCALL_PREFIX");
	char symbol[128];

	snprintf(symbol, sizeof(symbol), "%s%s", prefix != NULL ? prefix : "_nss_mxfallback_", fn);
	return dlsym(mod, symbol);
}

typedef enum nss_status (*fn1_t)(const char *, struct hostent *, char *, size_t, int *, int *);

static const char *status_name(enum nss_status s)
{
	switch (s) {
	case NSS_STATUS_SUCCESS: return "SUCCESS";
	case NSS_STATUS_NOTFOUND: return "NOTFOUND";
	case NSS_STATUS_TRYAGAIN: return "TRYAGAIN";
	case NSS_STATUS_UNAVAIL: return "UNAVAIL";
	default: return "OTHER";
	}
}

static const char *herrno_name(int h)
{
	switch (h) {
	case NETDB_SUCCESS: return "0";
	case NETDB_INTERNAL: return "NETDB_INTERNAL";
	case HOST_NOT_FOUND: return "HOST_NOT_FOUND";
	case TRY_AGAIN: return "TRY_AGAIN";
	case NO_RECOVERY: return "NO_RECOVERY";
	case NO_DATA: return "NO_DATA";
	default: return "OTHER";
	}
}

static const char *errno_name(int e)
{
	switch (e) {
	case 0: return "0";
	case ERANGE: return "ERANGE";
	case EAGAIN: return "EAGAIN";
	case ENOENT: return "ENOENT";
	case EAFNOSUPPORT: return "EAFNOSUPPORT";
	case ENOMEM: return "ENOMEM";
	case EMFILE: return "EMFILE";
	case ENFILE: return "ENFILE";
	default: return "OTHER";
	}
}

static int family_of(const char *s)
{
	if (strcmp(s, "inet") == 0)
		return AF_INET;
	if (strcmp(s, "inet6") == 0)
		return AF_INET6;
	return AF_UNSPEC;
}

static void print_addr(int family, const void *bytes, const char *sep)
{
	char text[INET6_ADDRSTRLEN];

	inet_ntop(family, bytes, text, sizeof(text));
	printf("%s%s", sep, text);
}

static void print_hostent(const struct hostent *h)
{
	printf(" name=%s aliases=", h->h_name);
	for (char **a = h->h_aliases; *a != NULL; a++)
		printf("%s%s", a == h->h_aliases ? "" : ",", *a);
	printf(" addrs=");
	for (char **a = h->h_addr_list; *a != NULL; a++)
		print_addr(h->h_addrtype, *a, a == h->h_addr_list ? "" : ",");
}

static void print_tuples(const struct gaih_addrtuple *t)
{
	printf(" name=%s addrs=", t->name != NULL ? t->name : "(null)");
	for (const struct gaih_addrtuple *p = t; p != NULL; p = p->next)
		print_addr(p->family, p->addr, p == t ? "" : ",");
}

static void print_status(enum nss_status s, int err, int herr)
{
	printf("status=%s errno=%s herrno=%s", status_name(s), errno_name(err), herrno_name(herr));
}

static int call4(void *mod, const char *name, size_t buflen, int grow)
{
	fn4_t fn = (fn4_t)entry(mod, "gethostbyname4_r");
	int err, herr, calls = 0;
	int32_t ttl = INT32_MAX;
	enum nss_status s;
	struct gaih_addrtuple *pat;
	char *buf;

	if (fn == NULL)
		return 2;
	do {
		buf = malloc(buflen);
		pat = NULL;
		err = herr = 0;
		s = fn(name, &pat, buf, buflen, &err, &herr, &ttl);
		calls++;
		if (!(grow && s == NSS_STATUS_TRYAGAIN && err == ERANGE))
			break;
		free(buf);
		buflen *= 2;
	} while (buflen < 1 << 24);
	print_status(s, err, herr);
	if (s == NSS_STATUS_SUCCESS) {
		printf(" ttl=%d", (int)ttl);
		print_tuples(pat);
	}
	if (grow)
		printf(" calls=%d", calls);
	printf("\n");
	free(buf);
	return 0;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int call4_timed(void *mod, const char *name, int count)
{
	for (int i = 0; i < count; i++) {
		long t0 = now_ms();
		call4(mod, name, 4096, 0);
		fflush(stdout);
		printf("ms=%ld\n", now_ms() - t0);
	}
	return 0;
}

static int call4_again(void *mod, const char *name)
{
	char line[16];

	call4(mod, name, 4096, 0);
	fflush(stdout);
	if (fgets(line, sizeof(line), stdin) == NULL)
		return 1;
	call4(mod, name, 4096, 0);
	return 0;
}

static int call_hostent(void *mod, int which, const char *name, int af, size_t buflen)
{
	struct hostent h;
	int err = 0, herr = 0;
	int32_t ttl = INT32_MAX;
	char *canon = NULL, *buf = malloc(buflen);
	enum nss_status s;

	if (which == 3) {
		fn3_t fn = (fn3_t)entry(mod, "gethostbyname3_r");
		s = fn(name, af, &h, buf, buflen, &err, &herr, &ttl, &canon);
	} else if (which == 2) {
		fn2_t fn = (fn2_t)entry(mod, "gethostbyname2_r");
		s = fn(name, af, &h, buf, buflen, &err, &herr);
	} else {
		fn1_t fn = (fn1_t)entry(mod, "gethostbyname_r");
		s = fn(name, &h, buf, buflen, &err, &herr);
	}
	print_status(s, err, herr);
	if (s == NSS_STATUS_SUCCESS) {
		if (which == 3)
			printf(" ttl=%d canon=%s", (int)ttl, canon);
		print_hostent(&h);
	}
	printf("\n");
	free(buf);
	return 0;
}

/* gethostbyname3_r, printing the thread's errno after the call too (the
 * call's own line is printed only once the descriptors are back, as stdio
 * may need one). */
static void call_hostent_errno(void *mod, const char *name, int af)
{
	struct hostent h;
	int err = 0, herr = 0, thread_errno;
	int32_t ttl = INT32_MAX;
	char *canon = NULL, *buf = malloc(4096);
	fn3_t fn = (fn3_t)entry(mod, "gethostbyname3_r");
	enum nss_status s = fn(name, af, &h, buf, 4096, &err, &herr, &ttl, &canon);

	thread_errno = errno;
	print_status(s, err, herr);
	printf(" thread_errno=%s\n", errno_name(thread_errno));
	free(buf);
}

static int call_gai(const char *name, int family)
{
	struct addrinfo hints = { .ai_family = family, .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_CANONNAME };
	struct addrinfo *res, *p;
	int rc = getaddrinfo(name, NULL, &hints, &res);

	if (rc != 0) {
		printf("gai=%s\n", rc == EAI_AGAIN ? "EAI_AGAIN" : rc == EAI_NONAME ? "EAI_NONAME"
				 : rc == EAI_NODATA ? "EAI_NODATA" : rc == EAI_FAIL ? "EAI_FAIL"
				 : rc == EAI_SYSTEM ? "EAI_SYSTEM" : "OTHER");
		return 0;
	}
	printf("gai=0 canon=%s addrs=", res->ai_canonname ? res->ai_canonname : "(null)");
	for (p = res; p != NULL; p = p->ai_next) {
		const void *a = p->ai_family == AF_INET
					? (const void *)&((struct sockaddr_in *)(void *)p->ai_addr)->sin_addr
					: (const void *)&((struct sockaddr_in6 *)(void *)p->ai_addr)->sin6_addr;
		print_addr(p->ai_family, a, p == res ? "" : ",");
	}
	printf("\n");
	freeaddrinfo(res);
	return 0;
}

static int call_ghbn(const char *name, int family)
{
	struct hostent *h = gethostbyname2(name, family);

	if (h == NULL) {
		printf("h_errno=%s\n", herrno_name(h_errno));
		return 0;
	}
	printf("h_errno=0");
	print_hostent(h);
	printf("\n");
	return 0;
}

static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	if (d == NULL)
		return -1;
	while (readdir(d) != NULL)
		n++;
	closedir(d);
	return n - 3; /* ".", ".." and the directory's own fd */
}

static int resources(const char *name, long count)
{
	struct mallinfo2 before, after;
	int fds_before, fds_after;

	/* Warm up: the module loads, and the first lookups fill one-time caches
	 * (glibc's resolver keeps 48 bytes after its second failed search). */
	for (int i = 0; i < 3; i++)
		gethostbyname2(name, AF_INET);
	fds_before = open_fds();
	before = mallinfo2();
	for (long i = 0; i < count; i++)
		if (gethostbyname2(name, AF_INET) == NULL)
			return 1;
	fds_after = open_fds();
	after = mallinfo2();
	printf("fds %d %d heap %zu %zu\n", fds_before, fds_after, before.uordblks, after.uordblks);
	return 0;
}

static int exec_fds(int n, char **names)
{
	for (int i = 0; i < n; i++)
		gethostbyname2(names[i], AF_INET);
	fflush(stdout);
	execl("/bin/ls", "ls", "/proc/self/fd", (char *)NULL);
	return 1;
}

/* Takes every descriptor left under a lowered RLIMIT_NOFILE; returns the
 * first one taken, or -1. */
static int take_all_fds(void)
{
	struct rlimit rl = { .rlim_cur = 64, .rlim_max = 64 };
	int first = -1, fd;

	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = 64;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
		return -1;
	while ((fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0)
		if (first < 0)
			first = fd;
	return errno == EMFILE ? first : -1;
}

static int call_emfile(void *mod, const char *name, int af)
{
	int first;

	call_hostent(mod, 3, name, af, 4096);
	fflush(stdout);
	first = take_all_fds();
	if (first < 0)
		return 2;
	errno = 0;
	call_hostent_errno(mod, name, af);
	for (int fd = first; fd < 64; fd++)
		close(fd);
	call_hostent(mod, 3, name, af, 4096);
	return 0;
}

/* The oracle of the mx stage's MX walk: libc's own search (or, with
 * SEARCH false, libc's query of the name as written), nothing of ours. */
static int call_mxsearch(const char *name, bool search)
{
	unsigned char buf[NS_MAXMSG];
	char qname[NS_MAXDNAME];
	int len = search ? res_search(name, ns_c_in, ns_t_mx, buf, sizeof(buf))
			 : res_query(name, ns_c_in, ns_t_mx, buf, sizeof(buf));

	if (len < 0) {
		printf("mx=%s\n", herrno_name(h_errno));
		return 0;
	}
	if (len < HFIXEDSZ ||
	    dn_expand(buf, buf + len, buf + HFIXEDSZ, qname, sizeof(qname)) < 0)
		snprintf(qname, sizeof(qname), "?");
	printf("mx=FOUND qname=%s\n", qname);
	return 0;
}

int main(int argc, char **argv)
{
	if (getenv("NSSCALL_NO_SERVERS") != NULL) {
		if (res_init() != 0)
			return 1;
		_res.nscount = 0;
	}
	if (argc >= 3 && strcmp(argv[1], "mxsearch") == 0)
		return call_mxsearch(argv[2], true);
	if (argc >= 3 && strcmp(argv[1], "mxquery") == 0)
		return call_mxsearch(argv[2], false);
	if (argc >= 2 && strcmp(argv[1], "searchlist") == 0) {
		if (res_init() != 0)
			return 1;
		printf("search=%s\n", _res.dnsrch[0] != NULL ? _res.dnsrch[0] : "none");
		return 0;
	}
	if (argc >= 4 && strcmp(argv[1], "resources") == 0)
		return resources(argv[2], atol(argv[3]));
	if (argc >= 2 && strcmp(argv[1], "execfds") == 0)
		return exec_fds(argc - 2, argv + 2);
	if (argc >= 4 && strcmp(argv[1], "gai") == 0)
		return call_gai(argv[2], family_of(argv[3]));
	if (argc >= 4 && strcmp(argv[1], "ghbn") == 0)
		return call_ghbn(argv[2], family_of(argv[3]));
	if (argc < 4) {
		fprintf(stderr, "usage: see the comment at the top of nsscall.c\n");
		return 2;
	}
	void *mod = dlopen(argv[1], RTLD_NOW);
	if (mod == NULL) {
		fprintf(stderr, "%s\n", dlerror());
		return 2;
	}
	const char *mode = argv[2], *name = argv[3];
	if (strcmp(mode, "4") == 0 || strcmp(mode, "grow4") == 0)
		return call4(mod, name, argc > 4 ? strtoul(argv[4], NULL, 0) : 4096,
			     strcmp(mode, "grow4") == 0);
	if (strcmp(mode, "late4") == 0 && argc > 5) {
		call4(mod, name, strtoul(argv[4], NULL, 0), 0);
		fflush(stdout);
		usleep((useconds_t)atoi(argv[5]) * 1000);
		return call4(mod, name, 65536, 0);
	}
	if (strcmp(mode, "timed4") == 0)
		return call4_timed(mod, name, argc > 4 ? atoi(argv[4]) : 1);
	if (strcmp(mode, "again4") == 0)
		return call4_again(mod, name);
	if (strcmp(mode, "emfile") == 0 && argc > 5)
		return call_emfile(mod, argv[4], family_of(argv[5]));
	if (strcmp(mode, "1") == 0)
		return call_hostent(mod, 1, name, AF_INET, argc > 4 ? strtoul(argv[4], NULL, 0) : 4096);
	if (argc < 5)
		return 2;
	return call_hostent(mod, atoi(mode), name, family_of(argv[4]),
			    argc > 5 ? strtoul(argv[5], NULL, 0) : 4096);
}

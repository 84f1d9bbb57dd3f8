#include "harness.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <pthread.h>
#include <resolv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define SENTINEL_HERR 12345

typedef enum nss_status fn4_t(const char *, struct gaih_addrtuple **, char *, size_t, int *,
			      int *, int32_t *);
typedef enum nss_status fn3_t(const char *, int, struct hostent *, char *, size_t, int *, int *,
			      int32_t *, char **);
typedef enum nss_status fn2_t(const char *, int, struct hostent *, char *, size_t, int *, int *);
typedef enum nss_status fn1_t(const char *, struct hostent *, char *, size_t, int *, int *);
typedef enum nss_status fn_addr_t(const void *, socklen_t, int, struct hostent *, char *, size_t,
				  int *, int *);

static struct {
	fn4_t *gethostbyname4_r;
	fn3_t *gethostbyname3_r;
	fn2_t *gethostbyname2_r;
	fn1_t *gethostbyname_r;
	fn_addr_t *gethostbyaddr_r;
} module;

static char conf_dir[64]; /* this run's; the cases' config files live in it */
static char conf_path[80];
static struct fake_dns *dns;
static struct fake_nbns *nbns[2];

static void *entry(void *handle, const char *symbol)
{
	void *fn = dlsym(handle, symbol);

	if (fn == NULL) {
		/* TAP's way to say the suite could not run: a failure, never a skip. */
		printf("Bail out! %s: %s\n", symbol, dlerror());
		exit(EXIT_FAILURE);
	}
	return fn;
}

void harness_init(void)
{
	const char *top = getenv("top_builddir"), *tmp = getenv("TMPDIR");
	char path[4096];
	void *handle;

	snprintf(path, sizeof(path), "%s/.libs/libnss_mxfallback.so.2", top != NULL ? top : ".");
	handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (handle == NULL) {
		printf("Bail out! %s\n", dlerror());
		exit(EXIT_FAILURE);
	}
	module.gethostbyname4_r = (fn4_t *)entry(handle, "_nss_mxfallback_gethostbyname4_r");
	module.gethostbyname3_r = (fn3_t *)entry(handle, "_nss_mxfallback_gethostbyname3_r");
	module.gethostbyname2_r = (fn2_t *)entry(handle, "_nss_mxfallback_gethostbyname2_r");
	module.gethostbyname_r = (fn1_t *)entry(handle, "_nss_mxfallback_gethostbyname_r");
	module.gethostbyaddr_r = (fn_addr_t *)entry(handle, "_nss_mxfallback_gethostbyaddr_r");
	snprintf(conf_dir, sizeof(conf_dir), "%s/mxf-stages-XXXXXX",
		 tmp != NULL && strlen(tmp) < 32 ? tmp : "/tmp");
	if (mkdtemp(conf_dir) == NULL) {
		printf("Bail out! mkdtemp %s: %s\n", conf_dir, strerror(errno));
		exit(EXIT_FAILURE);
	}
	setenv("LOCALDOMAIN", HARNESS_LOCALDOMAIN, 1);
	setenv("RES_OPTIONS", HARNESS_RES_OPTIONS, 1);
	unsetenv("HOSTALIASES");
}

/* A failed case's process ends at the failed assertion, without its
 * teardown: the run's directory is emptied here, in the parent, at the end. */
void harness_cleanup(void)
{
	DIR *dir = opendir(conf_dir);
	struct dirent *e;
	char path[sizeof(conf_dir) + 256 + 2];

	if (dir == NULL)
		return;
	while ((e = readdir(dir)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", conf_dir, e->d_name);
		unlink(path);
	}
	closedir(dir);
	rmdir(conf_dir);
}

void harness_setup(void)
{
	int fd;

	snprintf(conf_path, sizeof(conf_path), "%s/conf-XXXXXX", conf_dir);
	fd = mkstemp(conf_path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	setenv("NSS_MXFALLBACK_CONF", conf_path, 1);
}

void harness_teardown(void)
{
	unlink(conf_path);
	if (dns != NULL)
		fake_dns_stop(dns);
	for (int i = 0; i < 2; i++)
		if (nbns[i] != NULL)
			fake_nbns_stop(nbns[i]);
}

struct fake_dns *start_dns(fake_dns_answer *answer)
{
	ck_assert_ptr_null(dns);
	dns = fake_dns_start(answer);
	return dns;
}

struct fake_nbns *start_nbns(const struct fake_nb_script *script)
{
	int i = nbns[0] == NULL ? 0 : 1;

	ck_assert_ptr_null(nbns[i]);
	nbns[i] = fake_nbns_start(script);
	return nbns[i];
}

void harness_config(const char *fmt, ...)
{
	char tmp[sizeof(conf_path) + 8], text[4096];
	va_list ap;
	int fd, len;
	FILE *f;

	va_start(ap, fmt);
	len = vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	ck_assert_int_lt(len, (int)sizeof(text));

	/* A new file renamed over the old one: the module sees another inode
	 * and reads it again, whatever the clock's resolution. */
	snprintf(tmp, sizeof(tmp), "%s.new", conf_path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	ck_assert_ptr_nonnull(f);
	fputs("lmhosts none\n", f);
	fputs(text, f);
	/* This program is no mail program: the mx stage runs for it only when
	 * the case says so, or with every program allowed. */
	if (strstr(text, "mx_programs") == NULL)
		fputs("\nmx_programs *\n", f);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(rename(tmp, conf_path), 0);
}

static void append(char *list, size_t size, const char *item)
{
	size_t len = strlen(list);

	snprintf(list + len, size - len, "%s%s", len > 0 ? "," : "", item);
}

static void append_addr(char *list, size_t size, int af, const void *bytes)
{
	char text[INET6_ADDRSTRLEN];

	ck_assert_ptr_nonnull(inet_ntop(af, bytes, text, sizeof(text)));
	append(list, size, text);
}

static void reset(struct outcome *o)
{
	memset(o, 0, sizeof(*o));
	o->herr = SENTINEL_HERR;
	o->ttl = -1;
}

static void read_hostent(const struct hostent *h, int af, struct outcome *o)
{
	snprintf(o->name, sizeof(o->name), "%s", h->h_name != NULL ? h->h_name : "(null)");
	for (char **a = h->h_aliases; a != NULL && *a != NULL; a++)
		append(o->aliases, sizeof(o->aliases), *a);
	ck_assert_int_eq(h->h_addrtype, af);
	ck_assert_int_eq(h->h_length, af == AF_INET ? 4 : 16);
	for (char **a = h->h_addr_list; *a != NULL; a++)
		append_addr(o->addrs, sizeof(o->addrs), af, *a);
}

static void read_tuples(const struct gaih_addrtuple *at, struct outcome *o)
{
	ck_assert_ptr_nonnull(at);
	ck_assert_ptr_nonnull(at->name); /* getaddrinfo strdup()s it */
	snprintf(o->name, sizeof(o->name), "%s", at->name);
	for (; at != NULL; at = at->next) {
		ck_assert(at->family == AF_INET || at->family == AF_INET6);
		append_addr(o->addrs, sizeof(o->addrs), at->family, at->addr);
	}
}

void call4(const char *name, size_t buflen, struct outcome *o)
{
	char *buf = malloc(buflen > 0 ? buflen : 1);
	struct gaih_addrtuple *at = NULL;

	ck_assert_ptr_nonnull(buf);
	reset(o);
	o->status = module.gethostbyname4_r(name, &at, buf, buflen, &o->err, &o->herr, &o->ttl);
	if (o->status == NSS_STATUS_SUCCESS)
		read_tuples(at, o);
	free(buf);
}

void call3(const char *name, int af, size_t buflen, struct outcome *o)
{
	char *buf = malloc(buflen > 0 ? buflen : 1), *canon = NULL;
	struct hostent h;

	ck_assert_ptr_nonnull(buf);
	reset(o);
	o->status = module.gethostbyname3_r(name, af, &h, buf, buflen, &o->err, &o->herr, &o->ttl,
					    &canon);
	if (o->status == NSS_STATUS_SUCCESS) {
		read_hostent(&h, af, o);
		ck_assert_ptr_nonnull(canon);
		ck_assert_str_eq(canon, h.h_name);
	}
	free(buf);
}

void call2(const char *name, int af, struct outcome *o)
{
	char *buf = malloc(BIG_BUFFER);
	struct hostent h;

	ck_assert_ptr_nonnull(buf);
	reset(o);
	o->status = module.gethostbyname2_r(name, af, &h, buf, BIG_BUFFER, &o->err, &o->herr);
	if (o->status == NSS_STATUS_SUCCESS)
		read_hostent(&h, af, o);
	free(buf);
}

void call1(const char *name, struct outcome *o)
{
	char *buf = malloc(BIG_BUFFER);
	struct hostent h;

	ck_assert_ptr_nonnull(buf);
	reset(o);
	o->status = module.gethostbyname_r(name, &h, buf, BIG_BUFFER, &o->err, &o->herr);
	if (o->status == NSS_STATUS_SUCCESS)
		read_hostent(&h, AF_INET, o);
	free(buf);
}

void call_addr(const void *addr, unsigned len, int af, struct outcome *o)
{
	char *buf = malloc(BIG_BUFFER);
	struct hostent h;

	ck_assert_ptr_nonnull(buf);
	reset(o);
	o->status = module.gethostbyaddr_r(addr, len, af, &h, buf, BIG_BUFFER, &o->err, &o->herr);
	if (o->status == NSS_STATUS_SUCCESS)
		read_hostent(&h, h.h_addrtype, o);
	free(buf);
}

void call4_preallocated(const char *name, struct outcome *o)
{
	char *buf = malloc(BIG_BUFFER);
	struct gaih_addrtuple mine = { .name = NULL }, *at = &mine;

	ck_assert_ptr_nonnull(buf);
	reset(o);
	o->status = module.gethostbyname4_r(name, &at, buf, BIG_BUFFER, &o->err, &o->herr,
					    &o->ttl);
	if (o->status == NSS_STATUS_SUCCESS) {
		ck_assert_ptr_eq(at, &mine);
		read_tuples(at, o);
	}
	free(buf);
}

/* Points this thread's resolver at the fake server; glibc's own modules
 * use an application's changes to _res. */
static void use_fake_server(struct fake_dns *server_dns)
{
	struct sockaddr_in server = { .sin_family = AF_INET,
				      .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };

	ck_assert_int_eq(res_init(), 0);
	server.sin_port = htons((uint16_t)fake_dns_port(server_dns));
	_res.nsaddr_list[0] = server;
	_res.nscount = 1;
}

static void *libc_entry(const char *symbol)
{
	void *libc = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);

	ck_assert_ptr_nonnull(libc);
	return entry(libc, symbol);
}

void nss_dns_call_addr(struct fake_dns *server_dns, const void *addr, unsigned len, int af,
		       struct outcome *o)
{
	fn_addr_t *dns_gethostbyaddr_r = (fn_addr_t *)libc_entry("_nss_dns_gethostbyaddr_r");
	char *buf = malloc(BIG_BUFFER);
	struct hostent h;

	ck_assert_ptr_nonnull(buf);
	use_fake_server(server_dns);
	reset(o);
	o->status = dns_gethostbyaddr_r(addr, len, af, &h, buf, BIG_BUFFER, &o->err, &o->herr);
	if (o->status == NSS_STATUS_SUCCESS)
		read_hostent(&h, h.h_addrtype, o);
	free(buf);
}

void nss_dns_call3(struct fake_dns *server_dns, const char *name, int af, struct outcome *o)
{
	fn3_t *dns_gethostbyname3_r = (fn3_t *)libc_entry("_nss_dns_gethostbyname3_r");
	char *buf = malloc(BIG_BUFFER), *canon = NULL;
	struct hostent h;
	unsigned before;

	ck_assert_ptr_nonnull(buf);
	use_fake_server(server_dns);
	reset(o);
	before = fake_dns_count(server_dns, NULL, ns_t_any);
	o->status = dns_gethostbyname3_r(name, af, &h, buf, BIG_BUFFER, &o->err, &o->herr,
					 &o->ttl, &canon);
	/* It asked the fake server, not the host's resolv.conf's. */
	ck_assert_uint_gt(fake_dns_count(server_dns, NULL, ns_t_any), before);
	if (o->status == NSS_STATUS_SUCCESS)
		read_hostent(&h, af, o);
	free(buf);
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

const char *sorted_list(const char *list)
{
	static char out[1024];
	char copy[1024], *items[64], *save = NULL;
	size_t n = 0;

	snprintf(copy, sizeof(copy), "%s", list);
	for (char *t = strtok_r(copy, ",", &save); t != NULL && n < 64; t = strtok_r(NULL, ",", &save))
		items[n++] = t;
	qsort(items, n, sizeof(items[0]), compare_strings);
	out[0] = '\0';
	for (size_t i = 0; i < n; i++)
		append(out, sizeof(out), items[i]);
	return out;
}

long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int open_descriptors(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while (readdir(d) != NULL)
		n++;
	closedir(d);
	return n;
}

static void *lookup_until_cancelled(void *name)
{
	struct outcome o;

	call3(name, AF_INET, BIG_BUFFER, &o);
	return NULL; /* not reached when cancelled in the lookup */
}

void call3_cancelled_after(const char *name, unsigned ms)
{
	pthread_t t;
	void *how;

	ck_assert_int_eq(pthread_create(&t, NULL, lookup_until_cancelled, (void *)name), 0);
	usleep(ms * 1000);
	ck_assert_int_eq(pthread_cancel(t), 0);
	ck_assert_int_eq(pthread_join(t, &how), 0);
	ck_assert_ptr_eq(how, PTHREAD_CANCELED);
}

/* What every stage test shares: the built module, dlopened as glibc would
 * load it; a config file of the case's own, named by NSS_MXFALLBACK_CONF;
 * and one call of an entry point, its outcome written down as text so a
 * case compares it with literals. */
#ifndef HARNESS_H
#define HARNESS_H

#include "fakedns.h"
#include "fakenbns.h"

#include <check.h>
#include <nss.h>
#include <stddef.h>
#include <stdint.h>

/* Search list and resolver options for every case, set before the first
 * res_ninit (res_ninit reads them from the environment, no root needed):
 * names with a dot are asked as they are first, then in LOCALDOMAIN; one
 * second per query, one attempt. */
#define HARNESS_LOCALDOMAIN "search.test"
#define HARNESS_RES_OPTIONS "ndots:1 timeout:1 attempts:1"

/* A buffer big enough for every answer of these tests. */
#define BIG_BUFFER 8192

struct outcome {
	enum nss_status status;
	int err; /* *errnop, 0 when left alone */
	int herr; /* *h_errnop */
	int32_t ttl; /* 3_r and 4_r */
	char name[256]; /* h_name, or the first tuple's name */
	char aliases[1024]; /* h_aliases joined by ',' */
	char addrs[1024]; /* addresses in order, joined by ',' */
};

/* Loads the module, makes this run's directory for config files and sets
 * the environment; call once in main(), and harness_cleanup at its end. */
void harness_init(void);
void harness_cleanup(void);

/* A checked fixture: the case's config file, removed at its end. */
void harness_setup(void);
void harness_teardown(void);

/* Starts a fake server for this case; teardown stops it. */
struct fake_dns *start_dns(fake_dns_answer *answer);
struct fake_nbns *start_nbns(const struct fake_nb_script *script);

/* Writes the config file: "lmhosts none", then TEXT (lines), then
 * "mx_programs *" unless TEXT names mx_programs itself. */
void harness_config(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* One call of _nss_mxfallback_gethostbyname{4,3,2,}_r with a buffer of
 * exactly BUFLEN bytes (malloc'd, so ASan sees every overrun). */
void call4(const char *name, size_t buflen, struct outcome *o);
void call3(const char *name, int af, size_t buflen, struct outcome *o);
void call2(const char *name, int af, struct outcome *o);
void call1(const char *name, struct outcome *o);

/* _nss_mxfallback_gethostbyaddr_r for ADDR (LEN bytes) of family AF. */
void call_addr(const void *addr, unsigned len, int af, struct outcome *o);

/* gethostbyname4_r with *pat already pointing at the caller's tuple, as
 * older nscd calls it; fails the case unless that tuple comes back first. */
void call4_preallocated(const char *name, struct outcome *o);

/* The same call of glibc's own _nss_dns_gethostbyname3_r (libc.so.6 since
 * 2.34), with the resolver's server set to the fake DNS server DNS: what
 * nss_dns says for the same reply. */
void nss_dns_call3(struct fake_dns *dns, const char *name, int af, struct outcome *o);

/* glibc's _nss_dns_gethostbyaddr_r, asking the fake server DNS. */
void nss_dns_call_addr(struct fake_dns *dns, const void *addr, unsigned len, int af,
		       struct outcome *o);

/* ADDRS with its comma-separated items sorted: for answers whose order
 * is random on purpose. */
const char *sorted_list(const char *list);

/* Milliseconds on the monotonic clock. */
long long now_ms(void);

/* How many descriptors the process has open (/proc/self/fd). */
int open_descriptors(void);

/* Looks NAME up (gethostbyname3_r, AF_INET) on a thread of its own and
 * cancels that thread after MS milliseconds; fails the case unless the
 * thread ended cancelled, in the lookup. */
void call3_cancelled_after(const char *name, unsigned ms);

/* Fails the case unless O says STATUS, errno ERR and h_errno HERR. */
#define ck_assert_outcome(o, st, e, he)                                                    \
	do {                                                                               \
		ck_assert_msg((o)->status == (st), "status %d, expected %d (%s)", (o)->status, \
			      (st), #st);                                                  \
		ck_assert_msg((o)->err == (e), "errno %d, expected %d (%s)", (o)->err, (e), #e); \
		ck_assert_msg((o)->herr == (he), "h_errno %d, expected %d (%s)", (o)->herr, (he), \
			      #he);                                                        \
	} while (0)

#endif

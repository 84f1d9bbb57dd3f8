/* The NSS entry points: thin glue.  Each looks the name up once, maps the
 * outcome to what glibc's own dns module would return, and packs the answer
 * into the caller's buffer. */
#include "log.h"
#include "lookup.h"
#include "pack.h"
#include "workspace.h"

#include <arpa/nameser.h>
#include <errno.h>
#include <netdb.h>
#include <nss.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define EXPORT __attribute__((visibility("default")))

EXPORT enum nss_status _nss_mxfallback_gethostbyname4_r(const char *name,
							struct gaih_addrtuple **pat, char *buffer,
							size_t buflen, int *errnop, int *h_errnop,
							int32_t *ttlp);
EXPORT enum nss_status _nss_mxfallback_gethostbyname3_r(const char *name, int af,
							struct hostent *host, char *buffer,
							size_t buflen, int *errnop, int *h_errnop,
							int32_t *ttlp, char **canonp);
EXPORT enum nss_status _nss_mxfallback_gethostbyname2_r(const char *name, int af,
							struct hostent *host, char *buffer,
							size_t buflen, int *errnop, int *h_errnop);
EXPORT enum nss_status _nss_mxfallback_gethostbyaddr2_r(const void *addr, socklen_t len, int af,
							struct hostent *host, char *buffer,
							size_t buflen, int *errnop, int *h_errnop,
							int32_t *ttlp);
EXPORT enum nss_status _nss_mxfallback_gethostbyaddr_r(const void *addr, socklen_t len, int af,
						       struct hostent *host, char *buffer,
						       size_t buflen, int *errnop, int *h_errnop);
EXPORT enum nss_status _nss_mxfallback_gethostbyname_r(const char *name, struct hostent *host,
						       char *buffer, size_t buflen, int *errnop,
						       int *h_errnop);

/* The statuses nss_dns gives for the same DNS outcome (resolv/nss_dns),
 * from gethostbyname4_r when TUPLES (tests/integration/resolver.sh
 * compares every entry point). */
static enum nss_status dns_status(const struct mxf_result *res, bool tuples, int *errnop,
				  int *h_errnop)
{
	if (res->config_broken) {
		*h_errnop = NO_RECOVERY;
		return NSS_STATUS_UNAVAIL;
	}
	switch (res->outcome) {
	case MXF_FOUND:
	case MXF_NO_NAME:
		*h_errnop = HOST_NOT_FOUND;
		return NSS_STATUS_NOTFOUND;
	case MXF_NO_DATA:
		*h_errnop = NO_DATA;
		return NSS_STATUS_NOTFOUND;
	case MXF_ALIAS_ONLY:
		if (tuples) { /* glibc 2.36's gaih_getanswer: no address is no name */
			*h_errnop = HOST_NOT_FOUND;
			return NSS_STATUS_NOTFOUND;
		}
		*h_errnop = NO_RECOVERY;
		*errnop = ENOENT;
		return NSS_STATUS_TRYAGAIN;
	case MXF_NO_RECOVERY:
		*h_errnop = NO_RECOVERY;
		return NSS_STATUS_NOTFOUND;
	case MXF_MALFORMED:
		*h_errnop = NO_RECOVERY;
		return NSS_STATUS_UNAVAIL;
	case MXF_SERVER_FAILED:
		*h_errnop = TRY_AGAIN;
		*errnop = EAGAIN;
		return NSS_STATUS_NOTFOUND;
	case MXF_UNREACHABLE:
		*h_errnop = TRY_AGAIN;
		*errnop = EAGAIN;
		return NSS_STATUS_UNAVAIL;
	case MXF_NO_SERVERS:
		*h_errnop = TRY_AGAIN;
		*errnop = EAGAIN;
		return NSS_STATUS_TRYAGAIN;
	case MXF_NO_RESOURCES:
		break;
	}
	/* Out of descriptors (socket() failed in libresolv or the wins stage):
	 * nss_dns says UNAVAIL and NETDB_INTERNAL and leaves *errnop alone
	 * (glibc 2.36 dns-host.c; tests/integration/resolver.sh measures it).
	 * Out of memory: errno ENOMEM, as nss_dns says for a failed malloc. */
	*h_errnop = NETDB_INTERNAL;
	if (res->sys_errno != EMFILE && res->sys_errno != ENFILE)
		*errnop = ENOMEM;
	return NSS_STATUS_UNAVAIL;
}

/* Once the mx stage has decided (null MX, exchangers that failed, an MX
 * query that failed), the status is never UNAVAIL: nsswitch.conf's default
 * action, and the [!UNAVAIL=return] the package writes, hand UNAVAIL to the
 * next source, and `dns` there would answer with the domain's own address.
 * h_errno and errno still say what nss_dns would (TRY_AGAIN: defer). */
static enum nss_status not_found(const struct mxf_result *res, bool tuples, int *errnop,
				 int *h_errnop)
{
	enum nss_status status = dns_status(res, tuples, errnop, h_errnop);

	return status == NSS_STATUS_UNAVAIL && res->mx_final ? NSS_STATUS_NOTFOUND : status;
}

/* glibc grows its buffer and calls again only for exactly this triple. */
static enum nss_status too_small(struct mxf_workspace *ws, const char *name, int af,
				 int *errnop, int *h_errnop)
{
	mxf_lookup_keep_for_retry(ws, name, af);
	*errnop = ERANGE;
	*h_errnop = NETDB_INTERNAL;
	return NSS_STATUS_TRYAGAIN;
}

static int32_t reported_ttl(const struct mxf_answer *ans)
{
	return ans->ttl > INT32_MAX ? INT32_MAX : (int32_t)ans->ttl;
}

/* A stage that said FOUND without a name or an address of the family asked
 * is a bug of ours, not an answer: refused before packing (pack.c requires
 * both).  The status is the one not_found gives a malformed reply (UNAVAIL,
 * h_errno NO_RECOVERY: an answer that cannot be used, and retrying will not
 * help), with errno EBADMSG to tell it apart; the next source on the hosts
 * line answers.  Logged once per process. */
static bool refuse_unusable(const struct mxf_result *res, int family, int *errnop,
			    int *h_errnop, enum nss_status *status)
{
	static atomic_bool logged;

	if (mxf_pack_usable(&res->answer, family))
		return false;
	if (!atomic_exchange(&logged, true))
		mxf_log_error("stage %s found an answer without a name or address; refused",
			      mxf_stage_name(res->stage));
	*errnop = EBADMSG;
	*h_errnop = NO_RECOVERY;
	*status = NSS_STATUS_UNAVAIL;
	return true;
}

static bool usable_name(const char *name)
{
	return name != NULL && name[0] != '\0' && strlen(name) < NS_MAXDNAME;
}

/* Looks NAME up.  Returns the workspace whose result is the answer to
 * pack (to be given back with mxf_workspace_put), or NULL with *STATUS
 * set: not found, or no memory.  errno is left as the caller had it unless
 * a status needs it. */
static struct mxf_workspace *found_answer(const char *name, int af, bool check_name,
					  int *errnop, int *h_errnop, enum nss_status *status)
{
	int saved_errno = errno;
	struct mxf_workspace *ws;
	const struct mxf_result *res;

	if (!usable_name(name)) {
		*h_errnop = HOST_NOT_FOUND;
		*status = NSS_STATUS_NOTFOUND;
		return NULL;
	}
	ws = mxf_workspace_get();
	if (ws == NULL) {
		*errnop = ENOMEM;
		*h_errnop = NETDB_INTERNAL;
		*status = NSS_STATUS_UNAVAIL;
		return NULL;
	}
	mxf_lookup(name, af, check_name, ws);
	errno = saved_errno;
	res = &ws->result;
	if (res->outcome == MXF_FOUND && !res->config_broken) {
		if (!refuse_unusable(res, af, errnop, h_errnop, status))
			return ws;
	} else {
		*status = not_found(res, af == AF_UNSPEC, errnop, h_errnop);
	}
	mxf_workspace_put(ws);
	return NULL;
}

static enum nss_status succeeded(const struct mxf_result *res, int32_t *ttlp, int *h_errnop)
{
	if (ttlp != NULL)
		*ttlp = reported_ttl(&res->answer);
	*h_errnop = NETDB_SUCCESS; /* glibc's dns leaves a stale value; systemd resets */
	return NSS_STATUS_SUCCESS;
}

enum nss_status _nss_mxfallback_gethostbyname4_r(const char *name, struct gaih_addrtuple **pat,
						 char *buffer, size_t buflen, int *errnop,
						 int *h_errnop, int32_t *ttlp)
{
	enum nss_status status;
	struct mxf_workspace *ws = found_answer(name, AF_UNSPEC, true, errnop, h_errnop, &status);

	if (ws == NULL)
		return status;
	if (mxf_pack_tuples(&ws->result.answer, pat, buffer, buflen) != 0)
		status = too_small(ws, name, AF_UNSPEC, errnop, h_errnop);
	else
		status = succeeded(&ws->result, ttlp, h_errnop);
	mxf_workspace_put(ws);
	return status;
}

/* gethostbyname3_r, with or without nss_dns's res_hnok check (lookup.h). */
static enum nss_status by_name(const char *name, int af, bool check_name, struct hostent *host,
			       char *buffer, size_t buflen, int *errnop, int *h_errnop,
			       int32_t *ttlp, char **canonp)
{
	enum nss_status status;
	struct mxf_workspace *ws;

	if (af != AF_INET && af != AF_INET6) {
		*errnop = EAFNOSUPPORT;
		*h_errnop = NO_DATA;
		return NSS_STATUS_UNAVAIL;
	}
	ws = found_answer(name, af, check_name, errnop, h_errnop, &status);
	if (ws == NULL)
		return status;
	if (mxf_pack_hostent(&ws->result.answer, af, host, buffer, buflen) != 0) {
		status = too_small(ws, name, af, errnop, h_errnop);
	} else {
		status = succeeded(&ws->result, ttlp, h_errnop);
		if (canonp != NULL)
			*canonp = host->h_name;
	}
	mxf_workspace_put(ws);
	return status;
}

enum nss_status _nss_mxfallback_gethostbyname3_r(const char *name, int af, struct hostent *host,
						 char *buffer, size_t buflen, int *errnop,
						 int *h_errnop, int32_t *ttlp, char **canonp)
{
	return by_name(name, af, false, host, buffer, buflen, errnop, h_errnop, ttlp, canonp);
}

enum nss_status _nss_mxfallback_gethostbyname2_r(const char *name, int af, struct hostent *host,
						 char *buffer, size_t buflen, int *errnop,
						 int *h_errnop)
{
	return by_name(name, af, true, host, buffer, buflen, errnop, h_errnop, NULL, NULL);
}

/* Without RES_USE_INET6 (deprecated, ignored since glibc 2.26) nss_dns
 * answers gethostbyname_r with IPv4 only; so do we. */
enum nss_status _nss_mxfallback_gethostbyname_r(const char *name, struct hostent *host,
						char *buffer, size_t buflen, int *errnop,
						int *h_errnop)
{
	return by_name(name, AF_INET, true, host, buffer, buflen, errnop, h_errnop, NULL, NULL);
}

/* An address neither the LMHOSTS file nor NetBIOS knows.  The module is no
 * PTR source, and the package's hosts: line ends each lookup at the module
 * unless it says UNAVAIL ([!UNAVAIL=return]): so UNAVAIL, as glibc reads a
 * module without the function, with errno ENOENT (no such entry here, as
 * nss_files says of a missing file) and HOST_NOT_FOUND; `dns` after it
 * answers the PTR. */
static enum nss_status not_here(int *errnop, int *h_errnop)
{
	*errnop = ENOENT;
	*h_errnop = HOST_NOT_FOUND;
	return NSS_STATUS_UNAVAIL;
}

/* The IPv4 address behind ADDR: plain, or IPv4-mapped IPv6 (as nss_dns
 * unmaps).  -1 for a family nss_dns refuses too; 1 for IPv6 we cannot know. */
static int ipv4_of(const void *addr, socklen_t len, int af, uint32_t *out)
{
	static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	if (af == AF_INET && len >= 4) {
		memcpy(out, addr, 4);
		return 0;
	}
	if (af == AF_INET6 && len >= 16) {
		if (memcmp(addr, mapped, sizeof(mapped)) != 0)
			return 1;
		memcpy(out, (const unsigned char *)addr + 12, 4);
		return 0;
	}
	return -1;
}

enum nss_status _nss_mxfallback_gethostbyaddr2_r(const void *addr, socklen_t len, int af,
						 struct hostent *host, char *buffer, size_t buflen,
						 int *errnop, int *h_errnop, int32_t *ttlp)
{
	int saved_errno = errno;
	enum nss_status status;
	struct mxf_workspace *ws;
	const struct mxf_result *res;
	uint32_t v4;
	int kind = ipv4_of(addr, len, af, &v4);

	if (kind < 0) {
		*errnop = EAFNOSUPPORT;
		*h_errnop = NETDB_INTERNAL;
		return NSS_STATUS_UNAVAIL;
	}
	if (kind > 0)
		return not_here(errnop, h_errnop);
	ws = mxf_workspace_get();
	if (ws == NULL) {
		*errnop = ENOMEM;
		*h_errnop = NETDB_INTERNAL;
		return NSS_STATUS_UNAVAIL;
	}
	mxf_lookup_address(v4, ws);
	errno = saved_errno;
	res = &ws->result;
	if (res->outcome == MXF_NO_NAME && !res->config_broken) {
		status = not_here(errnop, h_errnop);
	} else if (res->outcome != MXF_FOUND || res->config_broken) {
		status = not_found(res, false, errnop, h_errnop);
	} else if (refuse_unusable(res, AF_INET, errnop, h_errnop, &status)) {
		/* status set */
	} else if (mxf_pack_hostent(&res->answer, AF_INET, host, buffer, buflen) != 0) {
		*errnop = ERANGE;
		*h_errnop = NETDB_INTERNAL;
		status = NSS_STATUS_TRYAGAIN;
	} else {
		status = succeeded(res, ttlp, h_errnop);
	}
	mxf_workspace_put(ws);
	return status;
}

enum nss_status _nss_mxfallback_gethostbyaddr_r(const void *addr, socklen_t len, int af,
						struct hostent *host, char *buffer, size_t buflen,
						int *errnop, int *h_errnop)
{
	return _nss_mxfallback_gethostbyaddr2_r(addr, len, af, host, buffer, buflen, errnop,
						h_errnop, NULL);
}

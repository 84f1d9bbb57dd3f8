#include "dns.h"
#include "clock.h"

#include "log.h"

#include <errno.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *type_name(int type)
{
	switch (type) {
	case ns_t_a:
		return "A";
	case ns_t_aaaa:
		return "AAAA";
	case ns_t_mx:
		return "MX";
	default:
		return "?";
	}
}

/* glibc uses nsaddr_list[i] unless its family is 0, in which case the
 * malloc'd _u._ext.nsaddrs[i] holds an IPv6 server (res_nclose frees it). */
static int use_servers(res_state res, const struct mxf_config *cfg)
{
	for (int i = 0; i < MAXNS; i++) {
		free(res->_u._ext.nsaddrs[i]);
		res->_u._ext.nsaddrs[i] = NULL;
	}
	for (unsigned i = 0; i < cfg->n_dns_servers; i++) {
		const union mxf_sockaddr *sa = &cfg->dns_servers[i];
		memset(&res->nsaddr_list[i], 0, sizeof(res->nsaddr_list[i]));
		if (sa->sa.sa_family == AF_INET) {
			res->nsaddr_list[i] = sa->sin;
			continue;
		}
		res->_u._ext.nsaddrs[i] = malloc(sizeof(struct sockaddr_in6));
		if (res->_u._ext.nsaddrs[i] == NULL)
			return -1;
		*res->_u._ext.nsaddrs[i] = sa->sin6;
	}
	res->nscount = (int)cfg->n_dns_servers;
	return 0;
}

/* The longest one query takes when no server answers, in ms: libresolv
 * (resolv/res_send.c) makes RETRY rounds over NSCOUNT servers, and waits
 * RETRANS << ns seconds for server ns, divided by NSCOUNT when ns > 0, at
 * least 1 s (send_dg's "Compute timeout"). */
static int64_t worst_query_ms(int retrans, int retry, int nscount)
{
	int64_t round = 0;

	for (int ns = 0; ns < nscount; ns++) {
		int64_t s = (int64_t)retrans << ns;
		if (ns > 0)
			s /= nscount;
		round += s > 0 ? s : 1;
	}
	return round * retry * 1000;
}

/* RES's timeout (s), attempts and server count, each at least 1 (a
 * program may have set them to 0). */
static void read_timeouts(const struct __res_state *res, int *retrans, int *retry, int *nscount)
{
	*retrans = res->retrans > 0 ? res->retrans : 1;
	*retry = res->retry > 0 ? res->retry : 1;
	*nscount = res->nscount > 0 ? res->nscount : 1;
}

/* Sets the next query's timeout and attempts so that it ends by the
 * deadline: fewer attempts first, then a shorter timeout.  False when not
 * even one attempt of 1 s fits. */
static bool fit_query(struct mxf_dns *dns)
{
	int64_t now = mxf_now_ms(), end, left;
	int retrans, retry, nscount;

	read_timeouts(dns->res, &retrans, &retry, &nscount);
	if (dns->phase_pending) {
		dns->phase_pending = false;
		dns->phase_end = now + dns->query_ms;
	}
	end = dns->phase_end < dns->deadline ? dns->phase_end : dns->deadline;
	left = end - now;

	while (worst_query_ms(retrans, retry, nscount) > left) {
		if (retry > 1)
			retry--;
		else if (retrans > 1)
			retrans--;
		else
			return false;
	}
	/* Only a query cut short changes them, and they are put back after
	 * it: on the thread's _res, glibc reloads a changed resolv.conf (and
	 * sets them anew) only while they are as it set them.  They are read
	 * anew for each query, and only ever lowered. */
	if (retrans < dns->res->retrans || retry < dns->res->retry) {
		dns->saved_retrans = dns->res->retrans;
		dns->saved_retry = dns->res->retry;
		if (retrans < dns->res->retrans)
			dns->res->retrans = retrans;
		if (retry < dns->res->retry)
			dns->res->retry = retry;
		dns->cut_retrans = dns->res->retrans;
		dns->cut_retry = dns->res->retry;
		dns->cut = true;
	}
	return true;
}

/* Puts back the timeout and attempts of a query cut short, unless glibc
 * set them anew meanwhile (a reload of resolv.conf). */
static void restore_timeouts(struct mxf_dns *dns)
{
	if (!dns->cut)
		return;
	if (dns->res->retrans == dns->cut_retrans && dns->res->retry == dns->cut_retry) {
		dns->res->retrans = dns->saved_retrans;
		dns->res->retry = dns->saved_retry;
	}
	dns->cut = false;
}

static void start_deadline(struct mxf_dns *dns)
{
	int retrans, retry, nscount;

	read_timeouts(dns->res, &retrans, &retry, &nscount);
	dns->cut = false;
	dns->phase_pending = false;
	dns->query_ms = worst_query_ms(retrans, retry, nscount);
	dns->deadline = mxf_now_ms() + (2 * dns->query_ms < MXF_DNS_MAX_MS ? 2 * dns->query_ms
									: MXF_DNS_MAX_MS);
	dns->phase_end = dns->deadline;
}

void mxf_dns_begin_exchangers(struct mxf_dns *dns)
{
	/* The phase's clock starts at its first query (fit_query): its first
	 * exchanger may always take one whole query's time, whatever the
	 * milliseconds spent reading the MX reply. */
	dns->phase_pending = true;
}

void mxf_dns_end_exchangers(struct mxf_dns *dns)
{
	dns->phase_pending = false;
	dns->phase_end = dns->deadline;
}

bool mxf_dns_stop_exchangers(const struct mxf_dns *dns, enum mxf_outcome o)
{
	return mxf_outcome_is_temporary(o) || mxf_now_ms() >= dns->phase_end;
}

/* The thread's _res, set up as the first res_search would (res_init when
 * RES_INIT is not set yet), so the deadline reads its timeouts; or a
 * private state for the config's servers. */
static int open_state(struct mxf_dns *dns, const struct mxf_config *cfg)
{
	if (cfg->n_dns_servers == 0) {
		dns->res = &_res;
		dns->thread_state = true;
		return (_res.options & RES_INIT) != 0 ? 0 : res_init();
	}
	/* res_ninit leaves fields use_servers reads (_u._ext.nsaddrs). */
	memset(&dns->own, 0, sizeof(dns->own));
	dns->res = &dns->own;
	return res_ninit(&dns->own);
}

enum mxf_outcome mxf_dns_open(struct mxf_dns *dns, const struct mxf_config *cfg,
			      struct mxf_dns_room *room)
{
	/* Not a memset: the private state is large, and most lookups do not
	 * use it. */
	dns->thread_state = false;
	dns->ready = false;
	dns->debug = cfg->debug;
	dns->sys_errno = 0;
	dns->msg = &room->msg;
	dns->kept = &room->kept;
	dns->buf = room->buf;
	dns->trace = NULL;
	if (open_state(dns, cfg) != 0) {
		dns->sys_errno = errno;
		return MXF_NO_RESOURCES;
	}
	dns->ready = true;
	if (cfg->n_dns_servers > 0 && use_servers(dns->res, cfg) != 0) {
		dns->sys_errno = ENOMEM;
		return MXF_NO_RESOURCES;
	}
	start_deadline(dns);
	return MXF_FOUND;
}

void mxf_dns_close(struct mxf_dns *dns)
{
	if (dns->ready && !dns->thread_state)
		res_nclose(&dns->own);
	dns->ready = false;
}

/* Reads a failed res_search as nss_dns does (glibc 2.36
 * resolv/nss_dns/dns-host.c): a socket() that failed for want of
 * descriptors comes back as TRY_AGAIN with errno EMFILE/ENFILE, which nss_dns
 * turns into UNAVAIL/NETDB_INTERNAL; so do we, before reading h_errno.
 * Otherwise a definite answer in h_errno (no such name, no data) wins over
 * errno, which may still hold ECONNREFUSED from a later search-list
 * candidate a server refused; errno only tells a timeout from a SERVFAIL. */
static enum mxf_outcome failure_outcome(int herr, int err)
{
	if (err == EMFILE || err == ENFILE)
		return MXF_NO_RESOURCES;
	/* res_send's "no server to ask" (a program set _res.nscount to 0). */
	if (err == ESRCH)
		return MXF_NO_SERVERS;
	switch (herr) {
	case HOST_NOT_FOUND:
		return MXF_NO_NAME;
	case NO_DATA:
		return MXF_NO_DATA;
	case TRY_AGAIN:
		return err == ECONNREFUSED || err == ETIMEDOUT ? MXF_UNREACHABLE
							       : MXF_SERVER_FAILED;
	case NETDB_INTERNAL:
		return err == ENOMEM ? MXF_NO_RESOURCES : MXF_NO_RECOVERY;
	default:
		return MXF_NO_RECOVERY;
	}
}

/* res_search and res_query use the thread's _res and reload it when
 * resolv.conf changed, as nss_dns's queries do; the res_n* forms take a
 * state as it is. */
static int send_query(struct mxf_dns *dns, const char *name, int type, bool search)
{
	unsigned char *buf = dns->buf;

	if (dns->thread_state)
		return search ? res_search(name, ns_c_in, type, buf, NS_MAXMSG)
			      : res_query(name, ns_c_in, type, buf, NS_MAXMSG);
	return search ? res_nsearch(dns->res, name, ns_c_in, type, buf, NS_MAXMSG)
		      : res_nquery(dns->res, name, ns_c_in, type, buf, NS_MAXMSG);
}

enum mxf_outcome mxf_dns_query(struct mxf_dns *dns, const char *name, int type, bool search)
{
	return mxf_dns_query_into(dns, name, type, search, dns->msg);
}

enum mxf_outcome mxf_dns_query_into(struct mxf_dns *dns, const char *name, int type, bool search,
				    struct mxf_dnsmsg *msg)
{
	unsigned char *buf = dns->buf;
	int len;

	if (!fit_query(dns)) {
		mxf_trace(dns->trace, "DNS %s %s: not asked, the lookup's time is spent", name,
			  type_name(type));
		return MXF_UNREACHABLE;
	}
	/* A fresh header, as nss_dns's fresh buffer: res_search reads the
	 * rcode left in BUF after a timeout to decide whether to go on
	 * (SERVFAIL) or stop, and the previous query's reply is still there. */
	memset(buf, 0, HFIXEDSZ);
	errno = 0;
	len = send_query(dns, name, type, search);
	restore_timeouts(dns);
	if (len < 0) {
		int err = errno;
		enum mxf_outcome o = failure_outcome(dns->res->res_h_errno, err);
		if (o == MXF_NO_RESOURCES)
			dns->sys_errno = err;
		mxf_trace(dns->trace, "DNS %s %s: %s", name, type_name(type), mxf_outcome_name(o));
		mxf_log_debug(dns->debug, "%s type %d: h_errno %d errno %d", name, type,
			      dns->res->res_h_errno, err);
		return o;
	}
	if (len > NS_MAXMSG || mxf_dnsmsg_open(msg, buf, (size_t)len) != 0) {
		mxf_log_debug(dns->debug, "%s type %d: malformed reply ignored", name, type);
		mxf_trace(dns->trace, "DNS %s %s: malformed reply", name, type_name(type));
		return MXF_MALFORMED;
	}
	mxf_trace(dns->trace, "DNS %s %s: %d answers, %d additional (%d bytes)", name, type_name(type),
		  msg->ancount, msg->arcount, len);
	return MXF_FOUND;
}

bool mxf_dns_name_ok(const char *name)
{
	return res_hnok(name) != 0;
}

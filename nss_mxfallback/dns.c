#include "dns.h"

#include "log.h"

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

enum mxf_outcome mxf_dns_open(struct mxf_dns *dns, const struct mxf_config *cfg)
{
	memset(dns, 0, sizeof(*dns));
	dns->debug = cfg->debug;
	if (res_ninit(&dns->res) != 0)
		return MXF_NO_RESOURCES;
	dns->ready = true;
	dns->msg = malloc(sizeof(*dns->msg) + NS_MAXMSG);
	if (dns->msg == NULL)
		return MXF_NO_RESOURCES;
	dns->buf = (unsigned char *)(dns->msg + 1);
	if (cfg->n_dns_servers > 0 && use_servers(&dns->res, cfg) != 0)
		return MXF_NO_RESOURCES;
	return MXF_FOUND;
}

void mxf_dns_close(struct mxf_dns *dns)
{
	if (dns->ready)
		res_nclose(&dns->res);
	free(dns->msg);
	dns->msg = NULL;
	dns->buf = NULL;
	dns->ready = false;
}

/* Reads a failed res_nsearch as nss_dns does, with one difference: a
 * definite answer in h_errno (no such name, no data) wins over errno, which
 * may still hold ECONNREFUSED from a later search-list candidate a server
 * refused.  errno only tells a timeout from a SERVFAIL. */
static enum mxf_outcome failure_outcome(int herr, int err)
{
	switch (herr) {
	case HOST_NOT_FOUND:
		return MXF_NO_NAME;
	case NO_DATA:
		return MXF_NO_DATA;
	case TRY_AGAIN:
		return err == ECONNREFUSED || err == ETIMEDOUT ? MXF_UNREACHABLE
							       : MXF_SERVER_FAILED;
	case NETDB_INTERNAL:
		return err == EMFILE || err == ENFILE || err == ENOMEM ? MXF_NO_RESOURCES
									: MXF_NO_RECOVERY;
	default:
		return MXF_NO_RECOVERY;
	}
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

	errno = 0;
	if (search)
		len = res_nsearch(&dns->res, name, ns_c_in, type, buf, NS_MAXMSG);
	else
		len = res_nquery(&dns->res, name, ns_c_in, type, buf, NS_MAXMSG);
	if (len < 0) {
		enum mxf_outcome o = failure_outcome(dns->res.res_h_errno, errno);
		mxf_trace(dns->trace, "DNS %s %s: %s", name, type_name(type), mxf_outcome_name(o));
		mxf_log_debug(dns->debug, "%s type %d: h_errno %d errno %d", name, type,
			      dns->res.res_h_errno, errno);
		return o;
	}
	if (len > NS_MAXMSG || mxf_dnsmsg_open(msg, buf, (size_t)len) != 0) {
		mxf_log_debug(dns->debug, "%s type %d: malformed reply ignored", name, type);
		mxf_trace(dns->trace, "DNS %s %s: malformed reply", name, type_name(type));
		return MXF_MALFORMED;
	}
	mxf_trace(dns->trace, "DNS %s %s: %d answers, %d additional (%d bytes)", name, type_name(type),
		  ns_msg_count(msg->handle, ns_s_an), ns_msg_count(msg->handle, ns_s_ar), len);
	return MXF_FOUND;
}

/* Asks one candidate; FOUND and NO_DATA both say the name exists there.
 * libresolv reports a SERVFAIL reply like an unreachable server (errno
 * ECONNREFUSED) but leaves the reply in BUF; res_nsearch reads its RCODE to
 * go on searching after SERVFAIL, and so do we. */
static enum mxf_outcome try_candidate(struct mxf_dns *dns, const char *candidate, int type,
				      struct mxf_dnsmsg *msg, char found_at[NS_MAXDNAME])
{
	unsigned char *buf = dns->buf;
	enum mxf_outcome o;

	memset(buf, 0, HFIXEDSZ);
	o = mxf_dns_query_into(dns, candidate, type, false, msg);
	if (o == MXF_FOUND || o == MXF_NO_DATA) {
		/* Not snprintf: this runs on every lookup, and stdio costs 600
		 * instructions here.  An over-long name leaves "": search again. */
		size_t len = strlen(candidate);
		if (len < NS_MAXDNAME)
			memcpy(found_at, candidate, len + 1);
		else
			found_at[0] = '\0';
	}
	if (o == MXF_UNREACHABLE && (buf[2] & 0x80) && (buf[3] & 0x0f) == ns_r_servfail)
		o = MXF_SERVER_FAILED;
	return o;
}

/* Whether the search goes on after outcome O; after SERVFAIL it does, as
 * in glibc, and the search ends in TRY_AGAIN if nothing else answers. */
static bool keep_searching(enum mxf_outcome o, bool *servfail)
{
	if (o == MXF_SERVER_FAILED)
		*servfail = true;
	return o == MXF_NO_NAME || o == MXF_SERVER_FAILED;
}

enum mxf_outcome mxf_dns_search_into(struct mxf_dns *dns, const char *name, int type,
				     struct mxf_dnsmsg *msg, char found_at[NS_MAXDNAME])
{
	res_state res = &dns->res;
	size_t len = strlen(name);
	unsigned dots = 0;
	bool servfail = false, tried_as_is = false;
	char candidate[NS_MAXDNAME];
	enum mxf_outcome o;

	for (const char *p = name; *p != '\0'; p++)
		dots += *p == '.';
	/* An absolute name is asked once, with nss_dns's reading of a failure. */
	if (len > 0 && name[len - 1] == '.')
		return mxf_dns_query_into(dns, name, type, false, msg);
	if (dots == 0) {
		/* HOSTALIASES, as res_nsearch and nss_dns honour it (glibc drops the
		 * variable for setuid programs).  Deprecated, not gone. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
		const char *alias = res_hostalias(res, name, candidate, sizeof(candidate));
#pragma GCC diagnostic pop
		if (alias != NULL)
			return try_candidate(dns, alias, type, msg, found_at);
	}
	if (dots >= res->ndots) {
		tried_as_is = true;
		o = try_candidate(dns, name, type, msg, found_at);
		if (!keep_searching(o, &servfail))
			return o;
	}
	if ((dots == 0 && (res->options & RES_DEFNAMES)) || (dots > 0 && (res->options & RES_DNSRCH))) {
		for (char **domain = res->dnsrch; *domain != NULL; domain++) {
			if (snprintf(candidate, sizeof(candidate), "%s.%s", name, *domain) >=
			    (int)sizeof(candidate))
				continue;
			o = try_candidate(dns, candidate, type, msg, found_at);
			if (!keep_searching(o, &servfail))
				return o;
		}
	}
	if (!tried_as_is) {
		o = try_candidate(dns, name, type, msg, found_at);
		if (!keep_searching(o, &servfail))
			return o;
	}
	return servfail ? MXF_SERVER_FAILED : MXF_NO_NAME;
}

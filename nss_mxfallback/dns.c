#include "dns.h"

#include "log.h"

#include <errno.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>

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
	dns->buf = malloc(NS_MAXMSG);
	if (dns->buf == NULL)
		return MXF_NO_RESOURCES;
	if (cfg->n_dns_servers > 0 && use_servers(&dns->res, cfg) != 0)
		return MXF_NO_RESOURCES;
	return MXF_FOUND;
}

void mxf_dns_close(struct mxf_dns *dns)
{
	if (dns->ready)
		res_nclose(&dns->res);
	free(dns->buf);
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

enum mxf_outcome mxf_dns_query(struct mxf_dns *dns, const char *name, int type, bool search,
			       struct mxf_dnsmsg *msg)
{
	int len;

	errno = 0;
	dns->queries++;
	if (search)
		len = res_nsearch(&dns->res, name, ns_c_in, type, dns->buf, NS_MAXMSG);
	else
		len = res_nquery(&dns->res, name, ns_c_in, type, dns->buf, NS_MAXMSG);
	if (len < 0) {
		enum mxf_outcome o = failure_outcome(dns->res.res_h_errno, errno);
		mxf_log_debug(dns->debug, "%s type %d: h_errno %d errno %d", name, type,
			      dns->res.res_h_errno, errno);
		return o;
	}
	if (len > NS_MAXMSG || mxf_dnsmsg_open(msg, dns->buf, (size_t)len) != 0) {
		mxf_log_debug(dns->debug, "%s type %d: malformed reply ignored", name, type);
		return MXF_NO_RECOVERY;
	}
	return MXF_FOUND;
}

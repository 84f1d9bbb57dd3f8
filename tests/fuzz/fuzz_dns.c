/* libFuzzer target: any bytes as a DNS reply, through every reader the
 * mx and a stages use. */
#include "dnsmsg.h"
#include "mxset.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mxf_mx mx[MXF_MAX_MX_RECORDS];
	unsigned order[MXF_MAX_MX_RECORDS];
	struct mxf_dnsmsg m;
	struct mxf_answer *ans = malloc(sizeof(*ans));
	char canon[NS_MAXDNAME];
	uint32_t ttl = MXF_TTL_NONE;

	if (ans == NULL || mxf_dnsmsg_open(&m, data, size) != 0) {
		free(ans);
		return 0;
	}
	mxf_answer_init(ans);
	if (mxf_dnsmsg_follow_cnames(&m, m.qname, canon, ans, &ttl) >= 0) {
		unsigned n = mxf_dnsmsg_mx(&m, canon, mx, MXF_MAX_MX_RECORDS);
		if (!mxf_mx_is_null(mx, n)) {
			unsigned k = mxf_mx_order(mx, n, size & 1, 5, (uint32_t)size, order);
			for (unsigned i = 0; i < k; i++) {
				mxf_dnsmsg_addresses(&m, ns_s_ar, mx[order[i]].host, AF_INET, ans);
				mxf_dnsmsg_addresses(&m, ns_s_ar, mx[order[i]].host, AF_INET6, ans);
			}
		}
		mxf_dnsmsg_addresses(&m, ns_s_an, canon, AF_INET, ans);
		mxf_dnsmsg_addresses(&m, ns_s_an, canon, AF_INET6, ans);
	}
	free(ans);
	return 0;
}

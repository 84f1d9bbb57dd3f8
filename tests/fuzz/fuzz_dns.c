/* libFuzzer target: any bytes as a DNS reply, through every reader the
 * mx and a stages use. */
#include "dnsmsg.h"
#include "mxpolicy.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The mx stage's policy over the set, each exchanger's addresses taken
 * from the additional section only (no glue: no such name). */
static void run_policy(const struct mxf_dnsmsg *m, const struct mxf_mx *mx, unsigned n,
		       size_t size, struct mxf_answer *ans)
{
	static struct mxf_mx_policy p;
	static struct mxf_answer glue;
	struct mxf_mx_settings set = { .all = size & 1, .max_hosts = 1 + size % 7,
				       .fallback_a = size & 2,
				       .family = (size & 4) ? AF_UNSPEC : AF_INET };
	struct mxf_mx_decision d;

	mxf_mx_policy_init(&p, mx, n, &set, (uint32_t)size);
	while ((d = mxf_mx_policy_decide(&p)).verdict == MXF_MXV_RESOLVE) {
		for (int f = 0; f < 2; f++) {
			int family = f == 0 ? AF_INET : AF_INET6;
			mxf_answer_init(&glue);
			unsigned k = mxf_dnsmsg_addresses(m, ns_s_ar, p.ex[d.exchanger].host_wire, family, &glue);
			mxf_mx_policy_record(&p, d.exchanger, family, k > 0 ? MXF_FOUND : MXF_NO_NAME,
					     glue.addrs, glue.n_addrs, glue.ttl);
		}
	}
	mxf_mx_policy_answer(&p, &d, ans);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mxf_mx mx[MXF_MAX_MX_RECORDS];
	struct mxf_dnsmsg m;
	struct mxf_answer *ans = malloc(sizeof(*ans));
	const unsigned char *canon;
	uint32_t ttl = MXF_TTL_NONE;

	if (ans == NULL || mxf_dnsmsg_open(&m, data, size) != 0) {
		free(ans);
		return 0;
	}
	mxf_answer_init(ans);
	if (mxf_dnsmsg_follow_cnames(&m, m.qname, &canon, ans, &ttl) >= 0) {
		static char hosts[MXF_DNSMSG_NAME_ROOM];
		unsigned n = mxf_dnsmsg_mx(&m, canon, mx, MXF_MAX_MX_RECORDS, hosts, sizeof(hosts));
		if (n > 0)
			run_policy(&m, mx, n, size, ans);
		mxf_dnsmsg_addresses(&m, ns_s_an, canon, AF_INET, ans);
		mxf_dnsmsg_addresses(&m, ns_s_an, canon, AF_INET6, ans);
	}
	free(ans);
	return 0;
}

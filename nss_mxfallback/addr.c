/* Stage a: the name's own A/AAAA records, following CNAMEs, with the
 * canonical name and aliases nss_dns would give. */
#include "stage.h"

#include <sys/socket.h>

static int family_type(int family)
{
	return family == AF_INET ? ns_t_a : ns_t_aaaa;
}

enum mxf_outcome mxf_read_addresses(const struct mxf_dnsmsg *msg, int family, bool with_names,
				    struct mxf_answer *ans)
{
	const unsigned char *canon;
	char text[NS_MAXDNAME];
	uint32_t ttl = MXF_TTL_NONE;
	int hops = mxf_dnsmsg_follow_cnames(msg, msg->qname, &canon, NULL, &ttl);

	if (hops < 0)
		return MXF_ALIAS_ONLY; /* a loop: no address at the end, as nss_dns says */
	/* An answer with records but no address of the family (a CNAME alone):
	 * glibc 2.36's nss_dns says TRYAGAIN, errno ENOENT, NO_RECOVERY; the
	 * integration test compares. */
	if (mxf_dnsmsg_addresses(msg, ns_s_an, canon, family, ans) == 0)
		return MXF_ALIAS_ONLY;
	mxf_answer_lower_ttl(ans, ttl);
	if (with_names) {
		if (!ans->has_name && mxf_dnsmsg_text(canon, text) == 0)
			mxf_answer_set_name(ans, text);
		if (hops > 0) /* now the name is set, the chain's names become aliases */
			mxf_dnsmsg_follow_cnames(msg, msg->qname, &canon, ans, &ttl);
	}
	return MXF_FOUND;
}

enum mxf_outcome mxf_resolve_addresses(struct mxf_query *q, const char *host, bool search,
				       int family, bool with_names, struct mxf_answer *ans)
{
	struct mxf_dns *dns;
	enum mxf_outcome o = mxf_query_dns(q, &dns);

	if (o != MXF_FOUND)
		return o;
	o = mxf_dns_query(dns, host, family_type(family), search);
	if (o != MXF_FOUND)
		return o;
	return mxf_read_addresses(dns->msg, family, with_names, ans);
}

/* The first family's answer is the search walk's; the other family is
 * asked at the name the walk reached, as nss_dns asks A and AAAA of the
 * same candidate, or searched when it reached none. */
static enum mxf_outcome family_addresses(struct mxf_query *q, unsigned i, int family,
					 struct mxf_answer *ans)
{
	const struct mxf_dnsmsg *msg;
	enum mxf_outcome o;

	if (i == 0) {
		o = mxf_query_walk(q, &msg);
		return o == MXF_FOUND ? mxf_read_addresses(msg, family, true, ans) : o;
	}
	if (q->found_at != NULL) {
		char at[NS_MAXDNAME];
		if (mxf_dnsmsg_text(q->found_at, at) != 0)
			return MXF_NO_RECOVERY;
		return mxf_resolve_addresses(q, at, false, family, true, ans);
	}
	return mxf_resolve_addresses(q, q->name, !q->walk_as_written, family, true, ans);
}

enum mxf_outcome mxf_stage_a(struct mxf_query *q, struct mxf_answer *ans)
{
	int families[2];
	unsigned n = mxf_query_families(q, families);
	enum mxf_outcome result = MXF_NO_NAME;
	bool found = false;

	for (unsigned i = 0; i < n; i++) {
		enum mxf_outcome o = family_addresses(q, i, families[i], ans);
		if (o == MXF_FOUND)
			found = true;
		else
			result = mxf_outcome_heavier(result, o);
		/* No such name for one family means none for the other. */
		if (o == MXF_NO_NAME)
			break;
	}
	return found ? MXF_FOUND : result;
}

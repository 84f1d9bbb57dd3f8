#include "mxpolicy.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

static const unsigned char loopback4[4] = { 127, 0, 0, 1 };
static const unsigned char loopback6[16] = { [15] = 1 };

/* ASCII only: DNS names compare without the locale (RFC 4343). */
static bool ends_with_label(const char *name, size_t len, const char *label)
{
	size_t n = strlen(label);

	if (len < n || strncasecmp(name + len - n, label, n) != 0)
		return false;
	return len == n || name[len - n - 1] == '.';
}

/* Whether the LEN bytes of HOST could be an address literal at all: hex
 * digits, dots and colons only.  Most host names fail at their first
 * letter, before inet_pton's parse. */
static bool literal_chars(const char *host, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		char c = host[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ||
		      c == '.' || c == ':'))
			return false;
	}
	return true;
}

enum mxf_mx_kind mxf_mx_classify(const char *host, unsigned char addr[16])
{
	char text[INET6_ADDRSTRLEN];
	size_t len = strlen(host);

	if (len > 0 && host[len - 1] == '.')
		len--;
	if (len == 0)
		return MXF_MXK_NULL;
	/* RFC 6761 §6.3: "localhost." and every name under it. */
	if (ends_with_label(host, len, "localhost"))
		return MXF_MXK_LOCALHOST;
	if (len >= sizeof(text) || !literal_chars(host, len))
		return MXF_MXK_NAME;
	memcpy(text, host, len);
	text[len] = '\0';
	/* inet_pton takes only the strict forms (no "10.1", no octal): what
	 * Postfix's valid_hostaddr calls numeric.  No TLD is all digits. */
	if (inet_pton(AF_INET, text, addr) == 1)
		return MXF_MXK_IPV4;
	if (inet_pton(AF_INET6, text, addr) == 1)
		return MXF_MXK_IPV6;
	return MXF_MXK_NAME;
}

static bool family_asked(const struct mxf_mx_settings *set, int family)
{
	return set->family == AF_UNSPEC || set->family == family;
}

void mxf_mx_policy_init(struct mxf_mx_policy *p, const struct mxf_mx *mx, unsigned n,
			const struct mxf_mx_settings *set, uint32_t seed)
{
	p->set = *set;
	p->n = n < MXF_MAX_MX_RECORDS ? n : MXF_MAX_MX_RECORDS;
	p->null_mx = false;
	p->n_addrs = 0;
	for (unsigned i = 0; i < p->n; i++) {
		struct mxf_mx_exchanger *e = &p->ex[i];
		e->host = mx[i].host;
		e->host_wire = mx[i].host_wire;
		e->preference = mx[i].preference;
		e->ttl = mx[i].ttl;
		e->kind = mxf_mx_classify(e->host, e->literal);
		e->tried[0] = e->tried[1] = false;
		e->outcome[0] = e->outcome[1] = MXF_NO_DATA;
		e->first = e->n_addrs = 0;
		if (e->kind == MXF_MXK_NULL)
			p->null_mx = true;
	}
	p->n_order = mxf_mx_order(mx, p->n, true, MXF_MAX_MX_RECORDS, seed, p->order);
}

void mxf_mx_policy_record(struct mxf_mx_policy *p, unsigned i, int family, enum mxf_outcome o,
			  const struct mxf_address *addrs, unsigned n_addrs, uint32_t ttl)
{
	struct mxf_mx_exchanger *e = &p->ex[i];
	unsigned f = family == AF_INET6;

	e->tried[f] = true;
	e->outcome[f] = o;
	if (o != MXF_FOUND || n_addrs == 0)
		return;
	if (e->n_addrs == 0)
		e->first = p->n_addrs;
	/* An exchanger's addresses stay together in the pool: it is resolved
	 * in one go, before the next one. */
	for (unsigned k = 0; k < n_addrs && p->n_addrs < MXF_MAX_ADDRS; k++) {
		p->addrs[p->n_addrs++] = addrs[k];
		e->n_addrs++;
	}
	if (ttl < e->ttl)
		e->ttl = ttl;
}

enum state { PENDING, HAS_ADDRESS, NO_ADDRESS, FAILED };

/* What exchanger E's lookups say about it; *WHY gets the failure. */
static enum state exchanger_state(const struct mxf_mx_settings *set,
				  const struct mxf_mx_exchanger *e, enum mxf_outcome *why)
{
	enum mxf_outcome worst = MXF_FOUND;

	switch (e->kind) {
	case MXF_MXK_IPV4:
		return family_asked(set, AF_INET) ? HAS_ADDRESS : NO_ADDRESS;
	case MXF_MXK_IPV6:
		return family_asked(set, AF_INET6) ? HAS_ADDRESS : NO_ADDRESS;
	case MXF_MXK_LOCALHOST:
		return HAS_ADDRESS;
	case MXF_MXK_NULL:
		return NO_ADDRESS;
	case MXF_MXK_NAME:
		break;
	}
	for (unsigned f = 0; f < 2; f++) {
		if (!family_asked(set, f == 0 ? AF_INET : AF_INET6))
			continue;
		if (!e->tried[f])
			return PENDING;
		if (e->outcome[f] != MXF_FOUND)
			worst = mxf_outcome_heavier(worst, e->outcome[f]);
	}
	if (e->n_addrs > 0)
		return HAS_ADDRESS;
	/* No such name, no data, a CNAME to nothing: the exchanger simply has
	 * no address.  Anything else may hide one. */
	if (worst <= MXF_ALIAS_ONLY)
		return NO_ADDRESS;
	*why = worst;
	return FAILED;
}

struct walk {
	unsigned used[MXF_MAX_MX_RECORDS]; /* exchangers in the answer, in order */
	unsigned n_used;
	enum mxf_outcome failed; /* MXF_FOUND: nothing failed */
};

/* Goes through the exchangers in order as far as the rules let it, listing
 * those that go into the answer.  Returns the exchanger whose outcome is
 * still needed, or -1 when everything needed is known. */
static int walk(const struct mxf_mx_policy *p, struct walk *w)
{
	uint16_t level = 0;

	w->n_used = 0;
	w->failed = MXF_FOUND;
	for (unsigned k = 0; k < p->n_order; k++) {
		unsigned i = p->order[k];
		const struct mxf_mx_exchanger *e = &p->ex[i];
		enum mxf_outcome why = MXF_FOUND;

		if (w->n_used == p->set.max_hosts)
			break;
		/* best: a level that yielded an address ends the walk. */
		if (!p->set.all && w->n_used > 0 && e->preference != level)
			break;
		switch (exchanger_state(&p->set, e, &why)) {
		case PENDING:
			return (int)i;
		case HAS_ADDRESS:
			if (w->n_used == 0)
				level = e->preference;
			w->used[w->n_used++] = i;
			break;
		case NO_ADDRESS:
			break;
		case FAILED:
			w->failed = mxf_outcome_heavier(w->failed, why);
			/* A server that does not answer will not answer for the
			 * next exchanger either: stop, so the lookup stays bounded. */
			if (why == MXF_UNREACHABLE || why == MXF_NO_SERVERS)
				return -1;
			break;
		}
	}
	return -1;
}

struct mxf_mx_decision mxf_mx_policy_decide(const struct mxf_mx_policy *p)
{
	struct mxf_mx_decision d = { .outcome = MXF_FOUND };
	struct walk w;
	int pending;

	if (p->null_mx) {
		d.verdict = MXF_MXV_NULL_MX;
		d.rule = "null MX: an exchange \".\" in the set means no mail (RFC 7505, as Postfix)";
		return d;
	}
	pending = walk(p, &w);
	if (pending >= 0) {
		d.verdict = MXF_MXV_RESOLVE;
		d.exchanger = (unsigned)pending;
		d.rule = "an exchanger's addresses are needed";
	} else if (w.n_used > 0) {
		d.verdict = MXF_MXV_ADDRESSES;
		d.exchanger = w.used[0];
		d.rule = p->set.all ? "mx_targets all: every exchanger that has an address, best first"
				    : "best: the most-preferred exchangers that have an address "
				      "(RFC 5321 5.1)";
	} else if (w.failed != MXF_FOUND) {
		d.verdict = MXF_MXV_FAILED;
		d.outcome = w.failed;
		d.rule = mxf_outcome_is_temporary(w.failed)
				 ? "no exchanger has an address and one failed temporarily: try again, "
				   "never the domain's own address"
				 : "no exchanger has an address and one's reply was unusable: "
				   "never the domain's own address";
	} else if (p->set.fallback_a) {
		d.verdict = MXF_MXV_FALLBACK_A;
		d.rule = "no exchanger has an address: on to the domain's own addresses "
			 "(mx_fallback a, as IMS did)";
	} else {
		d.verdict = MXF_MXV_NOT_FOUND;
		d.outcome = MXF_NO_DATA;
		d.rule = "no exchanger has an address: not found (mx_fallback none, RFC 5321 5.1)";
	}
	return d;
}

static void add_literal(const struct mxf_mx_settings *set, const struct mxf_mx_exchanger *e,
			struct mxf_answer *ans)
{
	bool v4 = family_asked(set, AF_INET), v6 = family_asked(set, AF_INET6);

	if (e->kind == MXF_MXK_IPV4 && v4)
		mxf_answer_add_address(ans, AF_INET, e->literal);
	else if (e->kind == MXF_MXK_IPV6 && v6)
		mxf_answer_add_address(ans, AF_INET6, e->literal);
	else if (e->kind == MXF_MXK_LOCALHOST) {
		if (v4)
			mxf_answer_add_address(ans, AF_INET, loopback4);
		if (v6)
			mxf_answer_add_address(ans, AF_INET6, loopback6);
	}
}

unsigned mxf_mx_policy_answer(const struct mxf_mx_policy *p, const struct mxf_mx_decision *d,
			      struct mxf_answer *ans)
{
	struct walk w;

	if (d->verdict != MXF_MXV_ADDRESSES)
		return 0;
	walk(p, &w);
	for (unsigned k = 0; k < w.n_used; k++) {
		const struct mxf_mx_exchanger *e = &p->ex[w.used[k]];
		if (e->kind == MXF_MXK_NAME)
			for (unsigned a = e->first; a < e->first + e->n_addrs; a++)
				mxf_answer_add_address(ans, p->addrs[a].family, p->addrs[a].bytes);
		else
			add_literal(&p->set, e, ans);
		mxf_answer_lower_ttl(ans, e->ttl);
	}
	/* The name of a literal exchanger is its address, as written. */
	mxf_answer_set_name(ans, p->ex[d->exchanger].host);
	return w.n_used;
}

#include "bcast_rules.h"

#include <net/if.h>
#include <string.h>
#include <sys/socket.h>

static bool listed(const struct mxf_bcast_target *targets, unsigned n, const struct in_addr *addr)
{
	for (unsigned i = 0; i < n; i++)
		if (targets[i].addr.sin_addr.s_addr == addr->s_addr &&
		    targets[i].addr.sin_port == htons(MXF_NB_PORT))
			return true;
	return false;
}

/* The IPv4 address in SA (AF_INET); copied, as getifaddrs' sockaddrs are
 * not promised to be aligned for struct sockaddr_in. */
static struct in_addr in_addr_of(const struct sockaddr *sa)
{
	struct sockaddr_in sin;

	memcpy(&sin, sa, sizeof(sin));
	return sin.sin_addr;
}

/* IFF_POINTOPOINT is refused even with IFF_BROADCAST: there ifa_broadaddr
 * is ifa_dstaddr, the peer's address (one union in struct ifaddrs). */
void mxf_bcast_add_interfaces(const struct ifaddrs *list, struct mxf_bcast_target *targets,
			      unsigned *n)
{
	for (const struct ifaddrs *i = list; i != NULL && *n < MXF_MAX_BCAST; i = i->ifa_next) {
		const unsigned want = IFF_UP | IFF_BROADCAST;
		if (i->ifa_addr == NULL || i->ifa_addr->sa_family != AF_INET ||
		    (i->ifa_flags & want) != want || (i->ifa_flags & (IFF_LOOPBACK | IFF_POINTOPOINT)) ||
		    i->ifa_broadaddr == NULL || i->ifa_broadaddr->sa_family != AF_INET ||
		    i->ifa_netmask == NULL)
			continue;
		struct in_addr bcast = in_addr_of(i->ifa_broadaddr);
		if (bcast.s_addr == 0 || listed(targets, *n, &bcast))
			continue;
		struct mxf_bcast_target *t = &targets[(*n)++];
		memset(t, 0, sizeof(*t));
		t->addr.sin_family = AF_INET;
		t->addr.sin_port = htons(MXF_NB_PORT);
		t->addr.sin_addr = bcast;
		t->netmask = in_addr_of(i->ifa_netmask);
	}
}

/* Whether FROM may answer a query sent to T. */
static bool from_target(const struct sockaddr_in *from, const struct mxf_bcast_target *t)
{
	uint32_t mask = t->netmask.s_addr;

	return from->sin_port == t->addr.sin_port &&
	       (from->sin_addr.s_addr & mask) == (t->addr.sin_addr.s_addr & mask);
}

enum mxf_bcast_verdict mxf_bcast_judge(const unsigned char *pkt, size_t len,
				       const struct sockaddr_in *from, uint16_t id,
				       const unsigned char name[MXF_NB_NAME_LEN],
				       const struct mxf_bcast_target *targets, unsigned n,
				       struct mxf_nb_reply *out)
{
	unsigned i;

	if (from->sin_family != AF_INET)
		return MXF_BCAST_STRANGER;
	for (i = 0; i < n && !from_target(from, &targets[i]); i++)
		;
	if (i == n)
		return MXF_BCAST_STRANGER;
	if (mxf_nb_parse_reply(pkt, len, id, name, out) != 0)
		return MXF_BCAST_NOT_OURS;
	return out->kind == MXF_NB_POSITIVE ? MXF_BCAST_TAKEN : MXF_BCAST_NEGATIVE;
}

bool mxf_bcast_same_answer(const struct mxf_nb_reply *a, const struct mxf_nb_reply *b)
{
	if (a->n_addrs != b->n_addrs)
		return false;
	for (unsigned i = 0; i < a->n_addrs; i++)
		if (a->addrs[i].s_addr != b->addrs[i].s_addr)
			return false;
	return true;
}

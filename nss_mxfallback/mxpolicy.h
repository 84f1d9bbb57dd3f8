/* Which addresses a set of MX records leads to: one pure decision over the
 * MX set as read and what each exchanger's address lookups gave, with no
 * I/O.  The mx stage asks it what to resolve next and, at the end, what to
 * answer; the unit tests give it the outcomes a DNS server would.
 *
 * The rules (RFC 5321 §5.1, RFC 7505, RFC 6761 §6.3; Postfix's
 * src/smtp/smtp_addr.c and src/dns/dns_lookup.c where the RFCs leave a gap):
 *  - null MX: an exchange "." anywhere in the set means no mail for the
 *    whole set (Postfix's DNS_NULLMX), and no fallback of any kind;
 *  - exchangers are taken by preference, equal preferences shuffled; an
 *    exchanger that has no address of the asked family(ies) is skipped,
 *    whatever the reason (no such name, no data, a CNAME to nothing);
 *  - best (mx_targets best): the answer is the most-preferred exchangers
 *    that have an address; resolving stops after the first preference
 *    level that yields one.  all: every exchanger's addresses, best first;
 *  - at most MAX_HOSTS exchangers with addresses go into the answer;
 *  - an exchanger written as an address ("192.0.2.25.", "2001:db8::25.") is
 *    that address, with no DNS query (Postfix delivers to it); it has no
 *    address of the other family (no IPv4-mapped IPv6 is made);
 *  - "localhost." and names under ".localhost." are 127.0.0.1 and ::1, with
 *    no DNS query (RFC 6761 §6.3);
 *  - when no exchanger has an address: a temporary failure of any of them
 *    gives that failure (the mailer retries later), as does a reply that was
 *    unusable (malformed, refused as FORMERR); otherwise IMS's rule falls
 *    back to the domain's own addresses (FALLBACK_A), or, with FALLBACK_A
 *    off (mx_fallback none, RFC 5321's rule), not found;
 *  - a timeout ends the resolving: the servers are not answering, and every
 *    lookup must end in bounded time.
 * Not a rule here: an MX set that is empty (the implicit MX) is the caller's. */
#ifndef MXF_MXPOLICY_H
#define MXF_MXPOLICY_H

#include "answer.h"
#include "mxset.h"
#include "outcome.h"

#include <stdbool.h>
#include <stdint.h>

/* What an exchange name is. */
enum mxf_mx_kind {
	MXF_MXK_NAME, /* a host name: its addresses come from DNS */
	MXF_MXK_NULL, /* "." */
	MXF_MXK_IPV4, /* an IPv4 address literal */
	MXF_MXK_IPV6, /* an IPv6 address literal */
	MXF_MXK_LOCALHOST, /* localhost or a name under .localhost */
};

/* Classifies HOST (as libresolv writes it, "" for the root; a trailing dot
 * is allowed) and, for literals, writes its address to ADDR (4 or 16 bytes). */
enum mxf_mx_kind mxf_mx_classify(const char *host, unsigned char addr[16]);

struct mxf_mx_settings {
	bool all; /* mx_targets all */
	unsigned max_hosts; /* mx_max_hosts, >= 1 */
	bool fallback_a; /* mx_fallback a: IMS's rule */
	int family; /* AF_INET, AF_INET6 or AF_UNSPEC (both) */
};

struct mxf_mx_exchanger {
	const char *host; /* the MX record's; not copied */
	const unsigned char *host_wire; /* the same name in wire form */
	uint16_t preference;
	uint32_t ttl; /* the MX record's, lowered by the addresses' */
	enum mxf_mx_kind kind;
	unsigned char literal[16];
	/* Per asked family (index 0: AF_INET, 1: AF_INET6). */
	bool tried[2];
	enum mxf_outcome outcome[2];
	unsigned first, n_addrs; /* in the policy's address pool */
};

struct mxf_mx_policy {
	struct mxf_mx_settings set;
	unsigned n;
	struct mxf_mx_exchanger ex[MXF_MAX_MX_RECORDS];
	unsigned order[MXF_MAX_MX_RECORDS]; /* by preference, equal ones shuffled */
	unsigned n_order; /* exchangers other than "." */
	bool null_mx;
	unsigned n_addrs;
	struct mxf_address addrs[MXF_MAX_ADDRS];
};

enum mxf_mx_verdict {
	MXF_MXV_RESOLVE, /* ask for exchanger EXCHANGER's addresses, record them, ask again */
	MXF_MXV_ADDRESSES, /* answer: mxf_mx_policy_answer; EXCHANGER names it */
	MXF_MXV_NULL_MX, /* no mail: not found, NO_DATA, no later stage */
	MXF_MXV_FALLBACK_A, /* IMS: on to the domain's own addresses */
	MXF_MXV_NOT_FOUND, /* mx_fallback none: not found, NO_DATA, no later stage */
	MXF_MXV_FAILED, /* OUTCOME (temporary or unusable): no address of the domain */
};

struct mxf_mx_decision {
	enum mxf_mx_verdict verdict;
	unsigned exchanger; /* index into the MX set as given */
	enum mxf_outcome outcome; /* MXF_MXV_FAILED: why */
	const char *rule; /* the rule that decided, in words, for the trace */
};

/* Sets P up for the N records of MX (N <= MXF_MAX_MX_RECORDS) under SET;
 * SEED shuffles equal preferences (RFC 5321 §5.1).  P keeps pointers to the
 * hosts of MX, not MX itself. */
void mxf_mx_policy_init(struct mxf_mx_policy *p, const struct mxf_mx *mx, unsigned n,
			const struct mxf_mx_settings *set, uint32_t seed);

/* The decision for what is known so far: pure, and the same for the same
 * outcomes.  RESOLVE asks for one more exchanger; every other verdict is
 * final.  Literal and localhost exchangers are never asked for. */
struct mxf_mx_decision mxf_mx_policy_decide(const struct mxf_mx_policy *p);

/* Records what asking exchanger I for FAMILY's addresses gave: O, and when O
 * is MXF_FOUND the N_ADDRS addresses of ADDRS (FAMILY's), their smallest
 * TTL being TTL.  Addresses past the pool's MXF_MAX_ADDRS are dropped. */
void mxf_mx_policy_record(struct mxf_mx_policy *p, unsigned i, int family, enum mxf_outcome o,
			  const struct mxf_address *addrs, unsigned n_addrs, uint32_t ttl);

/* Fills ANS for an ADDRESSES decision D: the addresses of the exchangers
 * used, in order, the first exchanger's name as the name, the smallest TTL
 * of the records used.  Returns how many exchangers went in. */
unsigned mxf_mx_policy_answer(const struct mxf_mx_policy *p, const struct mxf_mx_decision *d,
			      struct mxf_answer *ans);

#endif

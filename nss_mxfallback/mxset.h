/* The rules of RFC 5321 §5.1 and RFC 7505 over a set of MX records: pure,
 * so every rule is unit-tested without a DNS server. */
#ifndef MXF_MXSET_H
#define MXF_MXSET_H

#include "dnsmsg.h"

#include <stdbool.h>
#include <stdint.h>

/* More MX records than this in one answer are ignored. */
#define MXF_MAX_MX_RECORDS 64

/* Writes to ORDER the indexes of the usable exchangers (not ".") to try:
 * by preference, equal preferences shuffled with SEED (RFC 5321 §5.1),
 * only the most preferred unless ALL, at most MAX_HOSTS.  Returns how many. */
unsigned mxf_mx_order(const struct mxf_mx *mx, unsigned n, bool all, unsigned max_hosts,
		      uint32_t seed, unsigned *order);

#endif

/* How a stage or a DNS query ended, in words every stage shares.  Ordered by
 * weight: when no stage finds an address, the heaviest outcome seen is what
 * the caller is told (a temporary DNS failure outweighs "no such name", so a
 * mailer defers instead of bouncing).  nss.c maps these to NSS statuses. */
#ifndef MXF_OUTCOME_H
#define MXF_OUTCOME_H

#include <stdbool.h>

enum mxf_outcome {
	MXF_FOUND,
	MXF_NO_NAME, /* the name does not exist here: HOST_NOT_FOUND */
	MXF_NO_DATA, /* the name exists without an address of the family */
	MXF_ALIAS_ONLY, /* an answer of CNAMEs without an address at their end */
	MXF_NO_RECOVERY, /* refused (REFUSED, FORMERR, NOTIMP) */
	MXF_MALFORMED, /* a reply that fails validation */
	MXF_SERVER_FAILED, /* SERVFAIL: temporary */
	MXF_UNREACHABLE, /* no server answered in time: temporary */
	MXF_NO_SERVERS, /* the resolver state has no server (ESRCH): temporary */
	MXF_NO_RESOURCES, /* out of file descriptors or memory */
};

static inline bool mxf_outcome_is_temporary(enum mxf_outcome o)
{
	return o >= MXF_SERVER_FAILED;
}

static inline enum mxf_outcome mxf_outcome_heavier(enum mxf_outcome a, enum mxf_outcome b)
{
	return a > b ? a : b;
}

static inline const char *mxf_outcome_name(enum mxf_outcome o)
{
	static const char *const names[] = { "found",	      "no such name", "no data",
					     "alias only",    "no recovery",  "malformed",
					     "server failed", "unreachable",  "no servers",
					     "no resources" };

	return names[o];
}

#endif

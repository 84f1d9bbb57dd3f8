/* The rules of the bcast stage that decide an answer, kept apart from its
 * sockets so that they can be tested over plain bytes: which broadcast
 * addresses `auto` means, which datagram counts as the answer, and when two
 * answers disagree.  Pure: no I/O, no globals. */
#ifndef MXF_BCAST_RULES_H
#define MXF_BCAST_RULES_H

#include "config.h"
#include "nbns.h"

#include <ifaddrs.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Adds to TARGETS (holding *N, at most MXF_MAX_BCAST) the broadcast address
 * of every interface in LIST (as getifaddrs(3) gives it) that is IPv4, up,
 * not loopback nor point-to-point and has one, port 137, with that
 * interface's netmask.  An
 * address already in TARGETS is not added twice. */
void mxf_bcast_add_interfaces(const struct ifaddrs *list, struct mxf_bcast_target *targets,
			      unsigned *n);

enum mxf_bcast_verdict {
	MXF_BCAST_TAKEN, /* a positive answer for our name: OUT holds it */
	MXF_BCAST_STRANGER, /* not from port 137 (the port asked) of a subnet asked */
	MXF_BCAST_NOT_OURS, /* not a reply to our query (ID, name, opcode, bytes) */
	MXF_BCAST_NEGATIVE, /* a reply that gives no address (negative, WACK) */
};

/* Judges the datagram PKT (LEN bytes) that came from FROM, after the query
 * ID for NAME went to the N addresses of TARGETS.  It counts only when FROM
 * has the port of a target and, for a target whose netmask is known, lies
 * inside that target's subnet; and when mxf_nb_parse_reply reads it as a
 * positive answer with at least one usable address (0.0.0.0 and
 * 255.255.255.255 are left out, the others kept in order). */
enum mxf_bcast_verdict mxf_bcast_judge(const unsigned char *pkt, size_t len,
				       const struct sockaddr_in *from, uint16_t id,
				       const unsigned char name[MXF_NB_NAME_LEN],
				       const struct mxf_bcast_target *targets, unsigned n,
				       struct mxf_nb_reply *out);

/* Whether two answers give the same addresses in the same order. */
bool mxf_bcast_same_answer(const struct mxf_nb_reply *a, const struct mxf_nb_reply *b);

#endif

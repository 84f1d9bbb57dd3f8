/* A NetBIOS name server for one test case: UDP on 127.0.0.1 at a port the
 * kernel picks, in a thread of the test process, answering each NAME QUERY
 * REQUEST as the case's script says (RFC 1002 §4.2.13 positive, §4.2.14
 * negative, or nothing).  Its own codec, not the module's: it decodes the
 * first-level encoding (RFC 1001 §14.1) itself.  Counts queries by name. */
#ifndef FAKENBNS_H
#define FAKENBNS_H

#include <stdint.h>

enum fake_nb_kind { FAKE_NB_POSITIVE, FAKE_NB_NEGATIVE, FAKE_NB_SILENT };

struct fake_nb_script {
	enum fake_nb_kind kind;
	const char *addrs[4]; /* positive answer: up to 4, NULL-terminated */
	uint32_t ttl;
	/* Non-NULL: before the real answer, a positive one with this address
	 * under another transaction ID. */
	const char *wrong_id_addr;
};

struct fake_nbns *fake_nbns_start(const struct fake_nb_script *script);
unsigned fake_nbns_port(const struct fake_nbns *nbns);

/* Queries received for the 16-byte NetBIOS name NAME, space-padded to 15,
 * with SUFFIX; NAME NULL counts every query. */
unsigned fake_nbns_count(struct fake_nbns *nbns, const char *name, unsigned char suffix);

void fake_nbns_stop(struct fake_nbns *nbns);

#endif

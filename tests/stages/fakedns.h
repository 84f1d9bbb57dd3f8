/* A DNS server for one test case, after glibc's support/resolv_test.c: UDP
 * on 127.0.0.1 at a port the kernel picks, in a thread of the test process,
 * answering each query with what the case's callback builds.  No root, no
 * namespace.  It counts every query by name and type, so a case can assert
 * what the module did not ask. */
#ifndef FAKEDNS_H
#define FAKEDNS_H

#include "dnsbuild.h"

#include <arpa/nameser.h>
#include <stdbool.h>

/* One query as the callback sees it. */
struct fake_query {
	char qname[NS_MAXDNAME]; /* as asked, no trailing dot */
	int qtype;
	/* The reply: a NOERROR response with the question and no records.
	 * The callback adds records with the db_* helpers, in section order. */
	struct dnsbuild reply;
	int rcode; /* ns_r_noerror unless the callback says otherwise */
	bool drop; /* true: send nothing (a silent server) */
};

typedef void fake_dns_answer(struct fake_query *q);

/* Starts the server; ck_assert fails the case if it cannot. */
struct fake_dns *fake_dns_start(fake_dns_answer *answer);
unsigned fake_dns_port(const struct fake_dns *dns);

/* Queries received for NAME (case-insensitive, no trailing dot; NULL for
 * any name) and TYPE (ns_t_any for any type). */
unsigned fake_dns_count(struct fake_dns *dns, const char *name, int type);

void fake_dns_stop(struct fake_dns *dns);

/* True when Q asks NAME (case-insensitive) and TYPE. */
bool fake_asks(const struct fake_query *q, const char *name, int type);

#endif

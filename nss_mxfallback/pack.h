/* Converts an answer into the caller's buffer: a struct hostent for one
 * family, or a gaih_addrtuple list.  Sizes first: nothing is written unless
 * all of it fits. */
#ifndef MXF_PACK_H
#define MXF_PACK_H

#include "answer.h"

#include <netdb.h>
#include <nss.h>
#include <stdbool.h>
#include <stddef.h>

/* Whether ANS can be packed for FAMILY (AF_INET, AF_INET6, or AF_UNSPEC
 * for tuples of both): it has a name and at least one such address.  Every
 * function below requires it; nss.c checks it once per answer, before the
 * first of them runs. */
bool mxf_pack_usable(const struct mxf_answer *ans, int family);

/* Bytes BUF must offer for the hostent of ANS's FAMILY addresses. */
size_t mxf_pack_hostent_size(const struct mxf_answer *ans, int family, const char *buf);

/* Returns 0, or -1 when BUFLEN is too small (the caller says ERANGE). */
int mxf_pack_hostent(const struct mxf_answer *ans, int family, struct hostent *host, char *buf,
		     size_t buflen);

/* Bytes BUF must offer for the tuples (one fewer when PREALLOCATED: a
 * caller such as older nscd hands in the first tuple in *pat). */
size_t mxf_pack_tuples_size(const struct mxf_answer *ans, bool preallocated, const char *buf);

/* Every tuple carries the name (getaddrinfo strdup()s the first one's).
 * Returns 0, or -1 when BUFLEN is too small. */
int mxf_pack_tuples(const struct mxf_answer *ans, struct gaih_addrtuple **pat, char *buf,
		    size_t buflen);

#endif

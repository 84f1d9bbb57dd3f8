/* The LMHOSTS file and its includes, parsed once into hash tables and
 * re-parsed when any of the files changes. */
#ifndef MXF_LMHOSTS_H
#define MXF_LMHOSTS_H

#include "answer.h"
#include "config.h"

#include <stdbool.h>
#include <stdint.h>

/* LMHOSTS has no TTL; Windows keeps remote names 10 minutes (CacheTimeout). */
#define MXF_LMHOSTS_TTL 600

/* Fills ANS with the name of IPv4 address ADDR (network order) as the file
 * at CFG->lmhosts writes it; false when the file does not have it. */
bool mxf_lmhosts_reverse(const struct mxf_config *cfg, uint32_t addr, struct mxf_answer *ans);

#endif

/* The LMHOSTS file and its includes, parsed once into hash tables and
 * re-parsed when any of the files changes. */
#ifndef MXF_LMHOSTS_H
#define MXF_LMHOSTS_H

#include "answer.h"
#include "config.h"

#include <stdbool.h>
#include <stdint.h>

/* How deep #INCLUDEs nest below the main file (which is depth 0): a chain
 * of this many includes is read, one more is skipped. */
#define MXF_LM_MAX_INCLUDE_DEPTH 8

/* LMHOSTS has no TTL; Windows keeps remote names 10 minutes (CacheTimeout). */
#define MXF_LMHOSTS_TTL 600

/* Fills ANS with the name of IPv4 address ADDR (network order) as the file
 * at CFG->lmhosts writes it; false when the file does not have it.  Only a
 * name whose forward lookup gives ADDR is returned (mxf_lm_table_find_addr). */
bool mxf_lmhosts_reverse(const struct mxf_config *cfg, uint32_t addr, struct mxf_answer *ans);

#endif

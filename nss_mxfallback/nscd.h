/* The module inside nscd or unscd: the lookup runs in the cache daemon, so
 * mx_programs sees the daemon's name, not the name of the program asking. */
#ifndef MXF_NSCD_H
#define MXF_NSCD_H

#include "config.h"

#include <stdbool.h>

/* True when PROGRAM (a program_invocation_short_name) is a hosts cache
 * daemon glibc's clients hand their lookups to: nscd or unscd. */
bool mxf_is_nscd(const char *program);

/* Logs once per process, at LOG_WARNING, when the module runs inside nscd
 * with the mx stage on and mx_programs naming programs: nscd then gives
 * every client the same answers, MX-first for all (nscd listed) or for none
 * (mail programs included).  Thread-safe; costs a compare afterwards. */
void mxf_nscd_warn_once(const struct mxf_config *cfg);

#endif

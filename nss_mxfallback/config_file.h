/* The configuration file as the running process sees it: read once, re-read
 * when it changes, shared by all threads. */
#ifndef MXF_CONFIG_FILE_H
#define MXF_CONFIG_FILE_H

#include "config.h"

/* Fills CFG with a snapshot of the current settings (defaults when the file
 * does not exist).  Returns -1 when the file cannot be read or parsed: the
 * lookup must then return NSS_STATUS_UNAVAIL.  Costs one stat() when the
 * file has not changed. */
int mxf_config_current(struct mxf_config *cfg);

/* The path in use: $NSS_MXFALLBACK_CONF unless the process is setuid. */
const char *mxf_config_path(void);

#endif

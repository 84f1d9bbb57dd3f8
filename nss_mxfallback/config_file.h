/* The configuration file as the running process sees it: read once, re-read
 * when it changes, shared by all threads. */
#ifndef MXF_CONFIG_FILE_H
#define MXF_CONFIG_FILE_H

#include "config.h"

#define MXF_CONFIG_BROKEN (-1)
#define MXF_CONFIG_NO_MEMORY (-2)

/* Points *CFG at the current settings (defaults when the file does not
 * exist), held until mxf_config_release: a reload meanwhile does not change
 * them.  Returns 0; MXF_CONFIG_BROKEN when the file cannot be read or
 * parsed (the lookup must then return NSS_STATUS_UNAVAIL); or
 * MXF_CONFIG_NO_MEMORY.  Costs one stat() when the file has not changed. */
int mxf_config_acquire(const struct mxf_config **cfg);
void mxf_config_release(const struct mxf_config *cfg);

/* The path in use: $NSS_MXFALLBACK_CONF unless the process is setuid. */
const char *mxf_config_path(void);

#endif

/* The configuration file as the running process sees it: read once, re-read
 * when it changes, shared by all threads.  The module and mxfallback-query
 * both load it here, so they read, limit and judge it the same way. */
#ifndef MXF_CONFIG_FILE_H
#define MXF_CONFIG_FILE_H

#include "config.h"

#include <stddef.h>

#define MXF_CONFIG_BROKEN (-1)
#define MXF_CONFIG_NO_MEMORY (-2)

/* A config file is a few lines; anything bigger is a mistake, not a config. */
#define MXF_MAX_CONFIG_SIZE (64 * 1024)

/* Points *CFG at the settings of the file at PATH (the defaults when it does
 * not exist), held until mxf_config_release: a reload meanwhile does not
 * change them.  Returns 0; MXF_CONFIG_BROKEN when the file cannot be read
 * (not a regular file, over MXF_MAX_CONFIG_SIZE, unreadable) or parsed
 * (the lookup must then return NSS_STATUS_UNAVAIL), with why in WHY
 * ("PATH:LINE: message", WHY_LEN bytes, may be NULL); or
 * MXF_CONFIG_NO_MEMORY.  Costs one stat() when the file has not changed;
 * a broken file is logged once per change. */
int mxf_config_load(const char *path, const struct mxf_config **cfg, char *why, size_t why_len);

/* mxf_config_load of mxf_config_path(). */
int mxf_config_acquire(const struct mxf_config **cfg);
void mxf_config_release(const struct mxf_config *cfg);

/* The path in use: $NSS_MXFALLBACK_CONF unless the process is setuid. */
const char *mxf_config_path(void);

#endif

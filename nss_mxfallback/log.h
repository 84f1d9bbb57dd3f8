/* Diagnostics go to syslog only: the module lives inside other people's
 * programs, whose stdout and stderr are not ours. */
#ifndef MXF_LOG_H
#define MXF_LOG_H

#include <stdbool.h>

/* One line at LOG_DEBUG, only when the config says "debug yes". */
void mxf_log_debug(bool enabled, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* One line at LOG_WARNING: a setting that does not do what it says here;
 * callers make sure it is said once. */
void mxf_log_warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* One line at LOG_ERR; callers make sure each error is said once. */
void mxf_log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif

#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>

/* No openlog(): the ident and facility belong to the host program. */
static void vlog(int priority, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

static void vlog(int priority, const char *fmt, va_list ap)
{
	char line[512];
	int saved_errno = errno;

	vsnprintf(line, sizeof(line), fmt, ap);
	syslog(LOG_USER | priority, "nss_mxfallback: %s", line);
	errno = saved_errno;
}

void mxf_log_debug(bool enabled, const char *fmt, ...)
{
	va_list ap;

	if (!enabled)
		return;
	va_start(ap, fmt);
	vlog(LOG_DEBUG, fmt, ap);
	va_end(ap);
}

void mxf_log_warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_WARNING, fmt, ap);
	va_end(ap);
}

void mxf_log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_ERR, fmt, ap);
	va_end(ap);
}

#include "trace.h"

#include <stdarg.h>
#include <stdio.h>

void mxf_trace(const struct mxf_trace *t, const char *fmt, ...)
{
	char line[1200];
	va_list ap;

	if (t == NULL || t->fn == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	t->fn(t->ctx, line);
}

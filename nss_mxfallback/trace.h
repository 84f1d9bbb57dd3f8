/* An optional observer of a lookup: mxfallback-query sets one to explain
 * each answer; the NSS module never does, so tracing costs it one test of
 * a NULL pointer. */
#ifndef MXF_TRACE_H
#define MXF_TRACE_H

typedef void mxf_trace_fn(void *ctx, const char *line);

struct mxf_trace {
	mxf_trace_fn *fn; /* NULL: nobody listens */
	void *ctx;
};

void mxf_trace(const struct mxf_trace *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif

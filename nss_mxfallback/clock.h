/* The one clock every time bound of a lookup is measured on. */
#ifndef MXF_CLOCK_H
#define MXF_CLOCK_H

#include <stdint.h>
#include <time.h>

/* Milliseconds on CLOCK_MONOTONIC: never jumps with the wall clock. */
static inline int64_t mxf_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#endif

/* mxfallback-query --check: deployment mistakes, found in the files a host
 * really has (nsswitch.conf, the module's config, resolv.conf, nscd.conf,
 * Postfix's main.cf and master.cf through postconf, Exim's configuration). */
#ifndef MXF_DEPLOY_CHECK_H
#define MXF_DEPLOY_CHECK_H

#include <stdio.h>

struct mxf_check_options {
	const char *root; /* every path below is read under it; "/" normally */
	const char *config; /* NULL: ROOT/etc/nss_mxfallback.conf */
};

/* Writes one line per mistake to OUT, "FILE: what is wrong; the fix".
 * Returns the number of mistakes found (0: clean). */
unsigned mxf_check(const struct mxf_check_options *opt, FILE *out);

#endif

/* libFuzzer target: any bytes as /etc/nss_mxfallback.conf. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mxf_config *cfg = malloc(sizeof(*cfg));
	struct mxf_config_error err;

	if (cfg != NULL && mxf_config_parse((const char *)data, size, cfg, &err) == 0)
		mxf_config_mx_allowed(cfg, "smtp");
	free(cfg);
	return 0;
}

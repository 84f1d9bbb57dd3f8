/* Unit tests of the pure parts: config parsing, DNS answers, MX rules,
 * the neutral answer and the buffer packer.  TAP output when
 * CK_TAP_LOG_FILE_NAME=- (as make check sets it). */
#include "suites.h"

#include <stdlib.h>

int main(void)
{
	SRunner *sr = srunner_create(config_suite());
	int failed;

	srunner_add_suite(sr, dnsmsg_suite());
	srunner_add_suite(sr, mxset_suite());
	srunner_add_suite(sr, mxpolicy_suite());
	srunner_add_suite(sr, answer_suite());
	srunner_add_suite(sr, pack_suite());
	srunner_add_suite(sr, nbns_suite());
	srunner_add_suite(sr, lmhosts_suite());
	srunner_add_suite(sr, bcast_suite());
	srunner_add_suite(sr, lmhosts_files_suite());
	srunner_add_suite(sr, snapshot_suite());
	srunner_add_suite(sr, workspace_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

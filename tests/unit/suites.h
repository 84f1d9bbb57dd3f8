#ifndef SUITES_H
#define SUITES_H

#include <check.h>

Suite *config_suite(void);
Suite *dnsmsg_suite(void);
Suite *mxset_suite(void);
Suite *mxpolicy_suite(void);
Suite *answer_suite(void);
Suite *pack_suite(void);
Suite *nbns_suite(void);
Suite *lmhosts_suite(void);
Suite *bcast_suite(void);
Suite *lmhosts_files_suite(void);
Suite *snapshot_suite(void);
Suite *workspace_suite(void);

#endif

#ifndef STAGES_SUITES_H
#define STAGES_SUITES_H

#include <check.h>

Suite *mx_suite(void);
Suite *mxchoice_suite(void);
Suite *a_suite(void);
Suite *wins_suite(void);
Suite *nss_suite(void);

#endif

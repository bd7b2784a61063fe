// SPDX-License-Identifier: GPL-2.0
/* --format perf-data: not written yet (issue 13); refused. */
#include "report.h"

int perf_data_write(struct report *r, FILE *f)
{
	(void)r;
	(void)f;
	fprintf(stderr, "adprofctl: report: --format perf-data is not implemented yet\n");
	return -1;
}

// SPDX-License-Identifier: GPL-2.0
/* --format pprof: not written yet (issue 13); refused. */
#include "report.h"

int pprof_write(struct report *r, FILE *f)
{
	(void)r;
	(void)f;
	fprintf(stderr, "adprofctl: report: --format pprof is not implemented yet\n");
	return -1;
}

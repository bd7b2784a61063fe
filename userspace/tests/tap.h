/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The TAP harness of adprofctl's unit tests: check() prints one "ok N -"
 * or "not ok N -" line per case, tap_done() the plan and a count after
 * the last, and gives main() its exit status. Each test program is one
 * file that includes this once.
 */
#ifndef ADPROF_TESTS_TAP_H
#define ADPROF_TESTS_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

static unsigned int n_run, n_failed;

__attribute__((format(printf, 2, 3)))
static void check(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %u - ", ok ? "" : "not ", ++n_run);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!ok)
		n_failed++;
}

/* The plan, then "# P passed, F failed". Return: main()'s exit status */
static int tap_done(void)
{
	printf("1..%u\n# %u passed, %u failed\n", n_run, n_run - n_failed,
	       n_failed);
	return n_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif /* ADPROF_TESTS_TAP_H */

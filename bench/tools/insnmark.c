// SPDX-License-Identifier: GPL-2.0
/*
 * insnmark: execute the marker instruction of the insn TCG plugin
 * (bench/insn-plugin/insn.c), so the host learns how many guest
 * instructions ran up to this point, and say which window it marks.
 *
 *   insnmark LABEL        one marker
 *   insnmark -l N LABEL   a marker, N turns of a two-instruction loop,
 *                         a marker: the exactness check of the counter
 *
 * Prints "INSNMARK LABEL MONO_NS" per marker, in the order executed, with
 * CLOCK_MONOTONIC read right after it; the host pairs these lines with
 * the plugin's "marker N" lines in order (-l: LABEL.0 and LABEL.1, both
 * with the time after the loop).
 * The marker, xchg %bx,%bx (66 87 db), changes nothing; outside the
 * plugin it is just a slow no-op. The clock is read after each marker so
 * neither the read nor the printing falls inside a -l window.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static unsigned long long mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	unsigned long long t;
	unsigned long n;

	if (argc == 2 && argv[1][0] != '-') {
		__asm__ volatile("xchg %%bx, %%bx" ::: "memory");
		t = mono_ns();
		printf("INSNMARK %s %llu\n", argv[1], t);
		return 0;
	}
	if (argc != 4 || strcmp(argv[1], "-l"))
		goto usage;
	n = strtoul(argv[2], NULL, 0);
	if (!n)
		goto usage;
	/*
	 * User instructions between the two markers: the mov and 2 * n, plus
	 * the marker itself once (whichever side of it the plugin counts).
	 */
	__asm__ volatile("xchg %%bx, %%bx\n\t"
			 "mov %0, %%rcx\n"
			 "1:\tdec %%rcx\n\t"
			 "jnz 1b\n\t"
			 "xchg %%bx, %%bx"
			 : : "r"(n) : "rcx", "cc", "memory");
	t = mono_ns();
	printf("INSNMARK %s.0 %llu\nINSNMARK %s.1 %llu\n", argv[3], t,
	       argv[3], t);
	return 0;

usage:
	fprintf(stderr, "usage: insnmark LABEL | insnmark -l N LABEL\n");
	return 2;
}

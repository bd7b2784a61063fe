// SPDX-License-Identifier: GPL-2.0
/*
 * spinfix: a fixed amount of CPU-bound work for bench/profile. Like
 * tests/tools/spin, but it stops after a number of calls, not after a
 * time, so every run executes the same user instructions and a profiler's
 * cost shows as the instructions (and time) it adds.
 *
 *   spinfix [-t THREADS] CALLS
 *
 * Each of THREADS threads (default 2) makes CALLS calls of
 * bench_spin_hot(), 2,000,000 turns of an LCG each, as spin's hot
 * function does. Prints "spinfix: T threads, C calls each" at the end.
 *
 * The hot path has real call stacks, for the cost of profiling with
 * them: start_thread -> spin_thread -> spin_level1 -> spin_level2 ->
 * spin_level3 -> bench_spin_hot, every function noinline and, by
 * bench/Makefile, built with frame pointers (leaves included) and no
 * tail calls, as tests/tools/stackprog is. So a frame-pointer walk from a
 * sample in the loop finds bench_spin_hot, spin_level3, spin_level2,
 * spin_level1, spin_thread, in that order, whichever profiler walks it.
 * The levels add a few instructions per call (400 calls), nothing per
 * turn.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../../tests/tools/spin_threads.h"

static unsigned long calls;

__attribute__((noinline))
unsigned long bench_spin_hot(unsigned long x)
{
	unsigned long i;

	/*
	 * GCC 12 drops the frame of a leaf function despite
	 * -mno-omit-leaf-frame-pointer; asking for the frame's address keeps
	 * it, so a walk from the loop finds spin_level3 (and not its caller).
	 */
	__asm__ volatile("" : : "r"(__builtin_frame_address(0)));
	for (i = 0; i < 2000000; i++) {
		x = x * 6364136223846793005UL + 1442695040888963407UL;
		__asm__ volatile("" : "+r"(x));
	}
	return x;
}

__attribute__((noinline))
unsigned long spin_level3(unsigned long x)
{
	return bench_spin_hot(x) + 1;
}

__attribute__((noinline))
unsigned long spin_level2(unsigned long x)
{
	return spin_level3(x) + 1;
}

__attribute__((noinline))
unsigned long spin_level1(unsigned long x)
{
	return spin_level2(x) + 1;
}

__attribute__((noinline))
static void *spin_thread(void *arg)
{
	unsigned long x = (unsigned long)arg, i;

	for (i = 0; i < calls; i++)
		x = spin_level1(x);
	return (void *)x;
}

int main(int argc, char **argv)
{
	const char *n;
	unsigned long sum;
	int nthreads;

	n = spin_args(argc, argv, &nthreads);
	if (!n) {
		fprintf(stderr, "usage: spinfix [-t THREADS] CALLS\n");
		return 2;
	}
	calls = strtoul(n, NULL, 0);

	if (spin_threads(nthreads, spin_thread, &sum))
		return 1;
	printf("spinfix: %d threads, %lu calls each\n", nthreads, calls);
	return 0;
}

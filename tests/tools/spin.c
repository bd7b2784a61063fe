// SPDX-License-Identifier: GPL-2.0
/*
 * spin: a CPU-bound workload for the profiler tests. Threads run
 * adprof_spin_hot(), a function that does not return for a while and that
 * no other program has, until the time is up.
 *
 *   spin [-t THREADS] SECONDS
 *
 * Prints "adprof_spin_hot 0xSTART 0xEND" first (the function sits alone in
 * its own section, whose bounds the linker gives), so a test can check a
 * sampled address without nm, and "spin: N threads, M calls" at the end.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "spin_threads.h"

static volatile sig_atomic_t stop;

extern const char __start_adprof_hot[], __stop_adprof_hot[];

/* The hot function: a report must name it first for this program. */
__attribute__((noinline, section("adprof_hot")))
unsigned long adprof_spin_hot(unsigned long x)
{
	unsigned long i;

	for (i = 0; i < 2000000 && !stop; i++) {
		x = x * 6364136223846793005UL + 1442695040888963407UL;
		__asm__ volatile("" : "+r"(x));
	}
	return x;
}

static void *spin_thread(void *arg)
{
	unsigned long x = (unsigned long)arg, calls = 0;

	while (!stop) {
		x = adprof_spin_hot(x);
		calls++;
	}
	return (void *)calls;
}

static void on_alarm(int sig)
{
	(void)sig;
	stop = 1;
}

int main(int argc, char **argv)
{
	const char *seconds;
	unsigned long total;
	int nthreads;

	seconds = spin_args(argc, argv, &nthreads);
	if (!seconds) {
		fprintf(stderr, "usage: spin [-t THREADS] SECONDS\n");
		return 2;
	}

	printf("adprof_spin_hot %p %p\n", (void *)__start_adprof_hot,
	       (void *)__stop_adprof_hot);
	fflush(stdout);
	signal(SIGALRM, on_alarm);
	signal(SIGTERM, on_alarm);
	signal(SIGINT, on_alarm);
	alarm(atoi(seconds));

	if (spin_threads(nthreads, spin_thread, &total))
		return 1;
	printf("spin: %d threads, %lu calls\n", nthreads, total);
	return 0;
}

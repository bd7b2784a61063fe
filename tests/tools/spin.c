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
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

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
	unsigned long total = 0;
	int c, i, nthreads = 2;
	pthread_t *th;
	void *ret;

	while ((c = getopt(argc, argv, "t:")) != -1) {
		switch (c) {
		case 't':
			nthreads = atoi(optarg);
			break;
		default:
			goto usage;
		}
	}
	if (optind != argc - 1 || nthreads < 1 || nthreads > 256)
		goto usage;

	printf("adprof_spin_hot %p %p\n", (void *)__start_adprof_hot,
	       (void *)__stop_adprof_hot);
	fflush(stdout);
	signal(SIGALRM, on_alarm);
	signal(SIGTERM, on_alarm);
	signal(SIGINT, on_alarm);
	alarm(atoi(argv[optind]));

	th = calloc(nthreads, sizeof(*th));
	if (!th)
		return 1;
	for (i = 0; i < nthreads; i++)
		if (pthread_create(&th[i], NULL, spin_thread, (void *)(long)(i + 1))) {
			perror("pthread_create");
			return 1;
		}
	for (i = 0; i < nthreads; i++) {
		pthread_join(th[i], &ret);
		total += (unsigned long)ret;
	}
	printf("spin: %d threads, %lu calls\n", nthreads, total);
	free(th);
	return 0;

usage:
	fprintf(stderr, "usage: spin [-t THREADS] SECONDS\n");
	return 2;
}

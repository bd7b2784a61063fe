/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the CPU-bound workloads share, tests/tools/spin and
 * bench/tools/spinfix: the command line "[-t THREADS] N" (THREADS 1..256,
 * default 2) and the threads that each run the workload's loop, the i-th
 * of them (from 1) given i as its seed.
 */
#ifndef ADPROF_TESTS_SPIN_THREADS_H
#define ADPROF_TESTS_SPIN_THREADS_H

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Return: the one operand N, or NULL for a command line to refuse */
static const char *spin_args(int argc, char **argv, int *nthreads)
{
	int c;

	*nthreads = 2;
	while ((c = getopt(argc, argv, "t:")) != -1) {
		if (c != 't')
			return NULL;
		*nthreads = atoi(optarg);
	}
	if (optind != argc - 1 || *nthreads < 1 || *nthreads > 256)
		return NULL;
	return argv[optind];
}

/*
 * Run @fn in @nthreads threads, seeded 1..@nthreads, and wait for them;
 * the sum of what they return goes to @sum. Return: 0, or -1 after saying
 * why.
 */
static int spin_threads(int nthreads, void *(*fn)(void *), unsigned long *sum)
{
	pthread_t *th;
	void *ret;
	int i;

	th = calloc(nthreads, sizeof(*th));
	if (!th)
		return -1;
	for (i = 0; i < nthreads; i++)
		if (pthread_create(&th[i], NULL, fn, (void *)(long)(i + 1))) {
			perror("pthread_create");
			return -1;
		}
	*sum = 0;
	for (i = 0; i < nthreads; i++) {
		pthread_join(th[i], &ret);
		*sum += (unsigned long)ret;
	}
	free(th);
	return 0;
}

#endif /* ADPROF_TESTS_SPIN_THREADS_H */

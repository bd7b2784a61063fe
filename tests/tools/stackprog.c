// SPDX-License-Identifier: GPL-2.0
/*
 * stackprog: known call stacks for the profiler's stack tests. Built with
 * frame pointers everywhere (tests/tools/Makefile), no tail calls, no red
 * zone; every function below is noinline so that each has its frame.
 *
 * usage: stackprog chain SECONDS    main -> level1 -> level2 -> leaf, leaf spins
 *        stackprog read SECONDS     read(2) of /dev/zero in a loop
 *        stackprog recurse N SECONDS recurse N deep, spin at the bottom
 *        stackprog badfp SECONDS    spin with garbage in the frame pointer
 *
 * Each prints "stackprog MODE done ITERATIONS" at the end.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NOINLINE __attribute__((noinline))

static double deadline;
static volatile unsigned long sink;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Spin in the calling function until the deadline; return the rounds. */
static NOINLINE unsigned long leaf(void)
{
	unsigned long n = 0, i;

	while (now() < deadline) {
		for (i = 0; i < 1000000; i++)
			sink += i;
		n++;
	}
	return n;
}

static NOINLINE unsigned long level2(void)
{
	return leaf() + 1;
}

static NOINLINE unsigned long level1(void)
{
	return level2() + 1;
}

static NOINLINE unsigned long do_read(int fd)
{
	static char buf[4096];
	unsigned long n = 0;

	while (now() < deadline)
		n += read(fd, buf, sizeof(buf)) > 0;
	return n;
}

static NOINLINE unsigned long recurse(int depth)
{
	if (depth <= 1)
		return leaf();
	return recurse(depth - 1) + 1;
}

/*
 * The frame pointer holds garbage while this spins: a sampled user stack
 * walk meets it first. rbp is saved and restored around it.
 */
static NOINLINE unsigned long badfp(void)
{
	unsigned long n = 0, spins;

	while (now() < deadline) {
		spins = 10000000;
		__asm__ volatile("push %%rbp\n\t"
				 "movabs $0x4141414141414148, %%rbp\n\t"
				 "1: dec %0\n\t"
				 "jnz 1b\n\t"
				 "pop %%rbp"
				 : "+r"(spins) : : "memory", "cc");
		n++;
	}
	return n;
}

int main(int argc, char **argv)
{
	unsigned long n;
	int fd;

	if (argc < 3)
		goto usage;
	deadline = now() + atof(argv[argc - 1]);
	if (!strcmp(argv[1], "chain") && argc == 3) {
		n = level1();
	} else if (!strcmp(argv[1], "read") && argc == 3) {
		fd = open("/dev/zero", O_RDONLY);
		if (fd < 0) {
			perror("/dev/zero");
			return 1;
		}
		n = do_read(fd);
	} else if (!strcmp(argv[1], "recurse") && argc == 4) {
		n = recurse(atoi(argv[2]));
	} else if (!strcmp(argv[1], "badfp") && argc == 3) {
		n = badfp();
	} else {
		goto usage;
	}
	printf("stackprog %s done %lu\n", argv[1], n);
	return 0;

usage:
	fprintf(stderr, "usage: stackprog chain|read|badfp SECONDS | recurse N SECONDS\n");
	return 2;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * sysloop: make N getppid() system calls, between two insnmark markers
 * of the caller's, so bench/profile can price what runs on each: here
 * the bookkeeping kernel.bpf_stats_enabled adds to every BPF program run
 * (a tracepoint program on sys_enter_getppid, with and without it).
 *
 *   sysloop N
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/syscall.h>

int main(int argc, char **argv)
{
	unsigned long i, n;

	if (argc != 2 || !(n = strtoul(argv[1], NULL, 0))) {
		fprintf(stderr, "usage: sysloop N\n");
		return 2;
	}
	for (i = 0; i < n; i++)
		syscall(SYS_getppid);
	return 0;
}

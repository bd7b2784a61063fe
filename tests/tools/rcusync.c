// SPDX-License-Identifier: GPL-2.0
/*
 * rcusync: wait for N RCU grace periods (default 1), so that objects freed
 * with call_rcu() or kfree_rcu() before it are gone when it returns, for
 * the guest's slab counts (tests/guest/leak.sh).
 *
 *   rcusync [N]
 *
 * membarrier(MEMBARRIER_CMD_GLOBAL) is synchronize_rcu() on a kernel with
 * more than one CPU online and no nohz_full. With one CPU online it
 * returns at once, though callbacks may still be queued: then this sleeps
 * a second per grace period instead. Exit status 0, or 1 with the reason.
 */
#include <linux/membarrier.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1;

	while (n-- > 0) {
		if (sysconf(_SC_NPROCESSORS_ONLN) < 2) {
			sleep(1);
			continue;
		}
		if (syscall(__NR_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0)) {
			perror("membarrier(MEMBARRIER_CMD_GLOBAL)");
			return 1;
		}
	}
	return 0;
}

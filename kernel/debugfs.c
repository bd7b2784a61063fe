// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/adprof/: created once at load, removed at unload.
 * Nothing depends on debugfs succeeding; a failure only loses the files.
 *
 * Fault knobs, as netdevsim's fail_* files: failures the hardware (or
 * QEMU's) cannot produce on demand, so that tests can check that each is
 * reported and unwound. Root only; read without a lock (READ_ONCE), a
 * change applies to the next operation that looks.
 *   fail_reset        Y: every device reset fails (-EIO)
 *   fail_irq_request  N > 0: requesting host vector N - 1 fails (-EIO)
 *   fail_perf_create  N > 0: creating the perf event of the Nth CPU a
 *                     session starts fails (-ENOMEM)
 */
#include <linux/compiler.h>
#include <linux/debugfs.h>

#include "debugfs.h"

static struct dentry *adprof_debugfs_root;

static bool adprof_fail_reset;
static u32 adprof_fail_irq_request;
static u32 adprof_fail_perf_create;

/**
 * adprof_debugfs_init() - create the adprof debugfs directory and files
 */
void adprof_debugfs_init(void)
{
	adprof_debugfs_root = debugfs_create_dir("adprof", NULL);
	debugfs_create_bool("fail_reset", 0600, adprof_debugfs_root,
			    &adprof_fail_reset);
	debugfs_create_u32("fail_irq_request", 0600, adprof_debugfs_root,
			   &adprof_fail_irq_request);
	debugfs_create_u32("fail_perf_create", 0600, adprof_debugfs_root,
			   &adprof_fail_perf_create);
}

/**
 * adprof_fault_reset() - should this device reset fail?
 *
 * Return: true while fail_reset is set.
 */
bool adprof_fault_reset(void)
{
	return READ_ONCE(adprof_fail_reset);
}

/**
 * adprof_fault_irq_request() - should requesting this host vector fail?
 * @index: host vector index, from 0
 *
 * Return: true if fail_irq_request is @index + 1.
 */
bool adprof_fault_irq_request(u32 index)
{
	return READ_ONCE(adprof_fail_irq_request) == index + 1;
}

/**
 * adprof_fault_perf_create() - should creating this CPU's event fail?
 * @nth: the event's place among those a session starts, from 1
 *
 * Return: true if fail_perf_create is @nth.
 */
bool adprof_fault_perf_create(u32 nth)
{
	return READ_ONCE(adprof_fail_perf_create) == nth;
}

/**
 * adprof_debugfs_dir() - the adprof debugfs directory, for subsystems' files
 *
 * Return: the directory, or an error pointer debugfs functions accept.
 */
struct dentry *adprof_debugfs_dir(void)
{
	return adprof_debugfs_root;
}

/**
 * adprof_debugfs_exit() - remove everything adprof_debugfs_init() created
 */
void adprof_debugfs_exit(void)
{
	debugfs_remove_recursive(adprof_debugfs_root);
	adprof_debugfs_root = NULL;
}

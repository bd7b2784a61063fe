// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/adprof/: created once at load, removed at unload.
 * Nothing depends on debugfs succeeding; a failure only loses the files.
 */
#include <linux/debugfs.h>

#include "debugfs.h"

static struct dentry *adprof_debugfs_root;

/**
 * adprof_debugfs_init() - create the adprof debugfs directory and files
 */
void adprof_debugfs_init(void)
{
	adprof_debugfs_root = debugfs_create_dir("adprof", NULL);
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

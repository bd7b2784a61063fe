// SPDX-License-Identifier: GPL-2.0
/*
 * adprof: PCI device assignment with interrupts routed to userspace, and a
 * sampling CPU profiler, over one generic netlink family.
 */
#include <linux/module.h>

#include "assign.h"
#include "debugfs.h"
#include "netlink.h"
#include "profile.h"

static int __init adprof_init(void)
{
	int err;

	adprof_debugfs_init();

	err = adprof_prof_init();
	if (err)
		goto err_debugfs;

	err = adprof_assign_init();
	if (err)
		goto err_prof;

	/* Last: from here on requests can arrive. */
	err = adprof_nl_init();
	if (err)
		goto err_assign;

	pr_info("loaded\n");
	return 0;

err_assign:
	adprof_assign_exit();
err_prof:
	adprof_prof_exit();
err_debugfs:
	adprof_debugfs_exit();
	return err;
}

static void __exit adprof_exit(void)
{
	adprof_nl_exit();
	adprof_assign_exit();
	adprof_prof_exit();
	adprof_debugfs_exit();
	pr_info("unloaded\n");
}

module_init(adprof_init);
module_exit(adprof_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("PCI device assignment to userspace and sampling profiler");
MODULE_ALIAS_GENL_FAMILY("adprof");
MODULE_VERSION(ADPROF_PKG_VERSION);

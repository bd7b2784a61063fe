/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ADPROF_DEBUGFS_H
#define _ADPROF_DEBUGFS_H

#include <linux/types.h>

struct dentry;

void adprof_debugfs_init(void);
struct dentry *adprof_debugfs_dir(void);
void adprof_debugfs_exit(void);

bool adprof_fault_reset(void);
bool adprof_fault_irq_request(u32 index);
bool adprof_fault_perf_create(u32 nth);

#endif /* _ADPROF_DEBUGFS_H */

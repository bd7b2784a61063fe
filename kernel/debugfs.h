/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ADPROF_DEBUGFS_H
#define _ADPROF_DEBUGFS_H

struct dentry;

void adprof_debugfs_init(void);
struct dentry *adprof_debugfs_dir(void);
void adprof_debugfs_exit(void);

#endif /* _ADPROF_DEBUGFS_H */

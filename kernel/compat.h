/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place for differences between the kernels adprof builds on
 * (Debian's 6.1.y and 6.12.y). Code elsewhere uses these names only.
 */
#ifndef _ADPROF_COMPAT_H
#define _ADPROF_COMPAT_H

#include <net/genetlink.h>

/*
 * Per-group join permissions came with 6.7 and were backported to 6.1.69.
 * Without them anybody could join "samples" and read kernel addresses, so
 * refuse to build rather than degrade silently.
 */
#ifndef GENL_MCAST_CAP_SYS_ADMIN
#error "adprof needs GENL_MCAST_CAP_SYS_ADMIN (Linux >= 6.7 or 6.1.69)"
#endif

/* Since 6.2 the family's pre_doit is handed split ops (see Kbuild). */
#ifdef ADPROF_HAVE_GENL_SPLIT_OPS
#define adprof_genl_pre_ops genl_split_ops
#else
#define adprof_genl_pre_ops genl_ops
#endif

#endif /* _ADPROF_COMPAT_H */

/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ADPROF_CALLCHAIN_H
#define _ADPROF_CALLCHAIN_H

#include <linux/types.h>

/* Where the sampler can walk stacks; elsewhere STACK sessions are refused. */
#if defined(CONFIG_X86_64) && \
	(defined(CONFIG_UNWINDER_ORC) || defined(CONFIG_UNWINDER_FRAME_POINTER))
#define ADPROF_HAVE_CALLCHAIN	1
#else
#define ADPROF_HAVE_CALLCHAIN	0
#endif

struct adprof_stack;
struct pt_regs;

u32 adprof_callchain(struct adprof_stack *st, struct pt_regs *regs, u32 depth);

#endif /* _ADPROF_CALLCHAIN_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The user call stack walk by frame pointers, as pure logic: memory is
 * read through a callback (__get_user() in the sampler, or
 * copy_from_user_nofault() in NMI; a fake address space in KUnit:
 * kunit/stack_test.c). x86-64 frame layout: at the frame pointer, the
 * caller's frame pointer, then the return address.
 *
 * Be careful: runs in the sampler, possibly in NMI: no lock, no
 * allocation, at most @max reads.
 */
#ifndef _ADPROF_STACK_H
#define _ADPROF_STACK_H

#include <linux/types.h>

/* How far above the stack pointer a frame may lie: the default stack limit. */
#define ADPROF_USTACK_SPAN	(8UL << 20)

/**
 * typedef adprof_read_fn - read @len bytes of the walked address space
 * @ctx: the walker's context
 * @dst: where to
 * @addr: from where
 * @len: bytes
 *
 * Return: 0, or non-zero if the memory cannot be read (without faulting).
 */
typedef int (*adprof_read_fn)(void *ctx, void *dst, unsigned long addr,
			      size_t len);

u32 adprof_fp_walk(unsigned long fp, unsigned long sp, adprof_read_fn read,
		   void *ctx, u64 *pcs, u32 max, u16 *flags);

#endif /* _ADPROF_STACK_H */

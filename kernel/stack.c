// SPDX-License-Identifier: GPL-2.0
/*
 * The user call stack walk by frame pointers (stack.h): each frame holds
 * the caller's frame pointer and the return address. The walk ends at a
 * frame pointer or return address of 0, the outermost frame; it gives up,
 * and says so (ADPROF_STACK_F_USER_BAD), at a frame pointer that is not
 * aligned, lies below the stack pointer or more than ADPROF_USTACK_SPAN
 * above it, does not grow from the previous one, or cannot be read; it
 * stops at @max addresses (ADPROF_STACK_F_USER_TRUNC if frames remain).
 * Every frame is above the last, so the walk ends even on garbage.
 */
#include <linux/adprof.h>

#include "stack.h"

/**
 * adprof_fp_walk() - walk a user stack by frame pointers
 * @fp: the frame pointer of the interrupted code (rbp)
 * @sp: its stack pointer (rsp)
 * @read: reads the walked address space
 * @ctx: for @read
 * @pcs: where the return addresses go, innermost first
 * @max: room in @pcs
 * @flags: ADPROF_STACK_F_USER_* are or-ed in
 *
 * Return: return addresses written to @pcs.
 */
u32 adprof_fp_walk(unsigned long fp, unsigned long sp, adprof_read_fn read,
		   void *ctx, u64 *pcs, u32 max, u16 *flags)
{
	struct {
		unsigned long next;
		unsigned long ret;
	} frame;
	u32 n = 0;

	while (fp) {
		if (n == max) {
			*flags |= ADPROF_STACK_F_USER_TRUNC;
			break;
		}
		if ((fp & (sizeof(long) - 1)) || fp < sp ||
		    fp - sp >= ADPROF_USTACK_SPAN ||
		    read(ctx, &frame, fp, sizeof(frame))) {
			*flags |= ADPROF_STACK_F_USER_BAD;
			break;
		}
		if (!frame.ret)
			break;
		pcs[n++] = frame.ret;
		if (frame.next && frame.next <= fp) {
			*flags |= ADPROF_STACK_F_USER_BAD;
			break;
		}
		fp = frame.next;
	}
	return n;
}

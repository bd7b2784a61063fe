// SPDX-License-Identifier: GPL-2.0
/*
 * Call stacks of samples (ADPROF_PROF_F_STACK), taken in the sampler from
 * the interrupted registers, as perf_callchain_kernel() and
 * perf_callchain_user() do on x86-64: the kernel stack by the kernel's own
 * unwinder (ORC on Debian's kernels), the user stack by frame pointers
 * with non-faulting reads (stack.c).
 *
 * Be careful: runs in the perf overflow handler, in hard IRQ (cpu-clock)
 * or NMI (cycles): no lock, no allocation, bounded by the depth.
 */
#include <linux/adprof.h>
#include <linux/hardirq.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/uaccess.h>
#include <asm/unwind.h>

#include "callchain.h"
#include "stack.h"

#if ADPROF_HAVE_CALLCHAIN
/* The callers of a kernel pc, by the kernel's unwinder. */
static u32 adprof_kernel_chain(struct pt_regs *regs, u64 *pcs, u32 max,
			       u16 *flags)
{
	struct unwind_state state;
	unsigned long addr;
	u32 n = 0;

	/*
	 * Registers an interrupt saved (X86_EFLAGS_FIXED set) are unwound
	 * from; others, made up by perf in process context, from their sp,
	 * as perf_callchain_kernel() does.
	 */
	if (regs->flags & X86_EFLAGS_FIXED)
		unwind_start(&state, current, regs, NULL);
	else
		unwind_start(&state, current, NULL, (void *)regs->sp);
	for (; !unwind_done(&state); unwind_next_frame(&state)) {
		addr = unwind_get_return_address(&state);
		if (!addr)
			break;
		if (n == max) {
			*flags |= ADPROF_STACK_F_KERNEL_TRUNC;
			break;
		}
		pcs[n++] = addr;
	}
	return n;
}

/*
 * Out of NMI, as perf_callchain_user() reads frames: word by word with
 * __get_user() while the caller has page faults disabled. A hard IRQ
 * cannot land inside switch_mm() (interrupts are off there), so the
 * current task's mm is the one loaded. copy_from_user_nofault() costs
 * several times more a frame (the hardened usercopy check of the stack
 * destination, a rep movs of 16 bytes, the NMI check, the pagefault
 * toggles): the bulk of the user walk's cost, bench/results.
 */
static int adprof_user_read(void *ctx, void *dst, unsigned long addr,
			    size_t len)
{
	const unsigned long __user *src = (const unsigned long __user *)addr;
	unsigned long *d = dst;
	size_t i;

	if (len % sizeof(long) || !__access_ok(src, len))
		return -EFAULT;
	for (i = 0; i < len / sizeof(long); i++)
		if (__get_user(d[i], src + i))
			return -EFAULT;
	return 0;
}

/*
 * In NMI (the hardware backends) the mm may be half switched:
 * copy_from_user_nofault() checks that (nmi_uaccess_okay(), which modules
 * cannot call) for every read.
 */
static int adprof_user_read_nmi(void *ctx, void *dst, unsigned long addr,
				size_t len)
{
	return copy_from_user_nofault(dst, (const void __user *)addr, len);
}

/*
 * The user stack: of the interrupted user code, or of the user code a
 * task entered the kernel from (its pc first).
 */
static u32 adprof_user_chain(struct pt_regs *regs, u64 *pcs, u32 max,
			     u16 *flags)
{
	struct pt_regs *uregs = regs;
	u32 n = 0;

	if (!user_mode(regs)) {
		if (!current->mm || (current->flags & PF_KTHREAD))
			return 0;
		uregs = task_pt_regs(current);
		if (!max) {
			*flags |= ADPROF_STACK_F_USER_TRUNC;
			return 0;
		}
		pcs[n++] = uregs->ip;
	}
	/* A 32-bit task's frames are 4-byte words: its pc only. */
	if (!user_64bit_mode(uregs))
		return n;
	if (in_nmi())
		return n + adprof_fp_walk(uregs->bp, uregs->sp,
					  adprof_user_read_nmi, NULL,
					  pcs + n, max - n, flags);
	pagefault_disable();
	n += adprof_fp_walk(uregs->bp, uregs->sp, adprof_user_read, NULL,
			    pcs + n, max - n, flags);
	pagefault_enable();
	return n;
}
#else
static u32 adprof_kernel_chain(struct pt_regs *regs, u64 *pcs, u32 max,
			       u16 *flags)
{
	return 0;
}

static u32 adprof_user_chain(struct pt_regs *regs, u64 *pcs, u32 max,
			     u16 *flags)
{
	return 0;
}
#endif

/**
 * adprof_callchain() - fill the call stack of a sample
 * @st: the stack after the sample's record, room for @depth addresses
 * @regs: the interrupted registers
 * @depth: most addresses, kernel and user together
 *
 * Be careful: called from the perf overflow handler, possibly in NMI.
 *
 * Return: the bytes of @st, addresses included.
 */
u32 adprof_callchain(struct adprof_stack *st, struct pt_regs *regs, u32 depth)
{
	u16 flags = 0;
	u32 nk = 0, nu;

	if (!user_mode(regs))
		nk = adprof_kernel_chain(regs, st->pc, depth, &flags);
	nu = adprof_user_chain(regs, st->pc + nk, depth - nk, &flags);
	st->nr_kernel = nk;
	st->nr_user = nu;
	st->flags = flags;
	st->reserved = 0;
	return sizeof(*st) + (nk + nu) * sizeof(u64);
}

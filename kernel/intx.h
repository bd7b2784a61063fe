/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host INTx mask/ack bookkeeping, after KVM's host_irq_disabled: the
 * handler masks the level-triggered line until the consumer acks it.
 * Pure logic; the caller holds its own spinlock around every call and
 * does the disable_irq_nosync()/enable_irq() these functions ask for.
 */
#ifndef _ADPROF_INTX_H
#define _ADPROF_INTX_H

#include <linux/types.h>

/**
 * struct adprof_intx - INTx line state of one assignment
 * @masked: the line is disabled and waits for the consumer's ack
 * @nr_masked: interrupts that masked the line
 * @nr_while_masked: interrupts seen while the line was already masked
 * @nr_unmasked: acks that unmasked the line
 * @nr_idle_acks: acks with nothing masked, which do nothing
 */
struct adprof_intx {
	bool masked;
	u64 nr_masked;
	u64 nr_while_masked;
	u64 nr_unmasked;
	u64 nr_idle_acks;
};

void adprof_intx_init(struct adprof_intx *x);
bool adprof_intx_irq(struct adprof_intx *x);
bool adprof_intx_ack(struct adprof_intx *x);

#endif /* _ADPROF_INTX_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * Host INTx mask/ack bookkeeping. Each mask asked for is matched by
 * exactly one unmask, so the caller's disable_irq_nosync()/enable_irq()
 * calls never nest and the line's disable depth stays at 0 or 1.
 */
#include <linux/string.h>
#include <linux/types.h>

#include "intx.h"

/**
 * adprof_intx_init() - start with the line unmasked and counters at zero
 * @x: state, on host INTx assignment
 */
void adprof_intx_init(struct adprof_intx *x)
{
	memset(x, 0, sizeof(*x));
}

/**
 * adprof_intx_irq() - account an interrupt on the host INTx line
 * @x: state; the caller holds its lock (hard-IRQ safe)
 *
 * Return: true if the caller must mask the line now with
 * disable_irq_nosync(); false if it is already masked.
 */
bool adprof_intx_irq(struct adprof_intx *x)
{
	if (x->masked) {
		x->nr_while_masked++;
		return false;
	}
	x->masked = true;
	x->nr_masked++;
	return true;
}

/**
 * adprof_intx_ack() - account the consumer's end-of-interrupt
 * @x: state; the caller holds its lock
 *
 * An ack with nothing masked (a repeated ack, or one before any interrupt)
 * is counted and otherwise ignored, as in KVM where a shared consumer
 * line may be acked for another device.
 *
 * Return: true if the caller must unmask the line with enable_irq();
 * false if it was not masked.
 */
bool adprof_intx_ack(struct adprof_intx *x)
{
	if (!x->masked) {
		x->nr_idle_acks++;
		return false;
	}
	x->masked = false;
	x->nr_unmasked++;
	return true;
}

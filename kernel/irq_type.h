/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IRQ type rules of an assignment: which host and consumer ("guest")
 * interrupt types may be requested or released, given what is already
 * assigned. Pure logic; the caller keeps the state and holds its lock.
 */
#ifndef _ADPROF_IRQ_TYPE_H
#define _ADPROF_IRQ_TYPE_H

#include <linux/types.h>
#include <linux/adprof.h>

int adprof_irq_type_check(u32 requested, u32 flags);
int adprof_irq_host_cap(u32 flags);
int adprof_irq_deassign_check(u32 requested, u32 flags);
u32 adprof_irq_deassign_sides(u32 requested, u32 flags);

#endif /* _ADPROF_IRQ_TYPE_H */

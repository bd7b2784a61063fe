// SPDX-License-Identifier: GPL-2.0
/*
 * IRQ type rules, after KVM's device assignment (KVM_ASSIGN_DEV_IRQ and
 * KVM_DEASSIGN_DEV_IRQ). An assignment has two sides, host and consumer
 * ("guest"), each with at most one type: INTx, MSI or MSI-X. @requested is
 * the caller's record of the ADPROF_IRQ_* bits assigned so far.
 */
#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/pci_regs.h>
#include <linux/types.h>

#include "irq_type.h"

#define ADPROF_IRQ_HOST_ALL	(ADPROF_IRQ_ALL & ADPROF_IRQ_HOST_MASK)
#define ADPROF_IRQ_GUEST_ALL	(ADPROF_IRQ_ALL & ADPROF_IRQ_GUEST_MASK)

/**
 * adprof_irq_type_check() - validate an IRQ_ASSIGN request
 * @requested: ADPROF_IRQ_* bits already assigned to the device
 * @flags: ADPROF_IRQ_* bits asked for
 *
 * Malformed requests are refused before the state is looked at, so the
 * same @flags always gives the same -EINVAL. Both sides are checked before
 * anything is assigned: unlike KVM, a request never half succeeds on -EEXIST.
 * On success the caller assigns the named sides and then sets
 * @requested |= @flags.
 *
 * Return: 0 if @flags may be assigned; -EINVAL if @flags has a bit outside
 * ADPROF_IRQ_ALL, more than one host type, more than one guest type, or
 * no type at all; -EEXIST if a side named in @flags is already assigned.
 */
int adprof_irq_type_check(u32 requested, u32 flags)
{
	u32 host = flags & ADPROF_IRQ_HOST_MASK;
	u32 guest = flags & ADPROF_IRQ_GUEST_MASK;

	if (flags & ~ADPROF_IRQ_ALL)
		return -EINVAL;
	if (hweight32(host) > 1 || hweight32(guest) > 1)
		return -EINVAL;
	if (!host && !guest)
		return -EINVAL;
	if (host && (requested & ADPROF_IRQ_HOST_MASK))
		return -EEXIST;
	if (guest && (requested & ADPROF_IRQ_GUEST_MASK))
		return -EEXIST;
	return 0;
}

/**
 * adprof_irq_host_cap() - PCI capability the host type of a request needs
 * @flags: ADPROF_IRQ_* bits of a request that passed adprof_irq_type_check()
 *
 * Host INTx needs no capability, but it needs an interrupt pin, which the
 * caller checks itself.
 *
 * Return: PCI_CAP_ID_MSI for host MSI, PCI_CAP_ID_MSIX for host MSI-X, or
 * 0 when @flags names host INTx or no host type.
 */
int adprof_irq_host_cap(u32 flags)
{
	switch (flags & ADPROF_IRQ_HOST_MASK) {
	case ADPROF_IRQ_HOST_MSI:
		return PCI_CAP_ID_MSI;
	case ADPROF_IRQ_HOST_MSIX:
		return PCI_CAP_ID_MSIX;
	default:
		return 0;
	}
}

/**
 * adprof_irq_deassign_check() - validate an IRQ_DEASSIGN request
 * @requested: ADPROF_IRQ_* bits assigned to the device
 * @flags: ADPROF_IRQ_* bits naming the sides to release
 *
 * As in KVM, naming a side that is not assigned, or no side at all, is not
 * an error; adprof_irq_deassign_sides() then releases nothing for it.
 *
 * Return: 0 if the request may proceed; -EINVAL if @flags has a bit outside
 * ADPROF_IRQ_ALL (checked first); -ENXIO if nothing is assigned.
 */
int adprof_irq_deassign_check(u32 requested, u32 flags)
{
	if (flags & ~ADPROF_IRQ_ALL)
		return -EINVAL;
	if (!(requested & ADPROF_IRQ_ALL))
		return -ENXIO;
	return 0;
}

/**
 * adprof_irq_deassign_sides() - assigned bits an IRQ_DEASSIGN releases
 * @requested: ADPROF_IRQ_* bits assigned to the device
 * @flags: ADPROF_IRQ_* bits of a request that passed
 *	adprof_irq_deassign_check()
 *
 * A side is released whole when any of its type bits is named, whichever
 * type is assigned on it (KVM's rule): host MSI-X goes with HOST_INTX.
 * The caller tears down the sides in the result, then sets
 * @requested &= ~result.
 *
 * Return: the bits of @requested to clear; 0 if nothing is to be released.
 */
u32 adprof_irq_deassign_sides(u32 requested, u32 flags)
{
	u32 release = 0;

	if (flags & ADPROF_IRQ_HOST_ALL)
		release |= requested & ADPROF_IRQ_HOST_MASK;
	if (flags & ADPROF_IRQ_GUEST_ALL)
		release |= requested & ADPROF_IRQ_GUEST_MASK;
	return release;
}

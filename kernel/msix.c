// SPDX-License-Identifier: GPL-2.0
/*
 * MSI-X routing table, after KVM's KVM_ASSIGN_SET_MSIX_NR and
 * KVM_ASSIGN_SET_MSIX_ENTRY. Differences from KVM, on purpose: the size is
 * validated before it is stored, a filled slot is tracked by @count rather
 * than by a non-zero GSI (so GSI 0 is routable), and an entry must exist
 * in the device's table.
 */
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/types.h>

#include "msix.h"

/**
 * adprof_msix_set_nr() - size the table, once per assignment
 * @t: table, not set yet (all zero)
 * @nr: number of slots wanted
 * @dev_size: MSI-X table size of the device (pci_msix_vec_count()); the
 *	caller refuses a device without MSI-X before calling
 *
 * Allocates the slots with GFP_KERNEL; may sleep.
 *
 * Return: 0 on success; -EINVAL if the table is already sized, or @nr is 0,
 * above ADPROF_MSIX_MAX or above @dev_size; -ENOMEM if allocation failed.
 * On error @t is left as it was.
 */
int adprof_msix_set_nr(struct adprof_msix_table *t, u32 nr, u32 dev_size)
{
	struct adprof_msix_slot *slots;

	if (t->nr)
		return -EINVAL;
	if (!nr || nr > ADPROF_MSIX_MAX || nr > dev_size)
		return -EINVAL;

	slots = kcalloc(nr, sizeof(*slots), GFP_KERNEL);
	if (!slots)
		return -ENOMEM;

	t->slots = slots;
	t->dev_size = dev_size;
	t->nr = nr;
	t->count = 0;
	return 0;
}

/**
 * adprof_msix_set_entry() - route a device MSI-X entry to a GSI
 * @t: table
 * @entry: device MSI-X entry
 * @gsi: consumer vector
 *
 * Updates the slot that already holds @entry, else fills the first free
 * slot. Once the table is complete only updates are possible, so the
 * entry of a slot never changes while its vector is live.
 *
 * Return: 0 on success; -EINVAL if the table is not sized yet or @entry is
 * not below the device's table size; -ENOSPC if @entry is new and every
 * slot is filled.
 */
int adprof_msix_set_entry(struct adprof_msix_table *t, u32 entry, u32 gsi)
{
	unsigned int i;

	if (!t->nr || entry >= t->dev_size)
		return -EINVAL;

	for (i = 0; i < t->count; i++) {
		if (t->slots[i].entry == entry) {
			/* The interrupt handler may be reading it. */
			WRITE_ONCE(t->slots[i].gsi, gsi);
			return 0;
		}
	}
	if (t->count == t->nr)
		return -ENOSPC;

	t->slots[t->count].entry = entry;
	t->slots[t->count].gsi = gsi;
	t->count++;
	return 0;
}

/**
 * adprof_msix_gsi() - GSI routed from a slot
 * @t: table
 * @index: slot index, which is the host vector index
 * @gsi: where to store the GSI
 *
 * Safe without the caller's lock (from an interrupt handler) as long as
 * the table is complete and not released.
 *
 * Return: 0 and *@gsi set; -ENOENT if slot @index is not filled.
 */
int adprof_msix_gsi(const struct adprof_msix_table *t, u32 index, u32 *gsi)
{
	if (index >= t->count)
		return -ENOENT;
	*gsi = READ_ONCE(t->slots[index].gsi);
	return 0;
}

/**
 * adprof_msix_complete() - whether host MSI-X may be enabled
 * @t: table
 *
 * Host MSI-X enables one vector per slot, so every slot must be filled.
 *
 * Return: true if the table is sized and every slot is filled.
 */
bool adprof_msix_complete(const struct adprof_msix_table *t)
{
	return t->nr && t->count == t->nr;
}

/**
 * adprof_msix_release() - free the slots and return to "not set"
 * @t: table, sized or not
 *
 * Call after the vectors that use the table are freed. Afterwards
 * adprof_msix_set_nr() may be called again.
 */
void adprof_msix_release(struct adprof_msix_table *t)
{
	kfree(t->slots);
	t->slots = NULL;
	t->dev_size = 0;
	t->nr = 0;
	t->count = 0;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MSI-X routing table of an assignment: which device MSI-X entry raises
 * which consumer vector (GSI). Pure logic; the caller holds its own lock.
 */
#ifndef _ADPROF_MSIX_H
#define _ADPROF_MSIX_H

#include <linux/types.h>
#include <linux/adprof.h>

/**
 * struct adprof_msix_slot - one routing of the table
 * @entry: device MSI-X table entry, below the device's table size
 * @gsi: consumer vector the entry is routed to; any value, 0 included
 */
struct adprof_msix_slot {
	u32 entry;
	u32 gsi;
};

/**
 * struct adprof_msix_table - MSI-X routing table; all zero means "not set"
 * @slots: @nr slots, of which the first @count are filled; NULL while
 *	@nr is 0
 * @dev_size: MSI-X table size of the device, given to adprof_msix_set_nr()
 * @nr: number of slots, 1..ADPROF_MSIX_MAX; 0 until set
 * @count: filled slots, 0..@nr
 *
 * Slots fill in order and never empty until adprof_msix_release(), so
 * slot i is host vector i once the table is complete.
 */
struct adprof_msix_table {
	struct adprof_msix_slot *slots;
	u32 dev_size;
	u16 nr;
	u16 count;
};

int adprof_msix_set_nr(struct adprof_msix_table *t, u32 nr, u32 dev_size);
int adprof_msix_set_entry(struct adprof_msix_table *t, u32 entry, u32 gsi);
int adprof_msix_gsi(const struct adprof_msix_table *t, u32 index, u32 *gsi);
bool adprof_msix_complete(const struct adprof_msix_table *t);
void adprof_msix_release(struct adprof_msix_table *t);

#endif /* _ADPROF_MSIX_H */

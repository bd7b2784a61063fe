/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The IOVA bookkeeping of a device's private IOMMU domain: which ranges
 * of the domain are mapped, and the rules a new mapping or an unmap must
 * follow. Pure logic, no IOMMU, no pages: dma.c pins and maps, KUnit
 * (kunit/dma_test.c, suite adprof_dma) tests the rules.
 *
 * Rules (Documentation/adprof.rst, DMA_MAP and DMA_UNMAP):
 *  - vaddr, iova and size are multiples of the granule (the page size);
 *    size is not 0;
 *  - iova + size - 1 and vaddr + size - 1 do not overflow, and the range
 *    lies inside the domain's aperture;
 *  - a new mapping overlaps no existing one (-EEXIST);
 *  - a set holds at most max mappings (-ENOSPC);
 *  - an unmap takes the whole mappings that lie inside its range; a
 *    mapping cut by either end of the range, or a range holding none, is
 *    refused (-ENOENT) and nothing is unmapped.
 *
 * No locking of its own: the caller serializes (dma.c, the device's DMA
 * lock).
 */
#ifndef _ADPROF_IOVA_H
#define _ADPROF_IOVA_H

#include <linux/list.h>
#include <linux/rbtree.h>
#include <linux/types.h>

/**
 * struct adprof_iova_map - one mapping
 * @node: in the set's tree, by @iova
 * @list: on a list of mappings taken out of the set (for the caller)
 * @iova: first byte in the domain
 * @size: bytes
 * @vaddr: first byte in the owner's address space
 * @flags: ADPROF_DMA_F_*
 * @owner: netlink port id of the socket that mapped it
 */
struct adprof_iova_map {
	struct rb_node node;
	struct list_head list;
	u64 iova;
	u64 size;
	u64 vaddr;
	u32 flags;
	u32 owner;
};

/**
 * struct adprof_iova_set - the mappings of one domain
 * @root: mappings by iova, none overlapping
 * @nr: mappings in @root
 * @bytes: bytes they map
 * @max: most mappings allowed
 * @granule: alignment of addresses and sizes, a power of two
 * @first: lowest iova of the aperture
 * @last: highest iova of the aperture (inclusive)
 */
struct adprof_iova_set {
	struct rb_root root;
	u32 nr;
	u64 bytes;
	u32 max;
	u64 granule;
	u64 first;
	u64 last;
};

void adprof_iova_init(struct adprof_iova_set *s, u64 granule, u64 first,
		      u64 last, u32 max);
int adprof_iova_check(const struct adprof_iova_set *s, u64 vaddr, u64 iova,
		      u64 size, const char **why);
void adprof_iova_insert(struct adprof_iova_set *s, struct adprof_iova_map *m);
void adprof_iova_remove(struct adprof_iova_set *s, struct adprof_iova_map *m);
int adprof_iova_take(struct adprof_iova_set *s, u64 iova, u64 size,
		     struct list_head *taken, const char **why);
void adprof_iova_take_owner(struct adprof_iova_set *s, u32 owner,
			    struct list_head *taken);
void adprof_iova_take_all(struct adprof_iova_set *s, struct list_head *taken);
struct adprof_iova_map *adprof_iova_find(const struct adprof_iova_set *s,
					 u64 iova);
struct adprof_iova_map *adprof_iova_next(const struct adprof_iova_set *s,
					 u64 iova);

#endif /* _ADPROF_IOVA_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * The IOVA bookkeeping of a device's private IOMMU domain; the rules are
 * in iova.h. Mappings sit in an rbtree by iova and never overlap, so the
 * only mapping that can overlap a range [a, b] is the last one starting at
 * or before b.
 */
#include <linux/errno.h>
#include <linux/overflow.h>
#include <linux/rbtree.h>

#include "iova.h"

/**
 * adprof_iova_init() - an empty set
 * @s: the set
 * @granule: alignment of addresses and sizes, a power of two
 * @first: lowest iova of the domain's aperture
 * @last: highest iova of the aperture, inclusive
 * @max: most mappings the set may hold
 */
void adprof_iova_init(struct adprof_iova_set *s, u64 granule, u64 first,
		      u64 last, u32 max)
{
	s->root = RB_ROOT;
	s->nr = 0;
	s->bytes = 0;
	s->max = max;
	s->granule = granule;
	s->first = first;
	s->last = last;
}

static u64 adprof_iova_end(const struct adprof_iova_map *m)
{
	return m->iova + m->size - 1;
}

/* The mapping with the greatest iova <= @addr, or NULL. */
static struct adprof_iova_map *adprof_iova_floor(const struct adprof_iova_set *s,
						 u64 addr)
{
	struct rb_node *n = s->root.rb_node;
	struct adprof_iova_map *m, *best = NULL;

	while (n) {
		m = rb_entry(n, struct adprof_iova_map, node);
		if (m->iova <= addr) {
			best = m;
			n = n->rb_right;
		} else {
			n = n->rb_left;
		}
	}
	return best;
}

/**
 * adprof_iova_next() - the first mapping at or above an iova
 * @s: the set
 * @iova: where to start
 *
 * Return: the mapping with the lowest iova >= @iova, or NULL.
 */
struct adprof_iova_map *adprof_iova_next(const struct adprof_iova_set *s,
					 u64 iova)
{
	struct rb_node *n = s->root.rb_node;
	struct adprof_iova_map *m, *best = NULL;

	while (n) {
		m = rb_entry(n, struct adprof_iova_map, node);
		if (m->iova >= iova) {
			best = m;
			n = n->rb_left;
		} else {
			n = n->rb_right;
		}
	}
	return best;
}

/**
 * adprof_iova_find() - the mapping that holds an iova
 * @s: the set
 * @iova: any byte of it
 *
 * Return: the mapping, or NULL if @iova is not mapped.
 */
struct adprof_iova_map *adprof_iova_find(const struct adprof_iova_set *s,
					 u64 iova)
{
	struct adprof_iova_map *m = adprof_iova_floor(s, iova);

	return m && iova <= adprof_iova_end(m) ? m : NULL;
}

/**
 * adprof_iova_check() - may this range be mapped?
 * @s: the set
 * @vaddr: first byte in the caller's address space
 * @iova: first byte in the domain
 * @size: bytes
 * @why: set to the reason of a refusal, a string for the extack
 *
 * Return: 0; -EINVAL for a bad range (alignment, size 0, overflow, outside
 * the aperture); -EEXIST if it overlaps a mapping; -ENOSPC if the set is
 * full.
 */
int adprof_iova_check(const struct adprof_iova_set *s, u64 vaddr, u64 iova,
		      u64 size, const char **why)
{
	struct adprof_iova_map *m;
	u64 end, vend;

	if (!size) {
		*why = "SIZE is 0";
		return -EINVAL;
	}
	if ((vaddr | iova | size) & (s->granule - 1)) {
		*why = "VADDR, IOVA and SIZE must be multiples of the page size";
		return -EINVAL;
	}
	if (check_add_overflow(iova, size - 1, &end)) {
		*why = "IOVA + SIZE overflows";
		return -EINVAL;
	}
	if (check_add_overflow(vaddr, size - 1, &vend)) {
		*why = "VADDR + SIZE overflows";
		return -EINVAL;
	}
	if (iova < s->first || end > s->last) {
		*why = "the range is outside the IOMMU domain's aperture";
		return -EINVAL;
	}
	m = adprof_iova_floor(s, end);
	if (m && adprof_iova_end(m) >= iova) {
		*why = "the range overlaps a mapping";
		return -EEXIST;
	}
	if (s->nr >= s->max) {
		*why = "the device has as many mappings as dma_max_mappings allows";
		return -ENOSPC;
	}
	return 0;
}

/**
 * adprof_iova_insert() - add a mapping adprof_iova_check() allowed
 * @s: the set
 * @m: the mapping, its iova, size, vaddr, flags and owner set
 */
void adprof_iova_insert(struct adprof_iova_set *s, struct adprof_iova_map *m)
{
	struct rb_node **link = &s->root.rb_node, *parent = NULL;
	struct adprof_iova_map *cur;

	while (*link) {
		parent = *link;
		cur = rb_entry(parent, struct adprof_iova_map, node);
		link = m->iova < cur->iova ? &parent->rb_left : &parent->rb_right;
	}
	rb_link_node(&m->node, parent, link);
	rb_insert_color(&m->node, &s->root);
	s->nr++;
	s->bytes += m->size;
}

/**
 * adprof_iova_remove() - take one mapping out of the set
 * @s: the set
 * @m: a mapping in it
 */
void adprof_iova_remove(struct adprof_iova_set *s, struct adprof_iova_map *m)
{
	rb_erase(&m->node, &s->root);
	RB_CLEAR_NODE(&m->node);
	s->nr--;
	s->bytes -= m->size;
}

/**
 * adprof_iova_take() - take out the whole mappings inside a range
 * @s: the set
 * @iova: first byte of the range
 * @size: bytes of the range
 * @taken: list the mappings are moved to, in iova order (via their @list)
 * @why: set to the reason of a refusal, a string for the extack
 *
 * All or nothing: if either end of the range cuts a mapping, or the range
 * holds none, nothing is taken.
 *
 * Return: 0; -EINVAL for size 0 or a range that overflows; -ENOENT if the
 * range cuts a mapping or holds none.
 */
int adprof_iova_take(struct adprof_iova_set *s, u64 iova, u64 size,
		     struct list_head *taken, const char **why)
{
	struct adprof_iova_map *m, *next;
	u64 end;

	if (!size) {
		*why = "SIZE is 0";
		return -EINVAL;
	}
	if (check_add_overflow(iova, size - 1, &end)) {
		*why = "IOVA + SIZE overflows";
		return -EINVAL;
	}
	m = adprof_iova_floor(s, iova);
	if (m && m->iova < iova && adprof_iova_end(m) >= iova) {
		*why = "IOVA falls inside a mapping: unmap whole mappings";
		return -ENOENT;
	}
	m = adprof_iova_floor(s, end);
	if (m && adprof_iova_end(m) > end) {
		*why = "IOVA + SIZE falls inside a mapping: unmap whole mappings";
		return -ENOENT;
	}
	m = adprof_iova_next(s, iova);
	if (!m || m->iova > end) {
		*why = "nothing is mapped in the range";
		return -ENOENT;
	}
	while (m && m->iova <= end) {
		next = rb_entry_safe(rb_next(&m->node), struct adprof_iova_map,
				     node);
		adprof_iova_remove(s, m);
		list_add_tail(&m->list, taken);
		m = next;
	}
	return 0;
}

/**
 * adprof_iova_take_owner() - take out every mapping of one owner
 * @s: the set
 * @owner: the netlink port id
 * @taken: list they are moved to, in iova order
 */
void adprof_iova_take_owner(struct adprof_iova_set *s, u32 owner,
			    struct list_head *taken)
{
	struct adprof_iova_map *m, *next;

	for (m = adprof_iova_next(s, 0); m; m = next) {
		next = rb_entry_safe(rb_next(&m->node), struct adprof_iova_map,
				     node);
		if (m->owner != owner)
			continue;
		adprof_iova_remove(s, m);
		list_add_tail(&m->list, taken);
	}
}

/**
 * adprof_iova_take_all() - take out every mapping
 * @s: the set, empty afterwards
 * @taken: list they are moved to, in iova order
 */
void adprof_iova_take_all(struct adprof_iova_set *s, struct list_head *taken)
{
	struct adprof_iova_map *m, *next;

	for (m = adprof_iova_next(s, 0); m; m = next) {
		next = rb_entry_safe(rb_next(&m->node), struct adprof_iova_map,
				     node);
		adprof_iova_remove(s, m);
		list_add_tail(&m->list, taken);
	}
}

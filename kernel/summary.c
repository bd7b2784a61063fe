// SPDX-License-Identifier: GPL-2.0
/*
 * adprof summary tables: samples counted by key in the sampler. The life
 * cycle and the rules are in summary.h.
 */
#include <linux/types.h>
#include <linux/log2.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/adprof.h>

#include "summary.h"

static struct adprof_sum_ent *adprof_sum_slot(struct adprof_sumtab *t, u32 i)
{
	return (struct adprof_sum_ent *)((u8 *)t->slots + (size_t)i * t->stride);
}

/**
 * adprof_sum_stride() - bytes of a slot
 * @depth: addresses of a call stack, 0 without stacks
 *
 * Return: the slot's bytes, a multiple of 8.
 */
u32 adprof_sum_stride(u32 depth)
{
	u32 n = sizeof(struct adprof_sum_ent);

	if (depth)
		n += sizeof(struct adprof_stack) + depth * sizeof(u64);
	return n;
}

/**
 * adprof_sum_alloc() - allocate an empty table
 * @nent: slots, a power of two, ADPROF_SUMMARY_ENTRIES_MIN..ADPROF_SUMMARY_ENTRIES_MAX
 * @depth: addresses of a key's call stack, 0 without stacks,
 *	at most ADPROF_STACK_DEPTH_MAX
 * @gfp: allocation flags; with GFP_KERNEL a large table may come from vmalloc
 *
 * Return: the table, or NULL for an argument out of range or no memory.
 */
struct adprof_sumtab *adprof_sum_alloc(u32 nent, u32 depth, gfp_t gfp)
{
	struct adprof_sumtab *t;
	u32 stride = adprof_sum_stride(depth);

	if (nent < ADPROF_SUMMARY_ENTRIES_MIN ||
	    nent > ADPROF_SUMMARY_ENTRIES_MAX || !is_power_of_2(nent) ||
	    depth > ADPROF_STACK_DEPTH_MAX)
		return NULL;
	/* The slots, then the key being counted. */
	t = kvzalloc(struct_size(t, slots,
				 (size_t)(nent + 1) * stride / sizeof(u64)), gfp);
	if (!t)
		return NULL;
	t->nent = nent;
	t->depth = depth;
	t->stride = stride;
	return t;
}

/**
 * adprof_sum_free() - free a table no CPU's slot holds
 * @t: the table, or NULL
 */
void adprof_sum_free(struct adprof_sumtab *t)
{
	kvfree(t);
}

/**
 * adprof_sum_key() - the key the sampler fills before adprof_sum_add()
 * @t: the table
 *
 * The sampler sets @pc, @pid, @flags and, with call stacks, the stack at
 * adprof_sum_stack(); the rest is the table's.
 *
 * Return: the table's key slot.
 */
struct adprof_sum_ent *adprof_sum_key(struct adprof_sumtab *t)
{
	return adprof_sum_slot(t, t->nent);
}

/**
 * adprof_sum_stack() - the call stack of a slot or key
 * @e: a slot or the key of a table with call stacks
 *
 * Return: its struct adprof_stack, with room for the table's depth.
 */
struct adprof_stack *adprof_sum_stack(struct adprof_sum_ent *e)
{
	return (struct adprof_stack *)(e + 1);
}

static const struct adprof_stack *
adprof_sum_cstack(const struct adprof_sum_ent *e)
{
	return (const struct adprof_stack *)(e + 1);
}

static u32 adprof_sum_nr(const struct adprof_stack *st)
{
	return st->nr_kernel + st->nr_user;
}

/* A 64-bit mix (MurmurHash3's finalizer) folded to 32 bits. */
static u64 adprof_sum_mix(u64 h, u64 v)
{
	h ^= v;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

static u32 adprof_sum_hash(const struct adprof_sumtab *t,
			   const struct adprof_sum_ent *k)
{
	const struct adprof_stack *st;
	u64 h = adprof_sum_mix(k->pc, ((u64)k->pid << 32) | k->flags);
	u32 i;

	if (t->depth) {
		st = adprof_sum_cstack(k);
		h = adprof_sum_mix(h, ((u64)st->nr_kernel << 32) |
				   ((u64)st->nr_user << 16) | st->flags);
		for (i = 0; i < adprof_sum_nr(st); i++)
			h = adprof_sum_mix(h, st->pc[i]);
	}
	return (u32)(h ^ (h >> 32));
}

static bool adprof_sum_eq(const struct adprof_sumtab *t,
			  const struct adprof_sum_ent *e,
			  const struct adprof_sum_ent *k)
{
	const struct adprof_stack *a, *b;

	if (e->hash != k->hash || e->pc != k->pc || e->pid != k->pid ||
	    e->flags != k->flags)
		return false;
	if (!t->depth)
		return true;
	a = adprof_sum_cstack(e);
	b = adprof_sum_cstack(k);
	return a->nr_kernel == b->nr_kernel && a->nr_user == b->nr_user &&
	       a->flags == b->flags &&
	       !memcmp(a->pc, b->pc, adprof_sum_nr(a) * sizeof(u64));
}

/* Copy the key into @e with count 1. */
static void adprof_sum_put(struct adprof_sumtab *t, struct adprof_sum_ent *e,
			   const struct adprof_sum_ent *k)
{
	const struct adprof_stack *st;

	e->pc = k->pc;
	e->pid = k->pid;
	e->hash = k->hash;
	e->flags = k->flags;
	e->count = 1;
	if (t->depth) {
		st = adprof_sum_cstack(k);
		memcpy(adprof_sum_stack(e), st,
		       sizeof(*st) + adprof_sum_nr(st) * sizeof(u64));
	}
}

/**
 * adprof_sum_add() - count the key in the table
 * @t: the table
 * @victim: with ADPROF_SUM_FULL, where to store the slot to evict: of the
 *	key's ADPROF_SUM_PROBES slots, the one with the fewest samples
 *
 * Be careful: called from the sampler, possibly in NMI: at most
 * ADPROF_SUM_PROBES slots are compared.
 *
 * Return: what was done, enum adprof_sum_res.
 */
enum adprof_sum_res adprof_sum_add(struct adprof_sumtab *t,
				   struct adprof_sum_ent **victim)
{
	struct adprof_sum_ent *k = adprof_sum_key(t), *e, *min = NULL;
	u32 mask = t->nent - 1, i, h;

	h = adprof_sum_hash(t, k);
	k->hash = h;
	for (i = 0; i < ADPROF_SUM_PROBES; i++) {
		e = adprof_sum_slot(t, (h + i) & mask);
		if (!e->count) {
			adprof_sum_put(t, e, k);
			t->used++;
			return ADPROF_SUM_NEW;
		}
		if (adprof_sum_eq(t, e, k)) {
			e->count++;
			return ADPROF_SUM_HIT;
		}
		if (!min || e->count < min->count)
			min = e;
	}
	*victim = min;
	return ADPROF_SUM_FULL;
}

/**
 * adprof_sum_replace() - put the key in the slot of the evicted entry
 * @t: the table
 * @victim: the slot adprof_sum_add() returned, written out by the caller
 *
 * The key gets count 1.
 */
void adprof_sum_replace(struct adprof_sumtab *t, struct adprof_sum_ent *victim)
{
	adprof_sum_put(t, victim, adprof_sum_key(t));
}

/**
 * adprof_sum_rec_len() - bytes of the count record of an entry
 * @t: the table
 * @e: a slot holding a key
 *
 * Return: sizeof(struct adprof_sample), with call stacks plus the stack.
 */
u32 adprof_sum_rec_len(const struct adprof_sumtab *t,
		       const struct adprof_sum_ent *e)
{
	u32 n = sizeof(struct adprof_sample);

	if (t->depth)
		n += sizeof(struct adprof_stack) +
		     adprof_sum_nr(adprof_sum_cstack(e)) * sizeof(u64);
	return n;
}

/**
 * adprof_sum_write() - write the count record of an entry
 * @t: the table
 * @e: a slot holding a key
 * @cpu: the CPU of the table
 * @s: adprof_sum_rec_len() bytes to write the record to, whole
 */
void adprof_sum_write(const struct adprof_sumtab *t,
		      const struct adprof_sum_ent *e, u32 cpu,
		      struct adprof_sample *s)
{
	const struct adprof_stack *st;

	s->pid = e->pid;
	s->tid = 0;
	s->cpu = cpu;
	s->flags = e->flags | ADPROF_SAMPLE_F_COUNT;
	s->count = e->count;
	s->pc = e->pc;
	if (t->depth) {
		st = adprof_sum_cstack(e);
		s->flags |= ADPROF_SAMPLE_F_STACK;
		memcpy(s + 1, st, sizeof(*st) + adprof_sum_nr(st) * sizeof(u64));
	}
}

/**
 * adprof_sum_next() - the next slot holding a key
 * @t: a table the caller owns
 * @pos: where to look from; start at 0, advanced past the slot returned
 *
 * Return: the slot, or NULL when no more hold a key.
 */
struct adprof_sum_ent *adprof_sum_next(struct adprof_sumtab *t, u32 *pos)
{
	struct adprof_sum_ent *e;

	while (*pos < t->nent) {
		e = adprof_sum_slot(t, (*pos)++);
		if (e->count)
			return e;
	}
	return NULL;
}

/**
 * adprof_sum_clear() - free every slot
 * @t: a table the caller owns
 */
void adprof_sum_clear(struct adprof_sumtab *t)
{
	u32 i;

	for (i = 0; i < t->nent; i++)
		adprof_sum_slot(t, i)->count = 0;
	t->used = 0;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * adprof summary tables (ADPROF_PROF_F_SUMMARY): a CPU's samples counted
 * by key, (pid, kernel or user, pc) and with call stacks the whole stack,
 * as bpftrace's @[pid, ip] = count() map and drop_monitor's summary mode
 * do, so that a tick sends one count record per key instead of a record
 * per sample.
 *
 * A table is a fixed array of slots, a power of two of them, allocated
 * when the session starts; each slot holds a key and its count (0: free),
 * and with call stacks room for STACK_DEPTH addresses. A key lives in one
 * of ADPROF_SUM_PROBES slots from its hash on (linear probing); when all of
 * them hold other keys, the one with the fewest samples is evicted: the
 * caller writes it out as a count record and adprof_sum_replace() puts the
 * new key in its slot. So a sample costs at most ADPROF_SUM_PROBES key
 * comparisons, and nothing is allocated or locked.
 *
 * Life cycle, with the per-CPU buffers' switch protocol (buffer.h): a
 * table is installed in its CPU's slot, where only that CPU's sampler
 * uses it (hard IRQ or NMI; it runs to completion); each tick the CPU's
 * worker switches in the empty spare table with xchg() on that CPU, then
 * owns the old one: it writes every entry out (adprof_sum_next()) and
 * empties it (adprof_sum_clear()), to be the next spare.
 *
 * The sampler fills the table's key (adprof_sum_key(), one per table: the
 * sampler of a CPU does not nest), then adprof_sum_add() counts it.
 *
 * Protected by: the CPU whose slot holds the table; its owner otherwise.
 */
#ifndef _ADPROF_SUMMARY_H
#define _ADPROF_SUMMARY_H

#include <linux/types.h>
#include <linux/adprof.h>

/* Slots a key may live in, from its hash on. */
#define ADPROF_SUM_PROBES	8

/**
 * struct adprof_sum_ent - one slot of a summary table: a key and its count
 * @pc: the sampled program counter
 * @pid: thread group id
 * @count: samples of this key since the table was emptied; 0: free slot
 * @hash: hash of the key, compared first
 * @flags: ADPROF_SAMPLE_F_KERNEL, as in the sample record
 *
 * With call stacks a struct adprof_stack and room for the table's depth
 * of addresses follow (adprof_sum_stack()): part of the key.
 */
struct adprof_sum_ent {
	u64 pc;
	u32 pid;
	u32 count;
	u32 hash;
	u32 flags;
};

/**
 * struct adprof_sumtab - a summary table
 * @nent: slots, a power of two
 * @depth: addresses of a key's call stack, 0 without stacks
 * @stride: bytes of a slot, a multiple of 8
 * @used: slots holding a key
 * @slots: @nent slots, then one more: the key being counted
 */
struct adprof_sumtab {
	u32 nent;
	u32 depth;
	u32 stride;
	u32 used;
	u64 slots[];
};

/**
 * enum adprof_sum_res - what adprof_sum_add() did with the key
 * @ADPROF_SUM_HIT: counted in the key's slot
 * @ADPROF_SUM_NEW: put in a free slot with count 1
 * @ADPROF_SUM_FULL: not counted: every slot it may live in holds another
 *	key; the caller writes the victim out, then adprof_sum_replace()
 */
enum adprof_sum_res {
	ADPROF_SUM_HIT,
	ADPROF_SUM_NEW,
	ADPROF_SUM_FULL,
};

u32 adprof_sum_stride(u32 depth);
struct adprof_sumtab *adprof_sum_alloc(u32 nent, u32 depth, gfp_t gfp);
void adprof_sum_free(struct adprof_sumtab *t);
struct adprof_sum_ent *adprof_sum_key(struct adprof_sumtab *t);
struct adprof_stack *adprof_sum_stack(struct adprof_sum_ent *e);
enum adprof_sum_res adprof_sum_add(struct adprof_sumtab *t,
				   struct adprof_sum_ent **victim);
void adprof_sum_replace(struct adprof_sumtab *t, struct adprof_sum_ent *victim);
u32 adprof_sum_rec_len(const struct adprof_sumtab *t,
		       const struct adprof_sum_ent *e);
void adprof_sum_write(const struct adprof_sumtab *t,
		      const struct adprof_sum_ent *e, u32 cpu,
		      struct adprof_sample *s);
struct adprof_sum_ent *adprof_sum_next(struct adprof_sumtab *t, u32 *pos);
void adprof_sum_clear(struct adprof_sumtab *t);

#endif /* _ADPROF_SUMMARY_H */

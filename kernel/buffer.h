/* SPDX-License-Identifier: GPL-2.0 */
/*
 * adprof sample buffers: one per CPU, rotated each tick onto a bounded
 * global list, as in NetBSD tprof. Nothing is lost without being counted.
 *
 * A buffer is always in exactly one of three places:
 *  - installed in its CPU's slot, where only that CPU's sampler writes it,
 *    through adprof_buf_reserve(), from the perf overflow handler (hard IRQ
 *    or NMI);
 *  - held by one owner: the tick worker that switched it out, or the reader
 *    that popped it. The owner uses every field without a lock;
 *  - on an adprof_buflist, where nobody touches it but the list functions.
 *
 * Each tick the CPU's worker installs a fresh buffer with adprof_buf_switch()
 * and passes the old one to adprof_buflist_rotate(), which counts it and keeps
 * it on the list or hands it back, emptied, to be freed or reused. The reader
 * pops the head buffer, takes records with adprof_buf_take(), and puts a
 * partly read buffer back at the head with adprof_buflist_push_head().
 *
 * Switch protocol. The sampler loads its CPU's slot once with READ_ONCE()
 * and runs to completion with interrupts off; adprof_buf_switch() swaps the
 * slot with xchg(), which no interrupt on the same CPU can split. So the glue
 * must call adprof_buf_switch() either on the slot's own CPU (from the bound
 * per-CPU worker; local_irq_save() and disabling the event are not needed) or
 * once that CPU's perf event is released for good. Then no sampler is inside
 * the old buffer when the switch returns, and its new owner may read it. A
 * switch from another CPU while the event runs would race with a sampler half
 * way through a record. A per-CPU work item may run elsewhere while its CPU
 * goes offline, so the worker checks smp_processor_id() with preemption
 * disabled around the switch, and skips the tick if it is on the wrong CPU.
 *
 * Locking order:
 *  reader serialization (the glue's, e.g. one work item) -> adprof_buflist.lock
 *
 * The list lock is taken with interrupts disabled, never from NMI, and no
 * buffer is allocated or freed while it is held.
 *
 * Protected by:
 *  C: the CPU whose slot holds the buffer; its owner otherwise
 *  R: the buffer's owner, i.e. the reader after adprof_buflist_pop()
 *  L: adprof_buflist.lock
 *  I: set by adprof_buf_alloc(), constant afterwards
 */
#ifndef _ADPROF_BUFFER_H
#define _ADPROF_BUFFER_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/adprof.h>

/**
 * struct adprof_buf - a buffer of sample records
 * @used: records written, data[0..used) (C)
 * @size: capacity in records (I)
 * @overflow: samples not taken because the buffer was full (C)
 * @rd: records already taken by the reader, data[0..rd) (R)
 * @list: link on the global list (L)
 * @data: the records
 */
struct adprof_buf {
	u32 used;
	u32 size;
	u32 overflow;
	u32 rd;
	struct list_head list;
	struct adprof_sample data[];
};

/**
 * struct adprof_bufstats - buffer statistics, tprof's names
 * @sample: records in buffers that reached the list
 * @overflow: samples not taken because a CPU buffer was full
 * @buf: buffers put on the list
 * @emptybuf: buffers rotated out with no record
 * @dropbuf: buffers dropped because the list was full
 * @dropbuf_sample: records in dropped buffers
 * @onlist_buf: buffers on the list now
 * @onlist_sample: unread records on the list now
 *
 * The first six count up from the last clear; the last two are the state of
 * the list, and bound it: onlist_buf never passes max_bufs by rotation.
 */
struct adprof_bufstats {
	u64 sample;
	u64 overflow;
	u64 buf;
	u64 emptybuf;
	u64 dropbuf;
	u64 dropbuf_sample;
	u64 onlist_buf;
	u64 onlist_sample;
};

/**
 * struct adprof_buflist - the global list of filled buffers
 * @lock: protects the fields below
 * @head: buffers in rotation order, oldest first (L)
 * @max_bufs: buffers rotation may keep on the list (L)
 * @stats: statistics; stats.onlist_buf is the length of @head (L)
 */
struct adprof_buflist {
	spinlock_t lock; /* the buffer list and its statistics */
	struct list_head head;
	u32 max_bufs;
	struct adprof_bufstats stats;
};

struct adprof_buf *adprof_buf_alloc(u32 size, gfp_t gfp);
void adprof_buf_free(struct adprof_buf *b);
struct adprof_buf *adprof_buf_switch(struct adprof_buf **slot,
				     struct adprof_buf *new);
const struct adprof_sample *adprof_buf_take(struct adprof_buf *b, u32 max,
					    u32 *n);

void adprof_buflist_init(struct adprof_buflist *l, u32 max_bufs);
void adprof_buflist_set_max(struct adprof_buflist *l, u32 max_bufs);
struct adprof_buf *adprof_buflist_rotate(struct adprof_buflist *l,
					 struct adprof_buf *old);
struct adprof_buf *adprof_buflist_pop(struct adprof_buflist *l);
void adprof_buflist_push_head(struct adprof_buflist *l, struct adprof_buf *b);
void adprof_buflist_stats(struct adprof_buflist *l, struct adprof_bufstats *st);
void adprof_buflist_clear(struct adprof_buflist *l);
void adprof_buflist_destroy(struct adprof_buflist *l);

/**
 * adprof_buf_reserve() - claim the next record of a CPU's current buffer
 * @b: the buffer installed in this CPU's slot, loaded once with READ_ONCE()
 *
 * Be careful: called from the perf overflow handler, possibly in NMI. Only
 * this CPU's sampler may call it, with interrupts off; no lock, no allocation.
 * The record counts as written at once: the caller fills every field of it
 * before returning from the handler (buffers are not zeroed).
 *
 * Return: the record to fill, or NULL when @b is full (counted in overflow).
 */
static inline struct adprof_sample *adprof_buf_reserve(struct adprof_buf *b)
{
	u32 idx = b->used;

	if (unlikely(idx >= b->size)) {
		b->overflow++;
		return NULL;
	}
	b->used = idx + 1;
	return &b->data[idx];
}

/**
 * adprof_buf_unread() - records the reader has not taken yet
 * @b: a buffer the caller owns
 *
 * Return: used - rd.
 */
static inline u32 adprof_buf_unread(const struct adprof_buf *b)
{
	return b->used - b->rd;
}

#endif /* _ADPROF_BUFFER_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * adprof sample buffers: one per CPU, rotated each tick onto a bounded
 * global list, as in NetBSD tprof. Nothing is lost without being counted.
 *
 * A buffer holds records back to back: struct adprof_sample, 32 bytes, or
 * for a sample with its call stack the same followed by a struct
 * adprof_stack and its addresses (adprof_record_len()). Space is counted
 * in bytes, records and samples in records: a sample that does not fit
 * counts in overflow, a buffer's records in sample or dropbuf_sample.
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
 * pops the head buffer, takes whole records with adprof_buf_take(), and puts
 * a partly read buffer back at the head with adprof_buflist_push_head().
 * A buffer read to its end, or handed back by rotation, goes to an
 * adprof_bufpool, which keeps a few of the session's size for the ticks to
 * install again: in a steady session no tick allocates, and the allocator
 * does not zero a buffer per CPU per tick (init_on_alloc).
 *
 * A buffer may also be:
 *  - in an adprof_bufpool, reset, where nobody touches it but the pool
 *    functions, until adprof_bufpool_get() hands it to a new owner.
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
 *  adprof_bufpool.lock is taken alone.
 *
 * The list lock is taken with interrupts disabled, never from NMI, and no
 * buffer is allocated or freed while it is held.
 *
 * Protected by:
 *  C: the CPU whose slot holds the buffer; its owner otherwise
 *  R: the buffer's owner, i.e. the reader after adprof_buflist_pop()
 *  L: adprof_buflist.lock
 *  P: adprof_bufpool.lock
 *  I: set by adprof_buf_alloc(), constant afterwards (@cpu: also set by
 *     adprof_bufpool_get(), while the getter owns the buffer)
 */
#ifndef _ADPROF_BUFFER_H
#define _ADPROF_BUFFER_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/math.h>
#include <linux/spinlock.h>
#include <linux/adprof.h>

/**
 * struct adprof_sumstats - summary table counters (summary.h), tprof-style
 * @sample: samples counted into a table
 * @record: count records written from a table
 * @evict: of them, written before the tick to make room (eviction)
 * @miss: samples not taken: no room for their comm record or the evicted
 *	entry's record (also in overflow)
 * @drop: samples of entries whose record found no room at the tick (also
 *	in overflow)
 *
 * Every sample a summary session tries to take is in @sample or @miss;
 * every one in @sample is in exactly one count record, or in @drop.
 */
struct adprof_sumstats {
	u32 sample;
	u32 record;
	u32 evict;
	u32 miss;
	u32 drop;
};

/**
 * struct adprof_buf - a buffer of sample records
 * @used: bytes written, of whole records (C)
 * @size: capacity in bytes (I)
 * @nrec: records written, a count record as its count (C)
 * @overflow: samples not taken because the buffer was full (C)
 * @rd: bytes already taken by the reader (R)
 * @rd_rec: records already taken by the reader, counted as @nrec (R)
 * @sum: summary table counters of the buffer's interval (C)
 * @cpu: the CPU whose slot it is made for (I)
 * @list: link on the global list (L) or in a pool (P)
 * @data: the records, 8-byte aligned
 */
struct adprof_buf {
	u32 used;
	u32 size;
	u32 nrec;
	u32 overflow;
	u32 rd;
	u32 rd_rec;
	u32 cpu;
	struct adprof_sumstats sum;
	struct list_head list;
	u64 data[];
};

/* Buffer sizes: room for ADPROF_BUF_SAMPLES_MIN records, up to 4 MiB. */
#define ADPROF_BUF_BYTES_MIN	(ADPROF_BUF_SAMPLES_MIN * sizeof(struct adprof_sample))

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
 * @sum_sample: samples counted into summary tables
 * @sum_record: count records written from them
 * @sum_evict: of them, written early to make room
 * @sum_miss: samples of summary sessions not taken (also in overflow)
 * @sum_drop: samples of entries whose record found no room (also in overflow)
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
	u64 sum_sample;
	u64 sum_record;
	u64 sum_evict;
	u64 sum_miss;
	u64 sum_drop;
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

/**
 * struct adprof_bufpool - buffers kept for reuse
 * @lock: protects the fields below
 * @free: the kept buffers, reset (P)
 * @n: how many (P)
 * @max: most kept; 0 while closed: every buffer put is freed (P)
 * @bytes: the size of the buffers it keeps; others are freed (P)
 */
struct adprof_bufpool {
	spinlock_t lock; /* the kept buffers */
	struct list_head free;
	u32 n;
	u32 max;
	u32 bytes;
};

struct adprof_buf *adprof_buf_alloc(u32 bytes, u32 cpu, gfp_t gfp);
void adprof_buf_free(struct adprof_buf *b);
struct adprof_buf *adprof_buf_switch(struct adprof_buf **slot,
				     struct adprof_buf *new);
const void *adprof_buf_take(struct adprof_buf *b, u32 max_bytes, u32 *bytes,
			    u32 *nrec);
u32 adprof_rec_len(const struct adprof_sample *s);

void adprof_buflist_init(struct adprof_buflist *l, u32 max_bufs);
void adprof_buflist_set_max(struct adprof_buflist *l, u32 max_bufs);
struct adprof_buf *adprof_buflist_rotate(struct adprof_buflist *l,
					 struct adprof_buf *old);
struct adprof_buf *adprof_buflist_pop(struct adprof_buflist *l);
void adprof_buflist_push_head(struct adprof_buflist *l, struct adprof_buf *b);
void adprof_buflist_stats(struct adprof_buflist *l, struct adprof_bufstats *st);
void adprof_buflist_clear(struct adprof_buflist *l);
void adprof_buflist_destroy(struct adprof_buflist *l);

void adprof_bufpool_init(struct adprof_bufpool *p);
void adprof_bufpool_open(struct adprof_bufpool *p, u32 bytes, u32 max);
struct adprof_buf *adprof_bufpool_get(struct adprof_bufpool *p, u32 cpu);
void adprof_bufpool_put(struct adprof_bufpool *p, struct adprof_buf *b);
void adprof_bufpool_close(struct adprof_bufpool *p);

/**
 * adprof_buf_reserve() - claim the next record of a CPU's current buffer
 * @b: the buffer installed in this CPU's slot, loaded once with READ_ONCE()
 * @len: the record's length, a multiple of 8
 *
 * Be careful: called from the perf overflow handler, possibly in NMI. Only
 * this CPU's sampler may call it, with interrupts off; no lock, no allocation.
 * The record counts as written at once: the caller fills every byte of it
 * before returning from the handler (buffers are not zeroed).
 *
 * Return: the record to fill, or NULL when it does not fit in @b (counted
 * in overflow).
 */
static inline void *adprof_buf_reserve(struct adprof_buf *b, u32 len)
{
	u32 off = b->used;

	if (unlikely(len > b->size - off)) {
		b->overflow++;
		return NULL;
	}
	b->used = off + len;
	b->nrec++;
	return (u8 *)b->data + off;
}

/**
 * adprof_buf_reserve_count() - claim the next record for a count record
 * @b: as for adprof_buf_reserve()
 * @len: the record's length, a multiple of 8
 * @count: the samples it stands for, >= 1
 *
 * As adprof_buf_reserve(), with the same context rules, for a record of
 * ADPROF_SAMPLE_F_COUNT: it counts as @count records.
 *
 * Return: the record to fill, or NULL when it does not fit in @b (one
 * overflow counted; the caller counts the rest of what it loses).
 */
static inline void *adprof_buf_reserve_count(struct adprof_buf *b, u32 len,
					     u32 count)
{
	void *s = adprof_buf_reserve(b, len);

	if (s)
		b->nrec += count - 1;
	return s;
}

/**
 * adprof_buf_reserve_max() - room for a record whose length is not known yet
 * @b: as for adprof_buf_reserve()
 * @max: the longest the record can be, a multiple of 8
 *
 * For a record built in place (a sample with its call stack): the caller
 * writes at most @max bytes there, then adprof_buf_commit()s what it wrote,
 * before returning from the handler. Same context rules as
 * adprof_buf_reserve().
 *
 * Return: where to write, or NULL when less than @max bytes are left
 * (counted in overflow: the sample is not taken).
 */
static inline void *adprof_buf_reserve_max(struct adprof_buf *b, u32 max)
{
	if (unlikely(max > b->size - b->used)) {
		b->overflow++;
		return NULL;
	}
	return (u8 *)b->data + b->used;
}

/**
 * adprof_buf_commit() - count the record written after adprof_buf_reserve_max()
 * @b: the same buffer
 * @len: the record's length, a multiple of 8, at most that call's @max
 */
static inline void adprof_buf_commit(struct adprof_buf *b, u32 len)
{
	b->used += len;
	b->nrec++;
}

/**
 * adprof_rec_weight() - what a record counts for in a buffer's @nrec
 * @s: the record
 *
 * Return: its count for a count record, else 1 (comm records too).
 */
static inline u32 adprof_rec_weight(const struct adprof_sample *s)
{
	return s->flags & ADPROF_SAMPLE_F_COUNT ? (u32)s->count : 1;
}

/**
 * adprof_buf_unread() - records the reader has not taken yet
 * @b: a buffer the caller owns
 *
 * Return: nrec - rd_rec.
 */
static inline u32 adprof_buf_unread(const struct adprof_buf *b)
{
	return b->nrec - b->rd_rec;
}

/**
 * adprof_buf_kick_bytes() - bytes used from which a buffer is due
 * @size: the buffer's size
 * @rec_max: the longest record the session's sampler writes
 * @msg: bytes of records a message carries at most (0: no such limit)
 *
 * Half of @size, so that what comes while the tick gets to run still
 * fits. When that half holds one message of @msg bytes or more, the whole
 * messages in it less an eighth of one: the buffer then goes as that many
 * full messages with room for the samples taken between the kick and the
 * switch, not as full messages and a few records in one more (each
 * message costs the tick, the stream worker and the subscriber a wakeup).
 *
 * Return: that, or less when the longest record would not fit after it:
 * the first use at which one more such record may not fit (0 if none
 * ever fits).
 */
static inline u32 adprof_buf_kick_bytes(u32 size, u32 rec_max, u32 msg)
{
	u32 kick = size / 2;

	if (rec_max > size)
		return 0;
	if (msg && kick >= msg)
		kick = rounddown(kick, msg) - msg / 8;
	return min(kick, size - rec_max + 1);
}

/**
 * adprof_buf_due() - is a slot's buffer worth rotating out before its time?
 * @b: the buffer in a CPU's slot, or NULL
 * @kick: adprof_buf_kick_bytes() of the session's buffers
 *
 * For the tick, which rotates a buffer once it is due by time or by this:
 * @kick bytes used (at least half full, or without room for one more
 * record of the longest kind), or a sample already refused for room. The
 * tick reads the counts while the sampler may still write them, on the
 * same CPU: a stale value only moves the rotation by a tick.
 *
 * Return: true if @b should go now (true for an empty slot).
 */
static inline bool adprof_buf_due(const struct adprof_buf *b, u32 kick)
{
	if (!b)
		return true;
	return READ_ONCE(b->used) >= kick || READ_ONCE(b->overflow);
}

#endif /* _ADPROF_BUFFER_H */

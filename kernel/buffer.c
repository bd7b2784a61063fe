// SPDX-License-Identifier: GPL-2.0
/*
 * adprof sample buffers and their rotation onto the global list. The life
 * cycle, the switch protocol and the locking rules are in buffer.h.
 */
#include <linux/types.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/slab.h>
#include <linux/overflow.h>
#include <linux/atomic.h>
#include <linux/bug.h>

#include "buffer.h"

static void adprof_buf_reset(struct adprof_buf *b)
{
	b->used = 0;
	b->nrec = 0;
	b->overflow = 0;
	b->rd = 0;
	b->rd_rec = 0;
}

/**
 * adprof_rec_len() - length of a record
 * @s: the start of a record: a struct adprof_sample
 *
 * Return: its bytes, adprof_record_len().
 */
u32 adprof_rec_len(const struct adprof_sample *s)
{
	return adprof_record_len(s);
}

/**
 * adprof_buf_alloc() - allocate an empty buffer
 * @bytes: capacity, a multiple of 8 in ADPROF_BUF_BYTES_MIN..ADPROF_BUF_BYTES_MAX
 * @cpu: the CPU it is for, which the reader finds in it
 * @gfp: allocation flags; with GFP_KERNEL a large buffer may come from vmalloc
 *
 * Records are not zeroed: adprof_buf_reserve()'s caller writes each one whole.
 *
 * Return: the buffer, or NULL if @bytes is out of range or memory is short.
 */
struct adprof_buf *adprof_buf_alloc(u32 bytes, u32 cpu, gfp_t gfp)
{
	struct adprof_buf *b;

	if (bytes < ADPROF_BUF_BYTES_MIN || bytes > ADPROF_BUF_BYTES_MAX ||
	    bytes % sizeof(u64))
		return NULL;
	b = kvmalloc(struct_size(b, data, bytes / sizeof(u64)), gfp);
	if (!b)
		return NULL;
	b->size = bytes;
	b->cpu = cpu;
	INIT_LIST_HEAD(&b->list);
	adprof_buf_reset(b);
	return b;
}

/**
 * adprof_buf_free() - free a buffer that is neither installed nor listed
 * @b: the buffer, or NULL
 *
 * Return: nothing.
 */
void adprof_buf_free(struct adprof_buf *b)
{
	kvfree(b);
}

/**
 * adprof_buf_switch() - install a buffer in a CPU's slot
 * @slot: the CPU's slot, read by its sampler with READ_ONCE()
 * @new: the buffer to install, or NULL to stop recording on that CPU
 *
 * Run it on the slot's CPU, or once that CPU's perf event is released; see
 * the switch protocol in buffer.h. xchg() is a full barrier, so the sampler
 * sees @new initialized, and the caller sees every record of the old buffer.
 *
 * Return: the buffer that was installed, now owned by the caller, or NULL.
 */
struct adprof_buf *adprof_buf_switch(struct adprof_buf **slot,
				     struct adprof_buf *new)
{
	return xchg(slot, new);
}

/**
 * adprof_buf_take() - take the next whole records of a popped buffer
 * @b: a buffer the reader owns
 * @max_bytes: at most this many bytes, unless the first record is longer
 * @bytes: where to store how many bytes were taken
 * @nrec: where to store how many records they hold
 *
 * The records stay valid until @b is freed; if some are left the reader
 * puts @b back with adprof_buflist_push_head().
 *
 * Return: the first of the records, or NULL when none is left.
 */
const void *adprof_buf_take(struct adprof_buf *b, u32 max_bytes, u32 *bytes,
			    u32 *nrec)
{
	const u8 *first = (const u8 *)b->data + b->rd;
	u32 off = b->rd, n = 0, len;

	while (off < b->used) {
		len = adprof_rec_len((const void *)((const u8 *)b->data + off));
		/* Records are written whole by this module: never past used. */
		if (WARN_ON_ONCE(len > b->used - off))
			break;
		if (n && off + len - b->rd > max_bytes)
			break;
		off += len;
		n++;
	}
	*bytes = off - b->rd;
	*nrec = n;
	b->rd = off;
	b->rd_rec += n;
	return n ? first : NULL;
}

/**
 * adprof_buflist_init() - initialize an empty list with zeroed statistics
 * @l: the list
 * @max_bufs: buffers rotation may keep on it
 *
 * Return: nothing.
 */
void adprof_buflist_init(struct adprof_buflist *l, u32 max_bufs)
{
	spin_lock_init(&l->lock);
	INIT_LIST_HEAD(&l->head);
	l->max_bufs = max_bufs;
	l->stats = (struct adprof_bufstats){};
}

/**
 * adprof_buflist_set_max() - change the bound of the list
 * @l: the list
 * @max_bufs: buffers rotation may keep on it from now on
 *
 * Buffers already on the list stay there until read or cleared.
 *
 * Return: nothing.
 */
void adprof_buflist_set_max(struct adprof_buflist *l, u32 max_bufs)
{
	unsigned long flags;

	spin_lock_irqsave(&l->lock, flags);
	l->max_bufs = max_bufs;
	spin_unlock_irqrestore(&l->lock, flags);
}

/**
 * adprof_buflist_rotate() - account a buffer switched out by a tick
 * @l: the list
 * @old: the buffer adprof_buf_switch() returned, or NULL
 *
 * Its overflow always goes into the statistics. An empty buffer counts in
 * emptybuf; otherwise, while the list holds fewer than max_bufs buffers,
 * @old is appended (buf, sample), else it is dropped (dropbuf,
 * dropbuf_sample). A buffer handed back is reset, ready for reuse.
 *
 * Return: NULL if @old is now on the list (or was NULL), else @old, owned
 * by the caller, to free or install again.
 */
struct adprof_buf *adprof_buflist_rotate(struct adprof_buflist *l,
					 struct adprof_buf *old)
{
	unsigned long flags;

	if (!old)
		return NULL;

	spin_lock_irqsave(&l->lock, flags);
	l->stats.overflow += old->overflow;
	if (!old->nrec) {
		l->stats.emptybuf++;
	} else if (l->stats.onlist_buf < l->max_bufs) {
		l->stats.buf++;
		l->stats.sample += old->nrec;
		l->stats.onlist_buf++;
		l->stats.onlist_sample += old->nrec;
		list_add_tail(&old->list, &l->head);
		old = NULL;
	} else {
		l->stats.dropbuf++;
		l->stats.dropbuf_sample += old->nrec;
	}
	spin_unlock_irqrestore(&l->lock, flags);

	if (old)
		adprof_buf_reset(old);
	return old;
}

/**
 * adprof_buflist_pop() - take the oldest buffer off the list
 * @l: the list
 *
 * The caller becomes its reader: it takes records with adprof_buf_take(),
 * then frees it or, if records are left, puts it back with
 * adprof_buflist_push_head().
 *
 * Return: the buffer, or NULL if the list is empty.
 */
struct adprof_buf *adprof_buflist_pop(struct adprof_buflist *l)
{
	struct adprof_buf *b;
	unsigned long flags;

	spin_lock_irqsave(&l->lock, flags);
	b = list_first_entry_or_null(&l->head, struct adprof_buf, list);
	if (b) {
		list_del_init(&b->list);
		l->stats.onlist_buf--;
		l->stats.onlist_sample -= adprof_buf_unread(b);
	}
	spin_unlock_irqrestore(&l->lock, flags);
	return b;
}

/**
 * adprof_buflist_push_head() - put a partly read buffer back at the head
 * @l: the list
 * @b: the buffer adprof_buflist_pop() returned, with records left
 *
 * The next pop returns @b again, so records are read in order. It goes back
 * even if the list is at max_bufs meanwhile: it was already counted in buf.
 * The reader must not push back across adprof_buflist_clear().
 *
 * Return: nothing.
 */
void adprof_buflist_push_head(struct adprof_buflist *l, struct adprof_buf *b)
{
	unsigned long flags;

	spin_lock_irqsave(&l->lock, flags);
	list_add(&b->list, &l->head);
	l->stats.onlist_buf++;
	l->stats.onlist_sample += adprof_buf_unread(b);
	spin_unlock_irqrestore(&l->lock, flags);
}

/**
 * adprof_buflist_stats() - snapshot the statistics
 * @l: the list
 * @st: where to copy them
 *
 * Return: nothing.
 */
void adprof_buflist_stats(struct adprof_buflist *l, struct adprof_bufstats *st)
{
	unsigned long flags;

	spin_lock_irqsave(&l->lock, flags);
	*st = l->stats;
	spin_unlock_irqrestore(&l->lock, flags);
}

static void adprof_buflist_splice(struct adprof_buflist *l,
				  struct list_head *to)
{
	lockdep_assert_held(&l->lock);

	list_splice_init(&l->head, to);
	l->stats.onlist_buf = 0;
	l->stats.onlist_sample = 0;
}

static void adprof_buflist_free_all(struct list_head *bufs)
{
	struct adprof_buf *b, *tmp;

	list_for_each_entry_safe(b, tmp, bufs, list)
		adprof_buf_free(b);
}

/**
 * adprof_buflist_clear() - free the unread buffers and zero the statistics
 * @l: the list
 *
 * The glue serializes it with the reader, so that no popped buffer is pushed
 * back afterwards (tprof holds its reader lock here).
 *
 * Return: nothing.
 */
void adprof_buflist_clear(struct adprof_buflist *l)
{
	unsigned long flags;
	LIST_HEAD(bufs);

	spin_lock_irqsave(&l->lock, flags);
	adprof_buflist_splice(l, &bufs);
	l->stats = (struct adprof_bufstats){};
	spin_unlock_irqrestore(&l->lock, flags);

	adprof_buflist_free_all(&bufs);
}

/**
 * adprof_buflist_destroy() - free the buffers left on a list no one uses
 * @l: the list; adprof_buflist_init() makes it usable again
 *
 * Return: nothing.
 */
void adprof_buflist_destroy(struct adprof_buflist *l)
{
	unsigned long flags;
	LIST_HEAD(bufs);

	spin_lock_irqsave(&l->lock, flags);
	adprof_buflist_splice(l, &bufs);
	spin_unlock_irqrestore(&l->lock, flags);

	adprof_buflist_free_all(&bufs);
}

/**
 * adprof_bufpool_init() - initialize a closed, empty pool
 * @p: the pool
 *
 * Return: nothing.
 */
void adprof_bufpool_init(struct adprof_bufpool *p)
{
	spin_lock_init(&p->lock);
	INIT_LIST_HEAD(&p->free);
	p->n = 0;
	p->max = 0;
	p->bytes = 0;
}

/**
 * adprof_bufpool_open() - keep up to @max buffers of @bytes from now on
 * @p: the pool, closed (so empty)
 * @bytes: the size of the buffers to keep
 * @max: how many at most
 *
 * Return: nothing.
 */
void adprof_bufpool_open(struct adprof_bufpool *p, u32 bytes, u32 max)
{
	spin_lock(&p->lock);
	WARN_ON_ONCE(p->n);
	p->bytes = bytes;
	p->max = max;
	spin_unlock(&p->lock);
}

/**
 * adprof_bufpool_get() - take a kept buffer
 * @p: the pool
 * @cpu: the CPU it is for from now on
 *
 * Return: an empty buffer the caller owns, or NULL if none is kept.
 */
struct adprof_buf *adprof_bufpool_get(struct adprof_bufpool *p, u32 cpu)
{
	struct adprof_buf *b;

	spin_lock(&p->lock);
	b = list_first_entry_or_null(&p->free, struct adprof_buf, list);
	if (b) {
		list_del_init(&b->list);
		p->n--;
	}
	spin_unlock(&p->lock);
	if (b)
		b->cpu = cpu;
	return b;
}

/**
 * adprof_bufpool_put() - give a buffer the caller owns to the pool
 * @p: the pool
 * @b: the buffer, read to its end or never listed, or NULL
 *
 * It is kept, reset, if the pool is open, has room and keeps buffers of
 * its size; else it is freed.
 *
 * Return: nothing.
 */
void adprof_bufpool_put(struct adprof_bufpool *p, struct adprof_buf *b)
{
	if (!b)
		return;
	adprof_buf_reset(b);
	spin_lock(&p->lock);
	if (p->n < p->max && b->size == p->bytes) {
		list_add(&b->list, &p->free);
		p->n++;
		b = NULL;
	}
	spin_unlock(&p->lock);
	adprof_buf_free(b);
}

/**
 * adprof_bufpool_close() - free the kept buffers, keep none from now on
 * @p: the pool; adprof_bufpool_open() opens it again
 *
 * Return: nothing.
 */
void adprof_bufpool_close(struct adprof_bufpool *p)
{
	LIST_HEAD(bufs);

	spin_lock(&p->lock);
	list_splice_init(&p->free, &bufs);
	p->n = 0;
	p->max = 0;
	spin_unlock(&p->lock);
	adprof_buflist_free_all(&bufs);
}

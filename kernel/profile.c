// SPDX-License-Identifier: GPL-2.0
/*
 * adprof sampling profiler: NetBSD tprof's life cycle on perf and generic
 * netlink.
 *
 * A session samples the CPUs of its mask with one backend (backend.h). On
 * each sampled CPU the backend's interrupt calls adprof_prof_sample(), which
 * writes records into that CPU's current buffer (buffer.h) and nothing else.
 * A CPU's buffer is rotated once it has been current for prof_latency_ms
 * (1 s by default: the longest a subscriber waits for a sample), or
 * sooner once it is half full (or holds whole messages' worth: see
 * adprof_buf_kick_bytes()): the sampler then kicks (an irq_work, which
 * NMI may raise) the CPU's tick worker, bound to that CPU, which otherwise
 * runs when the latency is up. The worker switches in a spare buffer and
 * rotates the old one onto the global list. So each message, with the
 * wakeups of the tick worker, the stream worker and the subscriber that
 * come with it, carries half a buffer or a latency's worth of samples, as
 * perf's ring buffer wakes its reader at a watermark; a buffer is sized
 * (by default) for twice the samples of a latency. The stream worker pops buffers
 * off the list and multicasts them on the "samples" group, as long as
 * somebody listens; with nobody listening the list keeps what it may hold
 * (MAX_BUFS) and rotation counts the rest as dropped. Buffers read to
 * their end go to a pool (two per sampled CPU at most) that the ticks take
 * their spares from: a steady session allocates nothing.
 *
 * Stream. Each message carries the records of one buffer (or of one part of
 * it: at most ADPROF_STREAM_BYTES of whole records, so messages stay under
 * 32 KiB), hence of one CPU: ADPROF_A_CPU, ADPROF_A_SEQ (per-CPU message
 * count of the session, from 0, so a gap shows a message the subscriber
 * missed), ADPROF_A_LOST, ADPROF_A_RECORD_VERSION and ADPROF_A_SAMPLES.
 * LOST counts what the kernel took, or tried to take, on that CPU but did
 * not deliver since the previous message of the stream: samples refused by
 * a full buffer (overflow), records of buffers dropped because the list
 * was full or freed by PROF_CLEAR, and records of messages whose multicast
 * failed (with several subscribers, a failure to deliver to one counts for
 * all). So a subscriber that sees every sequence number and LOST 0 has
 * every sample of the session. When a session stops, a message without
 * records carries loss that no later message would.
 *
 * Records. A record with ADPROF_SAMPLE_F_COMM names a process; the sampler
 * writes one before the first sample of a pid in each buffer, and again if
 * the process's name changes, so every message names its pids unless a
 * buffer was split. The statistics count records, comm records included.
 * With ADPROF_PROF_F_STACK a sample record is followed by its call stack
 * (callchain.c): records then differ in length, and buffers are sized in
 * bytes for BUF_SAMPLES records of the deepest stack the session allows;
 * a sample with less room than that left is not taken (overflow). Without
 * it, records and the sampler's work are those of a fixed 32-byte record.
 *
 * Summary. With ADPROF_PROF_F_SUMMARY the sampler writes no sample record:
 * it counts the sample in its CPU's summary table (summary.h) by (pid,
 * user or kernel, pc), and with call stacks by the whole stack. Ticks come
 * every prof_summary_ms (1 s by default: a steady workload has about as
 * many keys in a second as in a tenth, and each message and comm record
 * is paid once per tick), and each tick
 * the worker switches in the CPU's spare table, then its buffer, and
 * writes the old table out as count records (ADPROF_SAMPLE_F_COUNT) into
 * the old buffer before rotating it: the buffers, the list and the stream
 * are the same as for samples, with fewer, heavier records. A key whose
 * probe window is full evicts the entry with the fewest samples, which the
 * sampler writes into its current buffer at once. Comm records are written
 * as for samples, so every pid of a count record is named before it on
 * its CPU's stream (the table is switched before the buffer). Counters
 * count a count record as its samples (buffer.h), so every identity of the
 * statistics and LOST holds in samples; the summary counters (struct
 * adprof_sumstats) account for the tables.
 *
 * CPUs. Without ADPROF_A_CPUMASK every online CPU is sampled; a mask naming
 * a CPU that does not exist or is offline is refused. A CPU that goes
 * offline during a session stops sampling for the rest of it (perf detaches
 * the event); its tick skips the switch while it runs elsewhere, and what
 * the CPU recorded reaches the list when the session stops.
 *
 * Sessions. The socket that starts a session owns it: when that socket is
 * closed, the session stops and its unread buffers are freed, as tprof's
 * close does, unless ADPROF_PROF_F_DETACH was given. PROF_STOP flushes the
 * last partial buffers and streams the list before it answers, so a
 * subscriber has every message once the stop is acknowledged. PROF_START
 * frees buffers a previous session left unread once its own events run:
 * the stream restarts at sequence 0 and they do not belong to it; a start
 * that fails frees nothing.
 *
 * Statistics. Unread buffers are freed only by a clear, which also zeroes
 * every counter, as tprof_clear() does: PROF_CLEAR, a PROF_START that
 * succeeds, and the close of the owner's socket (tprof's close). So each session counts from
 * zero, and every record in sample was streamed (stream_samples), failed
 * to stream (stream_error_samples) or is still on the list (onlist_sample).
 *
 * Locking order:
 *  adprof_prof_lock -> cpus_read_lock() -> adprof_prof_reader_lock
 *  adprof_prof_lock -> adprof_prof_reader_lock -> adprof_prof_list.lock
 * The tick workers take only adprof_prof_list.lock and adprof_prof_pool's
 * lock (in buffer.c; each alone), so
 * adprof_prof_lock may cancel them synchronously; the stream worker takes
 * adprof_prof_reader_lock, never adprof_prof_lock.
 *
 * Protected by:
 *  S: adprof_prof_lock, the start/stop lock (tprof_startstop_lock)
 *  s: written under S while no session runs, read-only while one runs
 *  R: adprof_prof_reader_lock, the stream (tprof_reader_lock)
 *  C: the CPU's sampler; see buffer.h for the slot and switch protocol,
 *     which the summary table slot follows too (summary.h)
 *  W: the CPU's tick worker while a session runs, else S
 *  A: atomic
 *  I: set at init, constant afterwards
 */
#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/irq_work.h>
#include <linux/jiffies.h>
#include <linux/lockdep.h>
#include <linux/log2.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>
#include <linux/adprof.h>

#include "backend.h"
#include "buffer.h"
#include "callchain.h"
#include "debugfs.h"
#include "netlink.h"
#include "profile.h"
#include "summary.h"

/* Bytes of records per message: 30 KiB keeps the skb under 32 KiB. */
#define ADPROF_STREAM_BYTES	(30U << 10)
/* The default summary table's slots at most (SUMMARY_ENTRIES may pass it). */
#define ADPROF_SUM_DEFAULT_MAX	4096
/* Processes remembered per CPU between comm records. */
#define ADPROF_COMM_CACHE	64
#define ADPROF_TICK_MS_MIN	10U
#define ADPROF_SUMMARY_MS_MAX	10000U
#define ADPROF_LATENCY_MS_MAX	10000U

static unsigned int prof_latency_ms = 1000;
module_param(prof_latency_ms, uint, 0644);
MODULE_PARM_DESC(prof_latency_ms,
		 "longest a sample waits for its buffer's rotation in ms (10-10000, read at start)");

/* drop_monitor's summary alerts come once a second (dm_delay), too. */
static unsigned int prof_summary_ms = 1000;
module_param(prof_summary_ms, uint, 0644);
MODULE_PARM_DESC(prof_summary_ms,
		 "rotation period of summary sessions in ms (10-10000, read at start)");

/**
 * struct adprof_comm_ent - a process the sampler has named in this buffer
 * @pid: thread group id
 * @gen: adprof_prof_cpu.comm_gen when it was named; older means unnamed
 * @comm: the name written
 */
struct adprof_comm_ent {
	u32 pid;
	u32 gen;
	char comm[ADPROF_COMM_LEN];
};

/**
 * struct adprof_prof_cpu - per-CPU profiler state
 * @buf: the slot: the buffer the sampler writes, or NULL (C)
 * @comm_gen: bumped by the sampler when it starts a buffer (C)
 * @comm: pids named in the current buffer, direct-mapped (C)
 * @tab: the summary table slot, or NULL: the table the sampler counts in (C)
 * @cpu: this CPU's number (I)
 * @kicked: the sampler has kicked the tick for the current buffer, or
 *	kicks are off: set by the sampler (C), cleared by the tick as it
 *	switches (W) and by the start once the session is set up (S)
 * @kick: raised by the sampler when its buffer is half full: runs the tick
 * @tick: the tick worker, queued on @cpu
 * @due: jiffies by which the current buffer is rotated, full or not (W)
 * @spare: the next buffer to switch in, or NULL (W)
 * @tab_spare: the next summary table to switch in, empty, or NULL (W)
 * @event: the backend's handle while the CPU is sampled (S)
 * @seq: sequence number of the next message of this CPU's stream (R)
 * @lost: samples lost since the last message of the stream (A)
 */
struct adprof_prof_cpu {
	struct adprof_buf *buf;
	u32 comm_gen;
	struct adprof_comm_ent comm[ADPROF_COMM_CACHE];
	struct adprof_sumtab *tab;
	bool kicked;

	unsigned int cpu;
	struct irq_work kick;
	struct delayed_work tick;
	unsigned long due;
	struct adprof_buf *spare;
	struct adprof_sumtab *tab_spare;
	void *event;

	u32 seq;
	atomic64_t lost;
};

static const struct adprof_backend *const adprof_backends[] = {
	&adprof_backend_cpu_clock,
	&adprof_backend_cycles,
};

/* Probed once at load. (I) */
static bool adprof_backend_ok[ARRAY_SIZE(adprof_backends)];

static DEFINE_MUTEX(adprof_prof_lock);
static DEFINE_MUTEX(adprof_prof_reader_lock);

static struct adprof_prof_cpu __percpu *adprof_prof_cpus;	/* I */
static struct adprof_buflist adprof_prof_list;
/* Open while a session runs, for its buffer size; its own lock (buffer.h). */
static struct adprof_bufpool adprof_prof_pool;

static bool adprof_prof_running;		/* S */
static const struct adprof_backend *adprof_prof_backend;	/* S */
static cpumask_var_t adprof_prof_mask;		/* s */
static u32 adprof_prof_freq;			/* s */
static u32 adprof_prof_buf_samples;		/* s */
static u32 adprof_prof_buf_bytes;		/* s */
static u32 adprof_prof_depth;			/* s, 0: no call stacks */
static u32 adprof_prof_rec_max;			/* s, longest record */
static u32 adprof_prof_kick_bytes;		/* s, adprof_buf_kick_bytes() */
static u32 adprof_prof_max_bufs;		/* s */
static u32 adprof_prof_sum_nent;		/* s, 0: no summary tables */
static u32 adprof_prof_flags;			/* s */
static unsigned long adprof_prof_tick_jiffies;	/* s, the latency */
static struct net *adprof_prof_owner_net;	/* S, compared only */
static u32 adprof_prof_owner;			/* S, 0: none or detached */

static bool adprof_prof_exiting;		/* R */

/* Streaming statistics; the buffer ones live in adprof_prof_list. */
static atomic64_t adprof_stream_msgs;
static atomic64_t adprof_stream_samples;
static atomic64_t adprof_stream_errors;
static atomic64_t adprof_stream_error_samples;

static void adprof_prof_stream_work(struct work_struct *work);
static DECLARE_WORK(adprof_prof_streamer, adprof_prof_stream_work);

/* -------------------- the sampler */

/*
 * Has @pid been named with this @comm in the current buffer? A racy copy
 * of the name, as perf takes it: a torn read costs one extra comm record.
 */
static struct adprof_comm_ent *adprof_comm_lookup(struct adprof_prof_cpu *c,
						  u32 pid, char *comm)
{
	struct adprof_comm_ent *e = &c->comm[pid % ADPROF_COMM_CACHE];
	struct task_struct *leader = READ_ONCE(current->group_leader);

	memcpy(comm, leader->comm, ADPROF_COMM_LEN);
	comm[ADPROF_COMM_LEN - 1] = '\0';
	if (e->gen == c->comm_gen && e->pid == pid &&
	    !memcmp(e->comm, comm, ADPROF_COMM_LEN))
		return NULL;
	return e;
}

/*
 * Count a sample in @c's summary table; an evicted entry becomes a count
 * record in @b. Same context as adprof_prof_sample().
 */
static void adprof_prof_count(struct adprof_prof_cpu *c, struct adprof_buf *b,
			      u32 pid, struct pt_regs *regs)
{
	struct adprof_sumtab *t = READ_ONCE(c->tab);
	struct adprof_sum_ent *k, *v;
	struct adprof_sample *s;

	/* Installed with the buffer, removed after the event: never NULL. */
	if (unlikely(!t)) {
		b->sum.miss++;
		b->overflow++;
		return;
	}
	k = adprof_sum_key(t);
	k->pid = pid;
	k->pc = instruction_pointer(regs);
	k->flags = user_mode(regs) ? 0 : ADPROF_SAMPLE_F_KERNEL;
	if (t->depth)
		adprof_callchain(adprof_sum_stack(k), regs, t->depth);
	if (adprof_sum_add(t, &v) == ADPROF_SUM_FULL) {
		s = adprof_buf_reserve_count(b, adprof_sum_rec_len(t, v),
					     v->count);
		if (!s) {
			b->sum.miss++;
			return;
		}
		adprof_sum_write(t, v, c->cpu, s);
		b->sum.record++;
		b->sum.evict++;
		adprof_sum_replace(t, v);
	}
	b->sum.sample++;
}

/**
 * adprof_prof_sample() - record one sample on the current CPU
 * @cookie: the CPU's struct adprof_prof_cpu, given to the backend at start
 * @regs: the interrupted registers
 * @time_ns: the sample's CLOCK_MONOTONIC time, or 0: read it here
 *
 * Be careful: called from the backend's interrupt, possibly NMI, on the
 * CPU @cookie belongs to. No lock, no allocation, no printk: one or two
 * records, or a count of overflow when the buffer is full; in a summary
 * session a count in the table instead of the sample record.
 */
void adprof_prof_sample(void *cookie, struct pt_regs *regs, u64 time_ns)
{
	struct adprof_prof_cpu *c = cookie;
	struct adprof_buf *b = READ_ONCE(c->buf);
	struct task_struct *t = current;
	struct adprof_comm_ent *e;
	struct adprof_sample *s;
	char comm[ADPROF_COMM_LEN];
	u32 pid, tid, depth;

	if (unlikely(!b))
		return;
	/* Buffers are installed empty: a new one names its pids again. */
	if (!b->nrec)
		c->comm_gen++;
	pid = task_tgid_nr(t);
	tid = task_pid_nr(t);

	e = adprof_comm_lookup(c, pid, comm);
	if (e) {
		s = adprof_buf_reserve(b, sizeof(*s));
		if (!s) {
			if (adprof_prof_sum_nent)
				b->sum.miss++;
			return;
		}
		s->pid = pid;
		s->tid = tid;
		s->cpu = c->cpu;
		s->flags = ADPROF_SAMPLE_F_COMM;
		memcpy(s->comm, comm, ADPROF_COMM_LEN);
		e->pid = pid;
		e->gen = c->comm_gen;
		memcpy(e->comm, comm, ADPROF_COMM_LEN);
	}

	if (adprof_prof_sum_nent) {
		adprof_prof_count(c, b, pid, regs);
		return;
	}
	depth = adprof_prof_depth;
	if (depth)
		s = adprof_buf_reserve_max(b, adprof_prof_rec_max);
	else
		s = adprof_buf_reserve(b, sizeof(*s));
	if (!s)
		goto refused;
	s->pid = pid;
	s->tid = tid;
	s->cpu = c->cpu;
	s->flags = user_mode(regs) ? 0 : ADPROF_SAMPLE_F_KERNEL;
	/* NMI-safe, unlike ktime_get_ns(). */
	s->time_ns = time_ns ?: ktime_get_mono_fast_ns();
	s->pc = instruction_pointer(regs);
	if (depth) {
		s->flags |= ADPROF_SAMPLE_F_STACK;
		adprof_buf_commit(b, sizeof(*s) +
				  adprof_callchain((struct adprof_stack *)(s + 1),
						   regs, depth));
	}
	/* Half full, or a message: rotate now, not at the latency. */
	if (likely(b->used < adprof_prof_kick_bytes))
		return;
refused:
	if (!READ_ONCE(c->kicked)) {
		WRITE_ONCE(c->kicked, true);
		irq_work_queue(&c->kick);
	}
}

/* Hard IRQ on the sampler's CPU: run its tick now (it may be queued). */
static void adprof_prof_kick(struct irq_work *work)
{
	struct adprof_prof_cpu *c = container_of(work, struct adprof_prof_cpu,
						 kick);

	mod_delayed_work_on(c->cpu, system_wq, &c->tick, 0);
}

/* -------------------- statistics */

static const char *const adprof_stat_names[] = {
	[ADPROF_STAT_A_SAMPLE] = "sample",
	[ADPROF_STAT_A_OVERFLOW] = "overflow",
	[ADPROF_STAT_A_BUF] = "buf",
	[ADPROF_STAT_A_EMPTYBUF] = "emptybuf",
	[ADPROF_STAT_A_DROPBUF] = "dropbuf",
	[ADPROF_STAT_A_DROPBUF_SAMPLE] = "dropbuf_sample",
	[ADPROF_STAT_A_STREAM_MSGS] = "stream_msgs",
	[ADPROF_STAT_A_STREAM_SAMPLES] = "stream_samples",
	[ADPROF_STAT_A_STREAM_ERRORS] = "stream_errors",
	[ADPROF_STAT_A_STREAM_ERROR_SAMPLES] = "stream_error_samples",
	[ADPROF_STAT_A_ONLIST_BUF] = "onlist_buf",
	[ADPROF_STAT_A_ONLIST_SAMPLE] = "onlist_sample",
	[ADPROF_STAT_A_SUMMARY_SAMPLE] = "summary_sample",
	[ADPROF_STAT_A_SUMMARY_RECORD] = "summary_record",
	[ADPROF_STAT_A_SUMMARY_EVICT] = "summary_evict",
	[ADPROF_STAT_A_SUMMARY_MISS] = "summary_miss",
	[ADPROF_STAT_A_SUMMARY_DROP] = "summary_drop",
};

static_assert(ARRAY_SIZE(adprof_stat_names) == ADPROF_STAT_A_MAX + 1);

/* The one source of PROF_GET_STAT and debugfs, indexed by attribute. */
static void adprof_prof_stats(u64 v[ADPROF_STAT_A_MAX + 1])
{
	struct adprof_bufstats st;

	adprof_buflist_stats(&adprof_prof_list, &st);
	memset(v, 0, sizeof(u64) * (ADPROF_STAT_A_MAX + 1));
	v[ADPROF_STAT_A_SAMPLE] = st.sample;
	v[ADPROF_STAT_A_OVERFLOW] = st.overflow;
	v[ADPROF_STAT_A_BUF] = st.buf;
	v[ADPROF_STAT_A_EMPTYBUF] = st.emptybuf;
	v[ADPROF_STAT_A_DROPBUF] = st.dropbuf;
	v[ADPROF_STAT_A_DROPBUF_SAMPLE] = st.dropbuf_sample;
	v[ADPROF_STAT_A_STREAM_MSGS] = atomic64_read(&adprof_stream_msgs);
	v[ADPROF_STAT_A_STREAM_SAMPLES] = atomic64_read(&adprof_stream_samples);
	v[ADPROF_STAT_A_STREAM_ERRORS] = atomic64_read(&adprof_stream_errors);
	v[ADPROF_STAT_A_STREAM_ERROR_SAMPLES] =
		atomic64_read(&adprof_stream_error_samples);
	v[ADPROF_STAT_A_ONLIST_BUF] = st.onlist_buf;
	v[ADPROF_STAT_A_ONLIST_SAMPLE] = st.onlist_sample;
	v[ADPROF_STAT_A_SUMMARY_SAMPLE] = st.sum_sample;
	v[ADPROF_STAT_A_SUMMARY_RECORD] = st.sum_record;
	v[ADPROF_STAT_A_SUMMARY_EVICT] = st.sum_evict;
	v[ADPROF_STAT_A_SUMMARY_MISS] = st.sum_miss;
	v[ADPROF_STAT_A_SUMMARY_DROP] = st.sum_drop;
}

static int adprof_prof_stats_show(struct seq_file *m, void *unused)
{
	u64 v[ADPROF_STAT_A_MAX + 1];
	int i;

	adprof_prof_stats(v);
	for (i = 0; i <= ADPROF_STAT_A_MAX; i++)
		if (adprof_stat_names[i])
			seq_printf(m, "%s %llu\n", adprof_stat_names[i], v[i]);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(adprof_prof_stats);

static struct dentry *adprof_prof_debugfs;	/* I */

/* -------------------- the stream */

static struct adprof_prof_cpu *adprof_prof_cpu(unsigned int cpu)
{
	return per_cpu_ptr(adprof_prof_cpus, cpu);
}

static bool adprof_prof_listened(void)
{
	return genl_has_listeners(&adprof_family, &init_net,
				  ADPROF_MCGRP_SAMPLES_IDX) > 0;
}

/*
 * Multicast the next records of @b, at most ADPROF_STREAM_BYTES of them,
 * as the next message of @c's stream (@b may be NULL for a message that
 * only reports loss).
 * Return: 0 when the message was sent or its failure counted, -ENOMEM when
 * nothing was taken from @b and the caller should try again later.
 */
static int adprof_prof_send(struct adprof_prof_cpu *c, struct adprof_buf *b)
{
	const void *recs = NULL;
	u32 bytes = 0, n = 0;
	struct sk_buff *skb;
	struct nlattr *a;
	u64 lost;
	void *hdr;
	int err;

	lockdep_assert_held(&adprof_prof_reader_lock);

	skb = genlmsg_new(3 * nla_total_size(sizeof(u32)) +
			  nla_total_size_64bit(sizeof(u64)) +
			  nla_total_size(b ? min(b->used - b->rd,
						 ADPROF_STREAM_BYTES +
						 adprof_prof_rec_max) : 0),
			  GFP_KERNEL);
	if (!skb)
		return -ENOMEM;
	hdr = genlmsg_put(skb, 0, 0, &adprof_family, 0, ADPROF_CMD_SAMPLES);
	if (!hdr) {
		nlmsg_free(skb);
		return -ENOMEM;
	}

	/* The overflow of a buffer is reported with its first records. */
	lost = atomic64_xchg(&c->lost, 0);
	if (b && !b->rd)
		lost += b->overflow;
	if (b)
		recs = adprof_buf_take(b, ADPROF_STREAM_BYTES, &bytes, &n);

	if (nla_put_u32(skb, ADPROF_A_CPU, c->cpu) ||
	    nla_put_u32(skb, ADPROF_A_SEQ, c->seq) ||
	    nla_put_u64_64bit(skb, ADPROF_A_LOST, lost, ADPROF_A_PAD) ||
	    nla_put_u32(skb, ADPROF_A_RECORD_VERSION,
			adprof_prof_sum_nent ? 3 : adprof_prof_depth ? 2 : 1))
		goto err_size;
	a = nla_reserve(skb, ADPROF_A_SAMPLES, bytes);
	if (!a)
		goto err_size;
	if (bytes)
		memcpy(nla_data(a), recs, bytes);
	genlmsg_end(skb, hdr);

	c->seq++;
	err = adprof_nl_multicast(skb, ADPROF_MCGRP_SAMPLES_IDX, GFP_KERNEL);
	if (err) {
		atomic64_inc(&adprof_stream_errors);
		atomic64_add(n, &adprof_stream_error_samples);
		atomic64_add(lost + n, &c->lost);
		return 0;
	}
	atomic64_inc(&adprof_stream_msgs);
	atomic64_add(n, &adprof_stream_samples);
	return 0;

err_size:
	/* Cannot happen: the message was sized for its attributes. */
	nlmsg_free(skb);
	c->seq++;
	atomic64_inc(&adprof_stream_errors);
	atomic64_add(n, &adprof_stream_error_samples);
	atomic64_add(lost + n, &c->lost);
	return 0;
}

/* Send every record of @b. Return: true if all went, else @b is put back. */
static bool adprof_prof_send_buf(struct adprof_buf *b)
{
	struct adprof_prof_cpu *c = adprof_prof_cpu(b->cpu);

	while (adprof_buf_unread(b)) {
		if (!adprof_prof_listened() || adprof_prof_send(c, b)) {
			adprof_buflist_push_head(&adprof_prof_list, b);
			return false;
		}
	}
	return true;
}

/*
 * Drain the list into messages while somebody listens, at most @budget
 * buffers. Return: true if the list may hold more to send.
 */
static bool adprof_prof_stream(unsigned int budget)
{
	struct adprof_buf *b;

	lockdep_assert_held(&adprof_prof_reader_lock);

	while (budget--) {
		if (adprof_prof_exiting || !adprof_prof_listened())
			return false;
		b = adprof_buflist_pop(&adprof_prof_list);
		if (!b)
			return false;
		if (!adprof_prof_send_buf(b))
			return false;
		adprof_bufpool_put(&adprof_prof_pool, b);
		cond_resched();
	}
	return true;
}

static void adprof_prof_stream_work(struct work_struct *work)
{
	bool more;

	mutex_lock(&adprof_prof_reader_lock);
	more = adprof_prof_stream(READ_ONCE(adprof_prof_max_bufs) +
				  num_online_cpus());
	mutex_unlock(&adprof_prof_reader_lock);
	if (more)
		queue_work(system_unbound_wq, &adprof_prof_streamer);
}

/* Free the unread buffers; their records count as lost on their stream. */
static void adprof_prof_drain(void)
{
	struct adprof_buf *b;
	u32 n;

	lockdep_assert_held(&adprof_prof_reader_lock);

	while ((b = adprof_buflist_pop(&adprof_prof_list))) {
		n = adprof_buf_unread(b);
		if (n)
			atomic64_add(n, &adprof_prof_cpu(b->cpu)->lost);
		adprof_buf_free(b);
	}
}

/*
 * Free the unread buffers and zero the statistics, at once for readers of
 * the statistics: the reader lock keeps the streamer out, and a buffer a
 * tick adds meanwhile is freed and uncounted with the rest.
 */
static void adprof_prof_clear(void)
{
	lockdep_assert_held(&adprof_prof_reader_lock);

	adprof_prof_drain();
	adprof_buflist_clear(&adprof_prof_list);
	atomic64_set(&adprof_stream_msgs, 0);
	atomic64_set(&adprof_stream_samples, 0);
	atomic64_set(&adprof_stream_errors, 0);
	atomic64_set(&adprof_stream_error_samples, 0);
}

/* -------------------- rotation */

/*
 * Account a buffer switched out of @c's slot: on the list, or dropped and
 * its records counted as lost on @c's stream. Keeps one handed-back buffer
 * as the spare, gives any other to the pool.
 */
static void adprof_prof_retire(struct adprof_prof_cpu *c,
			       struct adprof_buf *old)
{
	u32 used, overflow;

	if (!old)
		return;
	used = old->nrec;
	overflow = old->overflow;
	old = adprof_buflist_rotate(&adprof_prof_list, old);
	if (!old)
		return;
	if (used)
		atomic64_add(used + overflow, &c->lost);
	if (!c->spare)
		c->spare = old;
	else
		adprof_bufpool_put(&adprof_prof_pool, old);
}

/*
 * Write a summary table the caller owns out as count records into @b, a
 * buffer it owns, and empty it. An entry without room counts in overflow
 * (its samples) and drop.
 */
static void adprof_prof_flush_tab(struct adprof_prof_cpu *c,
				  struct adprof_sumtab *t, struct adprof_buf *b)
{
	struct adprof_sum_ent *e;
	struct adprof_sample *s;
	u32 pos = 0;

	while ((e = adprof_sum_next(t, &pos))) {
		s = adprof_buf_reserve_count(b, adprof_sum_rec_len(t, e),
					     e->count);
		if (!s) {
			/* The reserve counted one overflow. */
			b->overflow += e->count - 1;
			b->sum.drop += e->count;
			continue;
		}
		adprof_sum_write(t, e, c->cpu, s);
		b->sum.record++;
	}
	adprof_sum_clear(t);
}

static void adprof_prof_tick(struct work_struct *work)
{
	struct adprof_prof_cpu *c = container_of(to_delayed_work(work),
						 struct adprof_prof_cpu, tick);
	struct adprof_sumtab *oldt = NULL;
	struct adprof_buf *new, *old;

	/*
	 * Only this worker switches the slot while the session runs. A
	 * summary session's table goes out every tick, with its buffer. A
	 * kick that came as the buffer was switched finds nothing due.
	 */
	if (!adprof_prof_sum_nent && time_before(jiffies, c->due) &&
	    !adprof_buf_due(c->buf, adprof_prof_kick_bytes))
		goto requeue;

	new = c->spare;
	c->spare = NULL;
	if (!new)
		new = adprof_bufpool_get(&adprof_prof_pool, c->cpu);
	if (!new)
		new = adprof_buf_alloc(adprof_prof_buf_bytes, c->cpu, GFP_KERNEL);
	/* Without memory the current buffer fills up: counted in overflow. */
	if (!new)
		goto requeue;

	/* The switch is only safe on the slot's own CPU (buffer.h). */
	preempt_disable();
	if (smp_processor_id() != c->cpu) {
		preempt_enable();
		c->spare = new;
		goto requeue;
	}
	/*
	 * The table first: a sample between the two switches is counted in
	 * the new table and named in the old buffer, before its count.
	 */
	if (c->tab_spare) {
		oldt = xchg(&c->tab, c->tab_spare);
		c->tab_spare = NULL;
	}
	/* Before the switch: a kick for the old buffer only runs us again. */
	WRITE_ONCE(c->kicked, false);
	old = adprof_buf_switch(&c->buf, new);
	preempt_enable();
	c->due = jiffies + adprof_prof_tick_jiffies;

	if (oldt) {
		adprof_prof_flush_tab(c, oldt, old);
		c->tab_spare = oldt;
	}
	adprof_prof_retire(c, old);
	if (!c->spare)
		c->spare = adprof_bufpool_get(&adprof_prof_pool, c->cpu);
	if (!c->spare)
		c->spare = adprof_buf_alloc(adprof_prof_buf_bytes, c->cpu,
					    GFP_KERNEL);
	queue_work(system_unbound_wq, &adprof_prof_streamer);
requeue:
	/* When the buffer's time is up, unless a kick comes first. */
	queue_delayed_work_on(c->cpu, system_wq, &c->tick,
			      time_before(jiffies, c->due) ? c->due - jiffies :
			      adprof_prof_tick_jiffies);
}

/* -------------------- start and stop */

static void adprof_prof_free_bufs(void)
{
	struct adprof_prof_cpu *c;
	unsigned int cpu;

	for_each_cpu(cpu, adprof_prof_mask) {
		c = adprof_prof_cpu(cpu);
		/* No event: the switch may run on any CPU. */
		adprof_buf_free(adprof_buf_switch(&c->buf, NULL));
		adprof_buf_free(c->spare);
		c->spare = NULL;
		adprof_sum_free(xchg(&c->tab, NULL));
		adprof_sum_free(c->tab_spare);
		c->tab_spare = NULL;
	}
}

/*
 * Once no sampler runs: wait for the kicks they raised, which queue the
 * ticks, then cancel the ticks.
 */
static void adprof_prof_cancel_ticks(void)
{
	unsigned int cpu;

	for_each_cpu(cpu, adprof_prof_mask) {
		irq_work_sync(&adprof_prof_cpu(cpu)->kick);
		cancel_delayed_work_sync(&adprof_prof_cpu(cpu)->tick);
	}
}

/*
 * Stop the session: events released, ticks cancelled, the last partial
 * buffers rotated onto the list. With @stream, send the list and the loss
 * not reported yet before returning; else leave the list as it is.
 */
static void adprof_prof_stop_locked(bool stream)
{
	struct adprof_bufstats st;
	struct adprof_prof_cpu *c;
	struct adprof_buf *old;
	unsigned int cpu;

	lockdep_assert_held(&adprof_prof_lock);

	if (!adprof_prof_running)
		return;

	for_each_cpu(cpu, adprof_prof_mask) {
		c = adprof_prof_cpu(cpu);
		adprof_prof_backend->ops->stop_cpu(c->event);
		c->event = NULL;
	}
	adprof_prof_cancel_ticks();
	/* No sampler and no tick left: switch from here (buffer.h). */
	for_each_cpu(cpu, adprof_prof_mask) {
		c = adprof_prof_cpu(cpu);
		old = adprof_buf_switch(&c->buf, NULL);
		if (c->tab && old)
			adprof_prof_flush_tab(c, c->tab, old);
		adprof_prof_retire(c, old);
	}
	adprof_prof_free_bufs();

	adprof_prof_running = false;
	adprof_prof_backend = NULL;
	adprof_prof_owner = 0;
	adprof_prof_owner_net = NULL;

	/* What is still read from now on is freed. */
	if (!stream) {
		adprof_bufpool_close(&adprof_prof_pool);
		return;
	}
	mutex_lock(&adprof_prof_reader_lock);
	/* Nothing is added any more: the list only shrinks. */
	adprof_prof_stream(UINT_MAX);
	adprof_buflist_stats(&adprof_prof_list, &st);
	if (!st.onlist_buf && !adprof_prof_exiting && adprof_prof_listened()) {
		for_each_cpu(cpu, adprof_prof_mask) {
			c = adprof_prof_cpu(cpu);
			if (atomic64_read(&c->lost))
				adprof_prof_send(c, NULL);
		}
	}
	mutex_unlock(&adprof_prof_reader_lock);
	adprof_bufpool_close(&adprof_prof_pool);
}

static const struct adprof_backend *
adprof_backend_lookup(const char *name, bool *ok)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(adprof_backends); i++) {
		if (!strcmp(adprof_backends[i]->name, name)) {
			*ok = adprof_backend_ok[i];
			return adprof_backends[i];
		}
	}
	return NULL;
}

/* ADPROF_A_CPUMASK: bit N of byte B is CPU 8 * B + N. Under cpus_read_lock(). */
static int adprof_prof_parse_mask(struct genl_info *info, struct cpumask *mask)
{
	struct nlattr *a = info->attrs[ADPROF_A_CPUMASK];
	const u8 *bytes;
	unsigned int cpu;
	int len, i, bit;

	if (!a) {
		cpumask_copy(mask, cpu_online_mask);
		return 0;
	}
	cpumask_clear(mask);
	bytes = nla_data(a);
	len = nla_len(a);
	for (i = 0; i < len; i++) {
		for (bit = 0; bit < BITS_PER_BYTE; bit++) {
			if (!(bytes[i] & BIT(bit)))
				continue;
			cpu = i * BITS_PER_BYTE + bit;
			if (cpu >= nr_cpu_ids) {
				NL_SET_ERR_MSG_ATTR(info->extack, a,
						    "CPU mask names a CPU that does not exist");
				return -EINVAL;
			}
			if (!cpu_online(cpu)) {
				NL_SET_ERR_MSG_ATTR(info->extack, a,
						    "CPU mask names an offline CPU");
				return -EINVAL;
			}
			cpumask_set_cpu(cpu, mask);
		}
	}
	if (cpumask_empty(mask)) {
		NL_SET_ERR_MSG_ATTR(info->extack, a, "CPU mask is empty");
		return -EINVAL;
	}
	return 0;
}

/*
 * Room for two periods of samples, plus comm records: the tick rotates a
 * buffer half full, so at a steady rate the latency decides.
 */
static u32 adprof_prof_default_buf_samples(u32 freq, unsigned int period_ms)
{
	u64 n = div_u64((u64)freq * period_ms * 2, MSEC_PER_SEC) +
		ADPROF_COMM_CACHE;

	return clamp_t(u64, n, ADPROF_BUF_SAMPLES_MIN, ADPROF_BUF_SAMPLES_MAX);
}

/*
 * The session's call stack depth (0: none), its longest record, and its
 * CPU buffers' bytes: room for BUF_SAMPLES records of the longest kind.
 * Explicit values a buffer could not hold within ADPROF_BUF_BYTES_MAX are
 * refused; the default shrinks to fit. A summary session writes at most a
 * record per sample too, but mostly one per key: its default is also at
 * most two tables' worth of count records, plus comm records.
 */
static int adprof_prof_size_tabs(struct genl_info *info);

static int adprof_prof_size_bufs(struct genl_info *info, unsigned int period_ms)
{
	struct nlattr *n_attr = info->attrs[ADPROF_A_BUF_SAMPLES];
	struct nlattr *d_attr = info->attrs[ADPROF_A_STACK_DEPTH];
	u32 n, depth = 0;
	int err;

	if (d_attr && !(adprof_prof_flags & ADPROF_PROF_F_STACK)) {
		NL_SET_ERR_MSG_ATTR(info->extack, d_attr,
				    "STACK_DEPTH is for a session with ADPROF_PROF_F_STACK");
		return -EINVAL;
	}
	if ((adprof_prof_flags & ADPROF_PROF_F_STACK) && !ADPROF_HAVE_CALLCHAIN) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[ADPROF_A_PROF_FLAGS],
				    "no call stack walk on this architecture");
		return -EOPNOTSUPP;
	}
	if (adprof_prof_flags & ADPROF_PROF_F_STACK)
		depth = d_attr ? nla_get_u32(d_attr) : ADPROF_STACK_DEPTH_DEFAULT;
	adprof_prof_depth = depth;
	adprof_prof_rec_max = sizeof(struct adprof_sample);
	if (depth)
		adprof_prof_rec_max += sizeof(struct adprof_stack) +
				       depth * sizeof(u64);
	err = adprof_prof_size_tabs(info);
	if (err)
		return err;

	if (n_attr) {
		n = nla_get_u32(n_attr);
		if ((u64)n * adprof_prof_rec_max > ADPROF_BUF_BYTES_MAX) {
			NL_SET_ERR_MSG_ATTR(info->extack, n_attr,
					    "BUF_SAMPLES records with stacks this deep pass 4 MiB a buffer");
			return -EINVAL;
		}
	} else {
		n = adprof_prof_default_buf_samples(adprof_prof_freq, period_ms);
		if (adprof_prof_sum_nent)
			n = min(n, 2 * adprof_prof_sum_nent + ADPROF_COMM_CACHE);
		n = min(n, ADPROF_BUF_BYTES_MAX / adprof_prof_rec_max);
	}
	adprof_prof_buf_samples = n;
	adprof_prof_buf_bytes = n * adprof_prof_rec_max;
	adprof_prof_kick_bytes = adprof_buf_kick_bytes(adprof_prof_buf_bytes,
						       adprof_prof_rec_max,
						       ADPROF_STREAM_BYTES);
	return 0;
}

/*
 * The summary tables' slots (0: no summary session). An explicit
 * SUMMARY_ENTRIES is rounded up to a power of two and refused if a table
 * would pass ADPROF_BUF_BYTES_MAX; the default, the samples of 200 ms,
 * shrinks to fit. Called by adprof_prof_size_bufs() once the depth is set.
 */
static int adprof_prof_size_tabs(struct genl_info *info)
{
	struct nlattr *a = info->attrs[ADPROF_A_SUMMARY_ENTRIES];
	u32 stride = adprof_sum_stride(adprof_prof_depth);
	u64 n;

	adprof_prof_sum_nent = 0;
	if (!(adprof_prof_flags & ADPROF_PROF_F_SUMMARY)) {
		if (a) {
			NL_SET_ERR_MSG_ATTR(info->extack, a,
					    "SUMMARY_ENTRIES is for a session with ADPROF_PROF_F_SUMMARY");
			return -EINVAL;
		}
		return 0;
	}
	if (a) {
		n = roundup_pow_of_two(nla_get_u32(a));
		if (n * stride > ADPROF_BUF_BYTES_MAX) {
			NL_SET_ERR_MSG_ATTR(info->extack, a,
					    "SUMMARY_ENTRIES with stacks this deep pass 4 MiB a table");
			return -EINVAL;
		}
	} else {
		/* Keys do not grow with the period as samples do: 200 ms'. */
		n = div_u64((u64)adprof_prof_freq * 200, MSEC_PER_SEC);
		n = roundup_pow_of_two(clamp_t(u64, n, ADPROF_SUMMARY_ENTRIES_MIN,
					       ADPROF_SUM_DEFAULT_MAX));
		while (n * stride > ADPROF_BUF_BYTES_MAX)
			n /= 2;
	}
	adprof_prof_sum_nent = n;
	return 0;
}

static int adprof_prof_alloc_bufs(void)
{
	struct adprof_prof_cpu *c;
	unsigned int cpu;

	for_each_cpu(cpu, adprof_prof_mask) {
		c = adprof_prof_cpu(cpu);
		/*
		 * No kick (hence no tick) until the session is set up: the
		 * start arms them last. A sampler only ever sets it.
		 */
		c->kicked = true;
		c->due = jiffies + adprof_prof_tick_jiffies;
		c->spare = adprof_buf_alloc(adprof_prof_buf_bytes, cpu, GFP_KERNEL);
		if (!c->spare)
			return -ENOMEM;
		/* No event yet: the switch may run on any CPU. */
		adprof_buf_switch(&c->buf, c->spare);
		c->spare = adprof_buf_alloc(adprof_prof_buf_bytes, cpu, GFP_KERNEL);
		if (!c->spare)
			return -ENOMEM;
		if (!adprof_prof_sum_nent)
			continue;
		/* Freed by adprof_prof_free_bufs() too. */
		WRITE_ONCE(c->tab, adprof_sum_alloc(adprof_prof_sum_nent,
						    adprof_prof_depth, GFP_KERNEL));
		c->tab_spare = adprof_sum_alloc(adprof_prof_sum_nent,
						adprof_prof_depth, GFP_KERNEL);
		if (!c->tab || !c->tab_spare)
			return -ENOMEM;
	}
	return 0;
}

static void adprof_prof_stop_events(void)
{
	struct adprof_prof_cpu *c;
	unsigned int cpu;

	for_each_cpu(cpu, adprof_prof_mask) {
		c = adprof_prof_cpu(cpu);
		if (c->event)
			adprof_prof_backend->ops->stop_cpu(c->event);
		c->event = NULL;
	}
}

static int adprof_prof_start_events(struct genl_info *info)
{
	struct adprof_prof_cpu *c;
	unsigned int cpu;
	u32 nth = 0;
	void *ev;

	for_each_cpu(cpu, adprof_prof_mask) {
		c = adprof_prof_cpu(cpu);
		if (adprof_fault_perf_create(++nth))
			ev = ERR_PTR(-ENOMEM);
		else
			ev = adprof_prof_backend->ops->start_cpu(adprof_prof_backend,
								 cpu, adprof_prof_freq,
								 c);
		if (IS_ERR(ev)) {
			if (PTR_ERR(ev) == -ENOENT || PTR_ERR(ev) == -EOPNOTSUPP) {
				GENL_SET_ERR_MSG(info, "backend not available on this machine");
				return -EOPNOTSUPP;
			}
			GENL_SET_ERR_MSG(info, "cannot create the perf event");
			return PTR_ERR(ev);
		}
		c->event = ev;
	}
	return 0;
}

/* The samplers' process names, forgotten before their events start. */
static void adprof_prof_reset_comms(void)
{
	struct adprof_prof_cpu *c;
	unsigned int cpu;

	for_each_cpu(cpu, adprof_prof_mask) {
		c = adprof_prof_cpu(cpu);
		c->comm_gen = 0;
		memset(c->comm, 0, sizeof(c->comm));
	}
}

/*
 * A new stream: leftovers of an earlier session do not belong to it, and
 * the statistics count this session from zero. Only once the session's
 * events run: a start that fails leaves the earlier session's unread
 * buffers and statistics as they were. No tick has run yet, so the list
 * holds only the earlier session's buffers.
 */
static void adprof_prof_reset_streams(void)
{
	struct adprof_prof_cpu *c;
	unsigned int cpu;

	mutex_lock(&adprof_prof_reader_lock);
	adprof_prof_clear();
	adprof_buflist_set_max(&adprof_prof_list, adprof_prof_max_bufs);
	for_each_possible_cpu(cpu) {
		c = adprof_prof_cpu(cpu);
		c->seq = 0;
		atomic64_set(&c->lost, 0);
	}
	mutex_unlock(&adprof_prof_reader_lock);
}

static int adprof_prof_start_locked(struct genl_info *info)
{
	struct adprof_prof_cpu *c;
	const struct adprof_backend *be;
	const char *name = ADPROF_BACKEND_DEFAULT;
	struct nlattr **attrs = info->attrs;
	unsigned int cpu, period_ms;
	u32 max_bufs;
	bool ok;
	int err;

	lockdep_assert_held(&adprof_prof_lock);

	if (adprof_prof_running) {
		GENL_SET_ERR_MSG(info, "profiling is already running");
		return -EBUSY;
	}

	if (attrs[ADPROF_A_BACKEND])
		name = nla_data(attrs[ADPROF_A_BACKEND]);
	be = adprof_backend_lookup(name, &ok);
	if (!be) {
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[ADPROF_A_BACKEND],
				    "unknown backend");
		return -ENOENT;
	}
	if (!ok) {
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[ADPROF_A_BACKEND],
				    "backend not available on this machine");
		return -EOPNOTSUPP;
	}

	adprof_prof_freq = attrs[ADPROF_A_FREQ] ?
		nla_get_u32(attrs[ADPROF_A_FREQ]) : ADPROF_FREQ_DEFAULT;
	max_bufs = attrs[ADPROF_A_MAX_BUFS] ?
		   nla_get_u32(attrs[ADPROF_A_MAX_BUFS]) : ADPROF_MAX_BUFS_DEFAULT;
	adprof_prof_flags = attrs[ADPROF_A_PROF_FLAGS] ?
		nla_get_u32(attrs[ADPROF_A_PROF_FLAGS]) : 0;
	/* The tick's period, and how long a buffer may stay current. */
	if (adprof_prof_flags & ADPROF_PROF_F_SUMMARY)
		period_ms = clamp(READ_ONCE(prof_summary_ms), ADPROF_TICK_MS_MIN,
				  ADPROF_SUMMARY_MS_MAX);
	else
		period_ms = clamp(READ_ONCE(prof_latency_ms), ADPROF_TICK_MS_MIN,
				  ADPROF_LATENCY_MS_MAX);
	adprof_prof_tick_jiffies = max(msecs_to_jiffies(period_ms), 1UL);
	err = adprof_prof_size_bufs(info, period_ms);
	if (err)
		return err;

	cpus_read_lock();
	err = adprof_prof_parse_mask(info, adprof_prof_mask);
	if (err)
		goto out_unlock;

	err = adprof_prof_alloc_bufs();
	if (err) {
		GENL_SET_ERR_MSG(info, "no memory for the sample buffers");
		goto err_free_bufs;
	}
	adprof_prof_reset_comms();

	adprof_prof_backend = be;
	err = adprof_prof_start_events(info);
	if (err)
		goto err_stop_events;

	/* The stream worker reads it: set only once the session is sure. */
	WRITE_ONCE(adprof_prof_max_bufs, max_bufs);
	adprof_prof_reset_streams();
	adprof_prof_running = true;
	if (adprof_prof_flags & ADPROF_PROF_F_DETACH) {
		adprof_prof_owner = 0;
		adprof_prof_owner_net = NULL;
	} else {
		adprof_prof_owner = info->snd_portid;
		adprof_prof_owner_net = genl_info_net(info);
	}
	adprof_bufpool_open(&adprof_prof_pool, adprof_prof_buf_bytes,
			    2 * cpumask_weight(adprof_prof_mask));
	/*
	 * A buffer a CPU for the first rotations, before the stream gives
	 * any back: then a steady session allocates nothing after its start.
	 * Without memory the ticks allocate as they need.
	 */
	for_each_cpu(cpu, adprof_prof_mask) {
		struct adprof_buf *b = adprof_buf_alloc(adprof_prof_buf_bytes,
							cpu, GFP_KERNEL);

		if (b)
			adprof_bufpool_put(&adprof_prof_pool, b);
	}
	for_each_cpu(cpu, adprof_prof_mask) {
		c = adprof_prof_cpu(cpu);
		queue_delayed_work_on(cpu, system_wq, &c->tick,
				      adprof_prof_tick_jiffies);
		/* Kicks may run the tick from now on (see alloc_bufs). */
		WRITE_ONCE(c->kicked, false);
	}
	cpus_read_unlock();
	return 0;

err_stop_events:
	adprof_prof_stop_events();
	/* The events that ran may have kicked their ticks. */
	adprof_prof_cancel_ticks();
	adprof_prof_backend = NULL;
err_free_bufs:
	adprof_prof_free_bufs();
out_unlock:
	cpus_read_unlock();
	return err;
}

/* -------------------- netlink */

/**
 * adprof_nl_prof_start() - PROF_START: start a session
 * @skb: the request
 * @info: its attributes, validated by the policy
 *
 * Buffers left unread by an earlier session are freed and the statistics
 * zeroed, as PROF_CLEAR does.
 *
 * Return: 0, -EBUSY if a session runs, -ENOENT for an unknown backend,
 * -EOPNOTSUPP if it cannot run here, -EINVAL for a bad CPU mask, -ENOMEM.
 */
int adprof_nl_prof_start(struct sk_buff *skb, struct genl_info *info)
{
	int err;

	mutex_lock(&adprof_prof_lock);
	err = adprof_prof_start_locked(info);
	mutex_unlock(&adprof_prof_lock);
	return err;
}

/* The statistics' reply, before anything is done that it reports. */
static struct sk_buff *adprof_prof_stat_msg(struct genl_info *info)
{
	struct sk_buff *msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);

	if (!msg)
		GENL_SET_ERR_MSG(info, "no memory for the reply");
	return msg;
}

/*
 * Fill @msg, from adprof_prof_stat_msg(), with the statistics @v in an
 * ADPROF_A_STATS nest as the reply to @info's @cmd, and send it.
 * Consumes @msg.
 */
static int adprof_prof_stat_reply(struct sk_buff *msg, struct genl_info *info,
				  u8 cmd, const u64 v[ADPROF_STAT_A_MAX + 1])
{
	struct nlattr *nest;
	void *hdr;
	int i;

	hdr = genlmsg_put_reply(msg, info, &adprof_family, 0, cmd);
	if (!hdr)
		goto err_size;
	nest = nla_nest_start(msg, ADPROF_A_STATS);
	if (!nest)
		goto err_size;
	for (i = 0; i <= ADPROF_STAT_A_MAX; i++) {
		if (!adprof_stat_names[i])
			continue;
		if (nla_put_u64_64bit(msg, i, v[i], ADPROF_STAT_A_PAD))
			goto err_size;
	}
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_size:
	nlmsg_free(msg);
	GENL_SET_ERR_MSG(info, "reply too large");
	return -EMSGSIZE;
}

/**
 * adprof_nl_prof_stop() - PROF_STOP: stop the session and flush it
 * @skb: the request
 * @info: the request's info
 *
 * Every record reaches the list, and subscribers, before the answer,
 * which holds the statistics as they stand after the flush: what a
 * reader compares with what it received, to count what its socket
 * dropped. The reply is allocated first: without memory for it the
 * session is not stopped.
 *
 * Return: 0, also when no session runs, or a negative errno.
 */
int adprof_nl_prof_stop(struct sk_buff *skb, struct genl_info *info)
{
	u64 v[ADPROF_STAT_A_MAX + 1];
	struct sk_buff *msg;

	msg = adprof_prof_stat_msg(info);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&adprof_prof_lock);
	adprof_prof_stop_locked(true);
	adprof_prof_stats(v);
	mutex_unlock(&adprof_prof_lock);
	return adprof_prof_stat_reply(msg, info, ADPROF_CMD_PROF_STOP, v);
}

/**
 * adprof_nl_prof_clear() - PROF_CLEAR: free unread buffers, zero statistics
 * @skb: the request
 * @info: the request's info
 *
 * A running session goes on; the freed records count as lost on their
 * streams.
 *
 * Return: 0.
 */
int adprof_nl_prof_clear(struct sk_buff *skb, struct genl_info *info)
{
	mutex_lock(&adprof_prof_reader_lock);
	adprof_prof_clear();
	mutex_unlock(&adprof_prof_reader_lock);
	return 0;
}

/**
 * adprof_nl_prof_get_stat() - PROF_GET_STAT: every counter
 * @skb: the request
 * @info: the request's info
 *
 * Return: 0 or a negative errno.
 */
int adprof_nl_prof_get_stat(struct sk_buff *skb, struct genl_info *info)
{
	u64 v[ADPROF_STAT_A_MAX + 1];
	struct sk_buff *msg;

	msg = adprof_prof_stat_msg(info);
	if (!msg)
		return -ENOMEM;
	adprof_prof_stats(v);
	return adprof_prof_stat_reply(msg, info, ADPROF_CMD_PROF_GET_STAT, v);
}

static int adprof_prof_put_backends(struct sk_buff *msg)
{
	struct nlattr *list, *ent;
	size_t i;

	list = nla_nest_start(msg, ADPROF_A_BACKENDS);
	if (!list)
		return -EMSGSIZE;
	for (i = 0; i < ARRAY_SIZE(adprof_backends); i++) {
		ent = nla_nest_start(msg, ADPROF_A_BACKEND_ENTRY);
		if (!ent ||
		    nla_put_string(msg, ADPROF_BACKEND_A_NAME,
				   adprof_backends[i]->name) ||
		    nla_put_u8(msg, ADPROF_BACKEND_A_AVAILABLE,
			       adprof_backend_ok[i]))
			return -EMSGSIZE;
		nla_nest_end(msg, ent);
	}
	nla_nest_end(msg, list);
	return 0;
}

/* The session's parameters, as PROF_START would take them. */
static int adprof_prof_put_session(struct sk_buff *msg)
{
	unsigned int nbytes = DIV_ROUND_UP(nr_cpu_ids, BITS_PER_BYTE);
	unsigned int cpu;
	struct nlattr *a;
	u8 *bytes;

	lockdep_assert_held(&adprof_prof_lock);

	if (nla_put_string(msg, ADPROF_A_BACKEND, adprof_prof_backend->name) ||
	    nla_put_u32(msg, ADPROF_A_OWNER, adprof_prof_owner) ||
	    nla_put_u32(msg, ADPROF_A_FREQ, adprof_prof_freq) ||
	    nla_put_u32(msg, ADPROF_A_BUF_SAMPLES, adprof_prof_buf_samples) ||
	    nla_put_u32(msg, ADPROF_A_MAX_BUFS, adprof_prof_max_bufs) ||
	    nla_put_u32(msg, ADPROF_A_PROF_FLAGS, adprof_prof_flags) ||
	    (adprof_prof_depth &&
	     nla_put_u32(msg, ADPROF_A_STACK_DEPTH, adprof_prof_depth)) ||
	    (adprof_prof_sum_nent &&
	     nla_put_u32(msg, ADPROF_A_SUMMARY_ENTRIES, adprof_prof_sum_nent)))
		return -EMSGSIZE;
	a = nla_reserve(msg, ADPROF_A_CPUMASK, nbytes);
	if (!a)
		return -EMSGSIZE;
	bytes = nla_data(a);
	memset(bytes, 0, nbytes);
	for_each_cpu(cpu, adprof_prof_mask)
		bytes[cpu / BITS_PER_BYTE] |= BIT(cpu % BITS_PER_BYTE);
	return 0;
}

/**
 * adprof_nl_prof_get_info() - PROF_GET_INFO: version, backends, session
 * @skb: the request
 * @info: the request's info
 *
 * While a session runs the reply also has its backend, owner (0 when
 * detached), frequency, buffer size and count, flags and CPU mask.
 *
 * Return: 0 or a negative errno.
 */
int adprof_nl_prof_get_info(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;
	int err = -EMSGSIZE;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg) {
		GENL_SET_ERR_MSG(info, "no memory for the reply");
		return -ENOMEM;
	}
	hdr = genlmsg_put_reply(msg, info, &adprof_family, 0,
				ADPROF_CMD_PROF_GET_INFO);
	if (!hdr)
		goto err_free;

	mutex_lock(&adprof_prof_lock);
	if (nla_put_u32(msg, ADPROF_A_VERSION, ADPROF_GENL_VERSION) ||
	    adprof_prof_put_backends(msg) ||
	    nla_put_u8(msg, ADPROF_A_RUNNING, adprof_prof_running) ||
	    (adprof_prof_running && adprof_prof_put_session(msg))) {
		mutex_unlock(&adprof_prof_lock);
		goto err_free;
	}
	mutex_unlock(&adprof_prof_lock);

	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	GENL_SET_ERR_MSG(info, "reply too large");
	return err;
}

/* -------------------- life cycle */

/**
 * adprof_prof_release() - a netlink socket closed
 * @net: its namespace
 * @portid: its port id
 *
 * If it owned the session, stop the session and clear (free the unread
 * buffers, zero the statistics), as tprof's close does. Process context,
 * may sleep.
 */
void adprof_prof_release(struct net *net, u32 portid)
{
	mutex_lock(&adprof_prof_lock);
	if (adprof_prof_running && adprof_prof_owner == portid &&
	    net_eq(adprof_prof_owner_net, net)) {
		adprof_prof_stop_locked(false);
		mutex_lock(&adprof_prof_reader_lock);
		adprof_prof_clear();
		mutex_unlock(&adprof_prof_reader_lock);
	}
	mutex_unlock(&adprof_prof_lock);
}

/**
 * adprof_prof_init() - set up the profiler and probe the backends
 *
 * Return: 0 or -ENOMEM.
 */
int adprof_prof_init(void)
{
	struct adprof_prof_cpu *c;
	unsigned int cpu;
	size_t i;

	if (!zalloc_cpumask_var(&adprof_prof_mask, GFP_KERNEL))
		return -ENOMEM;
	adprof_prof_cpus = alloc_percpu(struct adprof_prof_cpu);
	if (!adprof_prof_cpus)
		goto err_free_mask;
	for_each_possible_cpu(cpu) {
		c = adprof_prof_cpu(cpu);
		c->cpu = cpu;
		init_irq_work(&c->kick, adprof_prof_kick);
		INIT_DELAYED_WORK(&c->tick, adprof_prof_tick);
		atomic64_set(&c->lost, 0);
	}
	adprof_buflist_init(&adprof_prof_list, ADPROF_MAX_BUFS_DEFAULT);
	adprof_bufpool_init(&adprof_prof_pool);
	adprof_prof_max_bufs = ADPROF_MAX_BUFS_DEFAULT;

	for (i = 0; i < ARRAY_SIZE(adprof_backends); i++)
		adprof_backend_ok[i] =
			!adprof_backends[i]->ops->probe(adprof_backends[i]);

	adprof_prof_debugfs = debugfs_create_file("stats", 0444,
						  adprof_debugfs_dir(), NULL,
						  &adprof_prof_stats_fops);
	return 0;

err_free_mask:
	free_cpumask_var(adprof_prof_mask);
	return -ENOMEM;
}

/**
 * adprof_prof_exit() - stop any session and free everything
 *
 * Called once no request or socket release can reach the profiler any more.
 */
void adprof_prof_exit(void)
{
	debugfs_remove(adprof_prof_debugfs);

	mutex_lock(&adprof_prof_lock);
	mutex_lock(&adprof_prof_reader_lock);
	adprof_prof_exiting = true;
	mutex_unlock(&adprof_prof_reader_lock);
	adprof_prof_stop_locked(false);
	mutex_unlock(&adprof_prof_lock);

	cancel_work_sync(&adprof_prof_streamer);
	adprof_buflist_destroy(&adprof_prof_list);
	adprof_bufpool_close(&adprof_prof_pool);
	free_percpu(adprof_prof_cpus);
	free_cpumask_var(adprof_prof_mask);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for adprof's buffer life cycle: per-CPU buffers, their
 * rotation onto the bounded global list, partial reads, and the statistics
 * that account for every sample taken or lost.
 */
#include <kunit/test.h>

#include "buffer.h"

#define REC		((u32)sizeof(struct adprof_sample))	/* 32 */
#define TEST_SIZE	ADPROF_BUF_SAMPLES_MIN			/* records */
#define TEST_BYTES	(TEST_SIZE * REC)
#define TEST_MAX_BUFS	4
#define TEST_CPU	3

/* A buffer of TEST_SIZE records holding n samples with pc = base + i. */
static struct adprof_buf *test_buf(struct kunit *test, u32 n, u64 base)
{
	struct adprof_buf *b;
	struct adprof_sample *s;
	u32 i;

	b = adprof_buf_alloc(TEST_BYTES, TEST_CPU, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	for (i = 0; i < n; i++) {
		s = adprof_buf_reserve(b, REC);
		KUNIT_ASSERT_NOT_NULL(test, s);
		*s = (struct adprof_sample){ .pid = 1, .tid = 1, .pc = base + i };
	}
	return b;
}

/* One fixed-size sample record, written whole as the sampler does. */
static void test_fixed(struct kunit *test, struct adprof_buf *b, u64 pc)
{
	struct adprof_sample *s = adprof_buf_reserve(b, REC);

	KUNIT_ASSERT_NOT_NULL(test, s);
	*s = (struct adprof_sample){ .pid = 1, .tid = 1, .pc = pc };
}

/*
 * A sample with a call stack of @nk kernel and @nu user addresses, built
 * in place as the sampler does; NULL if it did not fit.
 */
static struct adprof_sample *test_stack(struct adprof_buf *b, u32 nk, u32 nu,
					u32 depth, u16 flags, u64 pc)
{
	u32 max = REC + sizeof(struct adprof_stack) + depth * sizeof(u64);
	struct adprof_sample *s = adprof_buf_reserve_max(b, max);
	struct adprof_stack *st;
	u32 i;

	if (!s)
		return NULL;
	*s = (struct adprof_sample){ .pid = 2, .tid = 2,
				     .flags = ADPROF_SAMPLE_F_STACK, .pc = pc };
	st = (struct adprof_stack *)(s + 1);
	*st = (struct adprof_stack){ .nr_kernel = nk, .nr_user = nu,
				     .flags = flags };
	for (i = 0; i < nk + nu; i++)
		st->pc[i] = pc + 1 + i;
	adprof_buf_commit(b, REC + sizeof(*st) + (nk + nu) * sizeof(u64));
	return s;
}

static int buffer_test_init(struct kunit *test)
{
	struct adprof_buflist *l;

	l = kunit_kzalloc(test, sizeof(*l), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, l);
	adprof_buflist_init(l, TEST_MAX_BUFS);
	test->priv = l;
	return 0;
}

static void buffer_test_exit(struct kunit *test)
{
	adprof_buflist_destroy(test->priv);
}

static void buffer_test_alloc_min(struct kunit *test)
{
	struct adprof_buf *b = adprof_buf_alloc(ADPROF_BUF_BYTES_MIN, 5,
						GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_EQ(test, b->size, ADPROF_BUF_BYTES_MIN);
	KUNIT_EXPECT_EQ(test, b->size, ADPROF_BUF_SAMPLES_MIN * REC);
	KUNIT_EXPECT_EQ(test, b->used, 0);
	KUNIT_EXPECT_EQ(test, b->nrec, 0);
	KUNIT_EXPECT_EQ(test, b->overflow, 0);
	KUNIT_EXPECT_EQ(test, b->rd, 0);
	KUNIT_EXPECT_EQ(test, b->rd_rec, 0);
	/* The buffer knows its CPU; the reader never guesses it from a record. */
	KUNIT_EXPECT_EQ(test, b->cpu, 5);
	adprof_buf_free(b);
}

static void buffer_test_alloc_max(struct kunit *test)
{
	struct adprof_buf *b = adprof_buf_alloc(ADPROF_BUF_BYTES_MAX, 0,
						GFP_KERNEL);
	struct adprof_sample *s = NULL;
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_EQ(test, b->size, ADPROF_BUF_BYTES_MAX);
	/* The last record is inside the allocation. */
	for (i = 0; i < ADPROF_BUF_BYTES_MAX / REC; i++)
		s = adprof_buf_reserve(b, REC);
	KUNIT_ASSERT_NOT_NULL(test, s);
	s->pc = 42;
	KUNIT_EXPECT_PTR_EQ(test, (void *)s,
			    (void *)((u8 *)b->data + ADPROF_BUF_BYTES_MAX - REC));
	KUNIT_EXPECT_EQ(test, b->used, ADPROF_BUF_BYTES_MAX);
	KUNIT_EXPECT_EQ(test, b->nrec, ADPROF_BUF_BYTES_MAX / REC);
	KUNIT_EXPECT_NULL(test, adprof_buf_reserve(b, REC));
	adprof_buf_free(b);
}

static void buffer_test_alloc_over_max(struct kunit *test)
{
	KUNIT_EXPECT_NULL(test, adprof_buf_alloc(ADPROF_BUF_BYTES_MAX + 8, 0,
						 GFP_KERNEL));
	KUNIT_EXPECT_NULL(test, adprof_buf_alloc(U32_MAX & ~7U, 0, GFP_KERNEL));
}

static void buffer_test_alloc_under_min(struct kunit *test)
{
	KUNIT_EXPECT_NULL(test, adprof_buf_alloc(ADPROF_BUF_BYTES_MIN - 8, 0,
						 GFP_KERNEL));
	KUNIT_EXPECT_NULL(test, adprof_buf_alloc(0, 0, GFP_KERNEL));
	/* Records are 8-byte aligned: so is the size. */
	KUNIT_EXPECT_NULL(test, adprof_buf_alloc(ADPROF_BUF_BYTES_MIN + 4, 0,
						 GFP_KERNEL));
}

static void buffer_test_reserve_in_order(struct kunit *test)
{
	struct adprof_buf *b = adprof_buf_alloc(TEST_BYTES, 0, GFP_KERNEL);
	u8 *d;

	KUNIT_ASSERT_NOT_NULL(test, b);
	d = (u8 *)b->data;
	KUNIT_EXPECT_PTR_EQ(test, adprof_buf_reserve(b, REC), (void *)d);
	KUNIT_EXPECT_PTR_EQ(test, adprof_buf_reserve(b, REC), (void *)(d + REC));
	KUNIT_EXPECT_PTR_EQ(test, adprof_buf_reserve(b, REC), (void *)(d + 2 * REC));
	KUNIT_EXPECT_EQ(test, b->used, 3 * REC);
	KUNIT_EXPECT_EQ(test, b->nrec, 3);
	KUNIT_EXPECT_EQ(test, b->overflow, 0);
	adprof_buf_free(b);
}

static void buffer_test_fill_overflow(struct kunit *test)
{
	struct adprof_buf *b = test_buf(test, TEST_SIZE, 0);

	KUNIT_EXPECT_NULL(test, adprof_buf_reserve(b, REC));
	KUNIT_EXPECT_NULL(test, adprof_buf_reserve(b, REC));
	KUNIT_EXPECT_NULL(test, adprof_buf_reserve(b, REC));
	KUNIT_EXPECT_EQ(test, b->used, TEST_BYTES);
	KUNIT_EXPECT_EQ(test, b->nrec, TEST_SIZE);
	KUNIT_EXPECT_EQ(test, b->overflow, 3);
	adprof_buf_free(b);
}

/* ---- records with call stacks ---------------------------------------- */

static void buffer_test_stack_empty(struct kunit *test)
{
	struct adprof_buf *b = test_buf(test, 0, 0);
	struct adprof_sample *s = test_stack(b, 0, 0, 10, 0, 0x1000);
	u32 bytes, n;

	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, b->used, REC + 8);
	KUNIT_EXPECT_EQ(test, b->nrec, 1);
	KUNIT_EXPECT_EQ(test, adprof_rec_len(s), REC + 8);
	KUNIT_EXPECT_PTR_EQ(test, adprof_buf_take(b, 4096, &bytes, &n), (const void *)s);
	KUNIT_EXPECT_EQ(test, bytes, REC + 8);
	KUNIT_EXPECT_EQ(test, n, 1);
	adprof_buf_free(b);
}

static void buffer_test_stack_full_depth(struct kunit *test)
{
	struct adprof_buf *b = adprof_buf_alloc(4 * 1056, 0, GFP_KERNEL);
	const struct adprof_stack *st;
	struct adprof_sample *s;
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, b);
	s = test_stack(b, 100, 27, 127, 0, 0x2000);
	KUNIT_ASSERT_NOT_NULL(test, s);
	/* 32 + 8 + 127 * 8: perf's largest default stack. */
	KUNIT_EXPECT_EQ(test, adprof_rec_len(s), 1056);
	KUNIT_EXPECT_EQ(test, b->used, 1056);
	st = (const struct adprof_stack *)(s + 1);
	KUNIT_EXPECT_EQ(test, st->nr_kernel, 100);
	KUNIT_EXPECT_EQ(test, st->nr_user, 27);
	for (i = 0; i < 127; i++)
		KUNIT_EXPECT_EQ(test, st->pc[i], 0x2001ULL + i);
	adprof_buf_free(b);
}

static void buffer_test_stack_truncated(struct kunit *test)
{
	struct adprof_buf *b = test_buf(test, 0, 0);
	struct adprof_sample *s;
	u32 bytes, n;

	s = test_stack(b, 3, 4, 7, ADPROF_STACK_F_USER_TRUNC, 0x3000);
	KUNIT_ASSERT_NOT_NULL(test, s);
	s = (struct adprof_sample *)adprof_buf_take(b, 4096, &bytes, &n);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, ((struct adprof_stack *)(s + 1))->flags,
			ADPROF_STACK_F_USER_TRUNC);
	KUNIT_EXPECT_EQ(test, bytes, REC + 8 + 7 * 8);
	adprof_buf_free(b);
}

/* The last record fills the buffer to its last byte; then nothing fits. */
static void buffer_test_stack_exactly_full(struct kunit *test)
{
	struct adprof_buf *b = test_buf(test, 0, 0);
	u32 i;

	/* 512 bytes: 14 fixed records, then one of 40 + 3 * 8 = 64 bytes. */
	for (i = 0; i < 14; i++)
		test_fixed(test, b, i);
	KUNIT_ASSERT_NOT_NULL(test, test_stack(b, 1, 2, 3, 0, 0x4000));
	KUNIT_EXPECT_EQ(test, b->used, TEST_BYTES);
	KUNIT_EXPECT_EQ(test, b->nrec, 15);
	KUNIT_EXPECT_EQ(test, b->overflow, 0);
	KUNIT_EXPECT_NULL(test, adprof_buf_reserve(b, REC));
	KUNIT_EXPECT_NULL(test, test_stack(b, 0, 0, 0, 0, 0x4000));
	KUNIT_EXPECT_EQ(test, b->overflow, 2);
	adprof_buf_free(b);
}

/*
 * Room for the stack the sample has, but not for the deepest the session
 * allows: the sample is not taken, nothing is written, overflow counts it.
 */
static void buffer_test_stack_does_not_fit(struct kunit *test)
{
	struct adprof_buf *b = test_buf(test, 12, 0);	/* 128 bytes left */

	KUNIT_EXPECT_NULL(test, test_stack(b, 1, 1, 127, 0, 0x5000));
	KUNIT_EXPECT_EQ(test, b->used, 12 * REC);
	KUNIT_EXPECT_EQ(test, b->nrec, 12);
	KUNIT_EXPECT_EQ(test, b->overflow, 1);
	/* At the depth that fits, it is taken. */
	KUNIT_EXPECT_NOT_NULL(test, test_stack(b, 1, 1, 11, 0, 0x5000));
	KUNIT_EXPECT_EQ(test, b->nrec, 13);
	adprof_buf_free(b);
}

/* Takes end on a record boundary, at most max_bytes unless one is longer. */
static void buffer_test_take_mixed(struct kunit *test)
{
	struct adprof_buf *b = adprof_buf_alloc(4096, 0, GFP_KERNEL);
	const struct adprof_sample *s;
	u32 bytes, n;

	KUNIT_ASSERT_NOT_NULL(test, b);
	test_fixed(test, b, 0x5000);
	KUNIT_ASSERT_NOT_NULL(test, test_stack(b, 60, 67, 127, 0, 0x6000));
	KUNIT_ASSERT_NOT_NULL(test, test_stack(b, 0, 0, 127, 0, 0x7000));
	test_fixed(test, b, 0x8000);
	KUNIT_EXPECT_EQ(test, adprof_buf_unread(b), 4);

	s = adprof_buf_take(b, 100, &bytes, &n);
	KUNIT_EXPECT_PTR_EQ(test, (const void *)s, (const void *)b->data);
	KUNIT_EXPECT_EQ(test, bytes, REC);
	KUNIT_EXPECT_EQ(test, n, 1);
	s = adprof_buf_take(b, 100, &bytes, &n);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, s->pc, 0x6000ULL);
	KUNIT_EXPECT_EQ(test, bytes, 1056);
	KUNIT_EXPECT_EQ(test, n, 1);
	s = adprof_buf_take(b, 100, &bytes, &n);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, s->pc, 0x7000ULL);
	KUNIT_EXPECT_EQ(test, bytes, REC + 8 + REC);
	KUNIT_EXPECT_EQ(test, n, 2);
	KUNIT_EXPECT_EQ(test, adprof_buf_unread(b), 0);
	KUNIT_EXPECT_NULL(test, adprof_buf_take(b, 100, &bytes, &n));
	adprof_buf_free(b);
}

/* The statistics count records, whatever their length. */
static void buffer_test_stack_stats(struct kunit *test)
{
	struct adprof_buflist *l = test->priv;
	struct adprof_buf *b = adprof_buf_alloc(4096, 0, GFP_KERNEL);
	struct adprof_bufstats st;

	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_ASSERT_NOT_NULL(test, test_stack(b, 10, 10, 20, 0, 0x8000));
	test_fixed(test, b, 0x8800);
	KUNIT_ASSERT_NOT_NULL(test, test_stack(b, 0, 1, 20, 0, 0x9000));
	KUNIT_EXPECT_NULL(test, adprof_buflist_rotate(l, b));
	adprof_buflist_stats(l, &st);
	KUNIT_EXPECT_EQ(test, st.sample, 3);
	KUNIT_EXPECT_EQ(test, st.onlist_sample, 3);
}

static void buffer_test_switch_returns_old(struct kunit *test)
{
	struct adprof_buf *a = test_buf(test, 0, 0);
	struct adprof_buf *b = test_buf(test, 0, 0);
	struct adprof_buf *slot = NULL;

	KUNIT_EXPECT_NULL(test, adprof_buf_switch(&slot, a));
	KUNIT_EXPECT_PTR_EQ(test, slot, a);
	KUNIT_EXPECT_PTR_EQ(test, adprof_buf_switch(&slot, b), a);
	KUNIT_EXPECT_PTR_EQ(test, slot, b);
	KUNIT_EXPECT_PTR_EQ(test, adprof_buf_switch(&slot, NULL), b);
	KUNIT_EXPECT_NULL(test, slot);
	adprof_buf_free(a);
	adprof_buf_free(b);
}

static void buffer_test_rotate_to_list(struct kunit *test)
{
	struct adprof_buflist *l = test->priv;
	struct adprof_bufstats st;

	KUNIT_EXPECT_NULL(test, adprof_buflist_rotate(l, test_buf(test, 5, 0)));
	KUNIT_EXPECT_NULL(test, adprof_buflist_rotate(l, test_buf(test, 3, 0)));
	adprof_buflist_stats(l, &st);
	KUNIT_EXPECT_EQ(test, st.buf, 2);
	KUNIT_EXPECT_EQ(test, st.sample, 8);
	KUNIT_EXPECT_EQ(test, st.overflow, 0);
	KUNIT_EXPECT_EQ(test, st.emptybuf, 0);
	KUNIT_EXPECT_EQ(test, st.dropbuf, 0);
	KUNIT_EXPECT_EQ(test, st.dropbuf_sample, 0);
	KUNIT_EXPECT_EQ(test, st.onlist_buf, 2);
	KUNIT_EXPECT_EQ(test, st.onlist_sample, 8);
}

static void buffer_test_rotate_empty(struct kunit *test)
{
	struct adprof_buflist *l = test->priv;
	struct adprof_buf *b = test_buf(test, 0, 0);
	struct adprof_bufstats st;

	KUNIT_EXPECT_PTR_EQ(test, adprof_buflist_rotate(l, b), b);
	adprof_buflist_stats(l, &st);
	KUNIT_EXPECT_EQ(test, st.emptybuf, 1);
	KUNIT_EXPECT_EQ(test, st.buf, 0);
	KUNIT_EXPECT_EQ(test, st.sample, 0);
	KUNIT_EXPECT_EQ(test, st.overflow, 0);
	KUNIT_EXPECT_EQ(test, st.dropbuf, 0);
	KUNIT_EXPECT_EQ(test, st.dropbuf_sample, 0);
	KUNIT_EXPECT_EQ(test, st.onlist_buf, 0);
	KUNIT_EXPECT_EQ(test, st.onlist_sample, 0);
	adprof_buf_free(b);
}

/* Is @b due in a session whose longest record is @rec_max? */
static bool test_due(const struct adprof_buf *b, u32 rec_max)
{
	return adprof_buf_due(b, adprof_buf_kick_bytes(b->size, rec_max, 0));
}

/* The tick's test: half full, no room for the longest record, or overflow. */
static void buffer_test_due(struct kunit *test)
{
	struct adprof_buf *b = test_buf(test, 0, 0);
	u32 half = TEST_BYTES / REC / 2, big = 4 * REC;

	KUNIT_EXPECT_EQ(test, adprof_buf_kick_bytes(TEST_BYTES, REC, 0), TEST_BYTES / 2);
	KUNIT_EXPECT_EQ(test, adprof_buf_kick_bytes(TEST_BYTES, 400, 0), TEST_BYTES - 400 + 1);
	KUNIT_EXPECT_EQ(test, adprof_buf_kick_bytes(TEST_BYTES, TEST_BYTES, 0), 1);
	KUNIT_EXPECT_EQ(test, adprof_buf_kick_bytes(TEST_BYTES, TEST_BYTES + 8, 0), 0);
	KUNIT_EXPECT_TRUE(test, adprof_buf_due(NULL, TEST_BYTES / 2));
	KUNIT_EXPECT_FALSE(test, adprof_buf_due(b, TEST_BYTES / 2));
	while (b->used + REC < TEST_BYTES / 2)
		test_fixed(test, b, 1);
	KUNIT_EXPECT_EQ(test, b->nrec, half - 1);
	KUNIT_EXPECT_FALSE(test, adprof_buf_due(b, TEST_BYTES / 2));
	test_fixed(test, b, 2);
	KUNIT_EXPECT_TRUE(test, adprof_buf_due(b, TEST_BYTES / 2));
	adprof_buf_free(b);

	/* Less than the longest record left, though not half full. */
	b = test_buf(test, 0, 0);
	KUNIT_EXPECT_FALSE(test, test_due(b, TEST_BYTES));
	KUNIT_EXPECT_TRUE(test, test_due(b, TEST_BYTES + 8));
	test_fixed(test, b, 1);
	KUNIT_EXPECT_FALSE(test, test_due(b, big));
	KUNIT_EXPECT_TRUE(test, test_due(b, TEST_BYTES - REC + 8));
	adprof_buf_free(b);

	/* A sample refused for room makes it due however little is used. */
	b = test_buf(test, 1, 0);
	KUNIT_EXPECT_NULL(test, adprof_buf_reserve_max(b, TEST_BYTES));
	KUNIT_EXPECT_EQ(test, b->overflow, 1);
	KUNIT_EXPECT_TRUE(test, adprof_buf_due(b, TEST_BYTES / 2));
	adprof_buf_free(b);
}

/*
 * Messages of at most 30 KiB: a half that holds one or more goes as its
 * whole messages less an eighth of one (room for what comes before the
 * tick runs), so the stream sends no message of a few records.
 */
static void buffer_test_kick_msg(struct kunit *test)
{
	const u32 msg = 30720;

	/* 1 kHz, 1 s: two latencies of 32-byte records, 64000 bytes. */
	KUNIT_EXPECT_EQ(test, adprof_buf_kick_bytes(64000, 32, msg), msg - msg / 8);
	KUNIT_EXPECT_EQ(test, adprof_buf_kick_bytes(2 * msg, 32, msg), msg - msg / 8);
	KUNIT_EXPECT_EQ(test, adprof_buf_kick_bytes(2 * msg - 8, 32, msg), msg - 4);
	KUNIT_EXPECT_EQ(test, adprof_buf_kick_bytes(7 * msg, 32, msg),
			3 * msg - msg / 8);
	/* 4 MiB: 68 messages less an eighth. */
	KUNIT_EXPECT_EQ(test, adprof_buf_kick_bytes(4 << 20, 32, msg),
			68 * msg - msg / 8);
	/* Smaller than a message, or no limit: half. */
	KUNIT_EXPECT_EQ(test, adprof_buf_kick_bytes(4096, 32, msg), 2048);
	KUNIT_EXPECT_EQ(test, adprof_buf_kick_bytes(64000, 32, 0), 32000);
	/* The longest record still bounds it. */
	KUNIT_EXPECT_EQ(test, adprof_buf_kick_bytes(2 * msg, 2 * msg - 100, msg), 101);
}

static void buffer_test_rotate_null(struct kunit *test)
{
	struct adprof_buflist *l = test->priv;
	struct adprof_bufstats st;

	KUNIT_EXPECT_NULL(test, adprof_buflist_rotate(l, NULL));
	adprof_buflist_stats(l, &st);
	KUNIT_EXPECT_EQ(test, st.emptybuf, 0);
	KUNIT_EXPECT_EQ(test, st.buf, 0);
	KUNIT_EXPECT_EQ(test, st.dropbuf, 0);
	KUNIT_EXPECT_EQ(test, st.onlist_buf, 0);
}

static void buffer_test_rotate_drop_at_cap(struct kunit *test)
{
	struct adprof_buflist *l = test->priv;
	struct adprof_buf *b;
	struct adprof_bufstats st;
	u32 i;

	for (i = 0; i < TEST_MAX_BUFS; i++)
		KUNIT_ASSERT_NULL(test,
				  adprof_buflist_rotate(l, test_buf(test, 2, 0)));
	b = test_buf(test, 7, 0);
	KUNIT_EXPECT_PTR_EQ(test, adprof_buflist_rotate(l, b), b);
	adprof_buflist_stats(l, &st);
	KUNIT_EXPECT_EQ(test, st.dropbuf, 1);
	KUNIT_EXPECT_EQ(test, st.dropbuf_sample, 7);
	KUNIT_EXPECT_EQ(test, st.buf, TEST_MAX_BUFS);
	KUNIT_EXPECT_EQ(test, st.sample, 2 * TEST_MAX_BUFS);
	KUNIT_EXPECT_EQ(test, st.emptybuf, 0);
	KUNIT_EXPECT_EQ(test, st.overflow, 0);
	KUNIT_EXPECT_EQ(test, st.onlist_buf, TEST_MAX_BUFS);
	KUNIT_EXPECT_EQ(test, st.onlist_sample, 2 * TEST_MAX_BUFS);
	adprof_buf_free(b);
}

static void buffer_test_set_max(struct kunit *test)
{
	struct adprof_buflist *l = test->priv;
	struct adprof_buf *b;
	struct adprof_bufstats st;

	adprof_buflist_set_max(l, 1);
	KUNIT_ASSERT_NULL(test, adprof_buflist_rotate(l, test_buf(test, 1, 0)));
	b = test_buf(test, 1, 0);
	KUNIT_EXPECT_PTR_EQ(test, adprof_buflist_rotate(l, b), b);
	adprof_buflist_stats(l, &st);
	KUNIT_EXPECT_EQ(test, st.buf, 1);
	KUNIT_EXPECT_EQ(test, st.dropbuf, 1);
	KUNIT_EXPECT_EQ(test, st.onlist_buf, 1);
	adprof_buf_free(b);
}

static void buffer_test_overflow_listed(struct kunit *test)
{
	struct adprof_buflist *l = test->priv;
	struct adprof_buf *b = test_buf(test, TEST_SIZE, 0);
	struct adprof_bufstats st;
	u32 i;

	for (i = 0; i < 5; i++)
		KUNIT_ASSERT_NULL(test, adprof_buf_reserve(b, REC));
	KUNIT_EXPECT_NULL(test, adprof_buflist_rotate(l, b));
	adprof_buflist_stats(l, &st);
	KUNIT_EXPECT_EQ(test, st.overflow, 5);
	KUNIT_EXPECT_EQ(test, st.sample, TEST_SIZE);
	KUNIT_EXPECT_EQ(test, st.buf, 1);
}

static void buffer_test_overflow_dropped(struct kunit *test)
{
	struct adprof_buflist *l = test->priv;
	struct adprof_buf *b = test_buf(test, TEST_SIZE, 0);
	struct adprof_bufstats st;
	u32 i;

	adprof_buflist_set_max(l, 0);
	for (i = 0; i < 5; i++)
		KUNIT_ASSERT_NULL(test, adprof_buf_reserve(b, REC));
	KUNIT_EXPECT_PTR_EQ(test, adprof_buflist_rotate(l, b), b);
	adprof_buflist_stats(l, &st);
	KUNIT_EXPECT_EQ(test, st.overflow, 5);
	KUNIT_EXPECT_EQ(test, st.dropbuf, 1);
	KUNIT_EXPECT_EQ(test, st.dropbuf_sample, TEST_SIZE);
	KUNIT_EXPECT_EQ(test, st.sample, 0);
	adprof_buf_free(b);
}

static void buffer_test_returned_buffer_reset(struct kunit *test)
{
	struct adprof_buflist *l = test->priv;
	struct adprof_buf *b = test_buf(test, TEST_SIZE, 0);
	struct adprof_bufstats st;

	adprof_buflist_set_max(l, 0);
	KUNIT_ASSERT_NULL(test, adprof_buf_reserve(b, REC));
	KUNIT_ASSERT_PTR_EQ(test, adprof_buflist_rotate(l, b), b);
	KUNIT_EXPECT_EQ(test, b->used, 0);
	KUNIT_EXPECT_EQ(test, b->nrec, 0);
	KUNIT_EXPECT_EQ(test, b->overflow, 0);
	KUNIT_EXPECT_EQ(test, b->rd, 0);
	KUNIT_EXPECT_EQ(test, b->rd_rec, 0);
	KUNIT_EXPECT_EQ(test, b->cpu, TEST_CPU);
	/* Reused for the next tick, it is not counted twice. */
	KUNIT_EXPECT_PTR_EQ(test, adprof_buflist_rotate(l, b), b);
	adprof_buflist_stats(l, &st);
	KUNIT_EXPECT_EQ(test, st.overflow, 1);
	KUNIT_EXPECT_EQ(test, st.dropbuf, 1);
	KUNIT_EXPECT_EQ(test, st.emptybuf, 1);
	adprof_buf_free(b);
}

static void buffer_test_pop_in_order(struct kunit *test)
{
	struct adprof_buflist *l = test->priv;
	struct adprof_buf *a = test_buf(test, 2, 0);
	struct adprof_buf *b = test_buf(test, 3, 0);
	struct adprof_buf *p;
	struct adprof_bufstats st;

	KUNIT_ASSERT_NULL(test, adprof_buflist_rotate(l, a));
	KUNIT_ASSERT_NULL(test, adprof_buflist_rotate(l, b));
	p = adprof_buflist_pop(l);
	KUNIT_EXPECT_PTR_EQ(test, p, a);
	adprof_buf_free(p);
	adprof_buflist_stats(l, &st);
	KUNIT_EXPECT_EQ(test, st.onlist_buf, 1);
	KUNIT_EXPECT_EQ(test, st.onlist_sample, 3);
	p = adprof_buflist_pop(l);
	KUNIT_EXPECT_PTR_EQ(test, p, b);
	adprof_buf_free(p);
	KUNIT_EXPECT_NULL(test, adprof_buflist_pop(l));
	adprof_buflist_stats(l, &st);
	KUNIT_EXPECT_EQ(test, st.onlist_buf, 0);
	KUNIT_EXPECT_EQ(test, st.onlist_sample, 0);
	/* Reading does not undo what was counted. */
	KUNIT_EXPECT_EQ(test, st.buf, 2);
	KUNIT_EXPECT_EQ(test, st.sample, 5);
}

static void buffer_test_partial_read(struct kunit *test)
{
	struct adprof_buflist *l = test->priv;
	struct adprof_buf *a = test_buf(test, 5, 0);
	struct adprof_buf *b = test_buf(test, 3, 100);
	const struct adprof_sample *s;
	struct adprof_bufstats st;
	struct adprof_buf *p;
	u32 bytes, n;

	KUNIT_ASSERT_NULL(test, adprof_buflist_rotate(l, a));
	KUNIT_ASSERT_NULL(test, adprof_buflist_rotate(l, b));

	p = adprof_buflist_pop(l);
	KUNIT_ASSERT_PTR_EQ(test, p, a);
	s = adprof_buf_take(p, 2 * REC, &bytes, &n);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, n, 2);
	KUNIT_EXPECT_EQ(test, s[0].pc, 0);
	KUNIT_EXPECT_EQ(test, s[1].pc, 1);
	adprof_buflist_push_head(l, p);
	adprof_buflist_stats(l, &st);
	KUNIT_EXPECT_EQ(test, st.onlist_buf, 2);
	KUNIT_EXPECT_EQ(test, st.onlist_sample, 6);

	/* The same buffer comes back first, from where the reader stopped. */
	p = adprof_buflist_pop(l);
	KUNIT_ASSERT_PTR_EQ(test, p, a);
	s = adprof_buf_take(p, 10 * REC, &bytes, &n);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, n, 3);
	KUNIT_EXPECT_EQ(test, s[0].pc, 2);
	KUNIT_EXPECT_EQ(test, s[2].pc, 4);
	adprof_buf_free(p);

	p = adprof_buflist_pop(l);
	KUNIT_ASSERT_PTR_EQ(test, p, b);
	s = adprof_buf_take(p, 10 * REC, &bytes, &n);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, n, 3);
	KUNIT_EXPECT_EQ(test, s[0].pc, 100);
	adprof_buf_free(p);
}

static void buffer_test_take_exhausted(struct kunit *test)
{
	struct adprof_buf *b = test_buf(test, 2, 0);
	u32 bytes = 99, n = 99;

	KUNIT_ASSERT_NOT_NULL(test, adprof_buf_take(b, 2 * REC, &bytes, &n));
	KUNIT_EXPECT_NULL(test, adprof_buf_take(b, 2 * REC, &bytes, &n));
	KUNIT_EXPECT_EQ(test, n, 0);
	KUNIT_EXPECT_EQ(test, bytes, 0);
	KUNIT_EXPECT_EQ(test, adprof_buf_unread(b), 0);
	adprof_buf_free(b);
}

static void buffer_test_clear(struct kunit *test)
{
	struct adprof_buflist *l = test->priv;
	struct adprof_buf *b;
	struct adprof_bufstats st;

	adprof_buflist_set_max(l, 1);
	b = test_buf(test, TEST_SIZE, 0);
	KUNIT_ASSERT_NULL(test, adprof_buf_reserve(b, REC));
	KUNIT_ASSERT_NULL(test, adprof_buflist_rotate(l, b));
	b = test_buf(test, 2, 0);
	KUNIT_ASSERT_PTR_EQ(test, adprof_buflist_rotate(l, b), b);
	KUNIT_ASSERT_PTR_EQ(test, adprof_buflist_rotate(l, b), b);
	adprof_buf_free(b);

	adprof_buflist_clear(l);
	adprof_buflist_stats(l, &st);
	KUNIT_EXPECT_EQ(test, st.sample, 0);
	KUNIT_EXPECT_EQ(test, st.overflow, 0);
	KUNIT_EXPECT_EQ(test, st.buf, 0);
	KUNIT_EXPECT_EQ(test, st.emptybuf, 0);
	KUNIT_EXPECT_EQ(test, st.dropbuf, 0);
	KUNIT_EXPECT_EQ(test, st.dropbuf_sample, 0);
	KUNIT_EXPECT_EQ(test, st.onlist_buf, 0);
	KUNIT_EXPECT_EQ(test, st.onlist_sample, 0);
	KUNIT_EXPECT_NULL(test, adprof_buflist_pop(l));
}

static void buffer_test_clear_keeps_max(struct kunit *test)
{
	struct adprof_buflist *l = test->priv;
	struct adprof_buf *b;
	struct adprof_bufstats st;

	adprof_buflist_set_max(l, 1);
	KUNIT_ASSERT_NULL(test, adprof_buflist_rotate(l, test_buf(test, 1, 0)));
	adprof_buflist_clear(l);
	KUNIT_EXPECT_NULL(test, adprof_buflist_rotate(l, test_buf(test, 1, 0)));
	b = test_buf(test, 1, 0);
	KUNIT_EXPECT_PTR_EQ(test, adprof_buflist_rotate(l, b), b);
	adprof_buflist_stats(l, &st);
	KUNIT_EXPECT_EQ(test, st.buf, 1);
	KUNIT_EXPECT_EQ(test, st.dropbuf, 1);
	adprof_buf_free(b);
}

/* A closed pool keeps nothing: what is put is freed. */
static void buffer_test_pool_closed(struct kunit *test)
{
	struct adprof_bufpool p;

	adprof_bufpool_init(&p);
	adprof_bufpool_put(&p, test_buf(test, 3, 0));
	adprof_bufpool_put(&p, NULL);
	KUNIT_EXPECT_EQ(test, p.n, 0);
	KUNIT_EXPECT_NULL(test, adprof_bufpool_get(&p, 0));
}

/* Up to max buffers of the pool's size come back reset, for a new CPU. */
static void buffer_test_pool_reuse(struct kunit *test)
{
	struct adprof_buf *a, *b, *c;
	struct adprof_bufpool p;
	u32 bytes, nrec;

	adprof_bufpool_init(&p);
	adprof_bufpool_open(&p, TEST_BYTES, 2);
	a = test_buf(test, 5, 0);
	adprof_buf_take(a, TEST_BYTES, &bytes, &nrec);
	KUNIT_ASSERT_EQ(test, nrec, 5);
	adprof_bufpool_put(&p, a);
	adprof_bufpool_put(&p, test_buf(test, TEST_SIZE, 0));
	adprof_bufpool_put(&p, test_buf(test, 1, 0));	/* over max: freed */
	KUNIT_EXPECT_EQ(test, p.n, 2);

	b = adprof_bufpool_get(&p, 7);
	c = adprof_bufpool_get(&p, 8);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_NULL(test, adprof_bufpool_get(&p, 9));
	KUNIT_EXPECT_EQ(test, p.n, 0);
	KUNIT_EXPECT_EQ(test, b->cpu, 7);
	KUNIT_EXPECT_EQ(test, c->cpu, 8);
	KUNIT_EXPECT_EQ(test, b->used + b->nrec + b->overflow + b->rd + b->rd_rec, 0);
	KUNIT_EXPECT_EQ(test, c->used + c->nrec + c->overflow + c->rd + c->rd_rec, 0);
	KUNIT_EXPECT_EQ(test, b->size, TEST_BYTES);
	/* A reused buffer takes records as a new one does. */
	test_fixed(test, b, 42);
	KUNIT_EXPECT_EQ(test, b->nrec, 1);
	adprof_buf_free(b);
	adprof_buf_free(c);
	adprof_bufpool_close(&p);
}

/* Buffers of another session's size are freed, not kept. */
static void buffer_test_pool_other_size(struct kunit *test)
{
	struct adprof_bufpool p;
	struct adprof_buf *b;

	adprof_bufpool_init(&p);
	adprof_bufpool_open(&p, TEST_BYTES, 4);
	b = adprof_buf_alloc(2 * TEST_BYTES, TEST_CPU, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	adprof_bufpool_put(&p, b);
	KUNIT_EXPECT_EQ(test, p.n, 0);
	KUNIT_EXPECT_NULL(test, adprof_bufpool_get(&p, 0));
	adprof_bufpool_close(&p);
}

/* Close frees what is kept and keeps nothing more; open again works. */
static void buffer_test_pool_close(struct kunit *test)
{
	struct adprof_bufpool p;
	struct adprof_buf *b;

	adprof_bufpool_init(&p);
	adprof_bufpool_open(&p, TEST_BYTES, 4);
	adprof_bufpool_put(&p, test_buf(test, 1, 0));
	adprof_bufpool_put(&p, test_buf(test, 2, 0));
	KUNIT_EXPECT_EQ(test, p.n, 2);
	adprof_bufpool_close(&p);
	KUNIT_EXPECT_EQ(test, p.n, 0);
	KUNIT_EXPECT_NULL(test, adprof_bufpool_get(&p, 0));
	adprof_bufpool_put(&p, test_buf(test, 1, 0));
	KUNIT_EXPECT_EQ(test, p.n, 0);

	adprof_bufpool_open(&p, TEST_BYTES, 1);
	adprof_bufpool_put(&p, test_buf(test, 1, 0));
	b = adprof_bufpool_get(&p, 0);
	KUNIT_EXPECT_NOT_NULL(test, b);
	adprof_buf_free(b);
	adprof_bufpool_close(&p);
}

static struct kunit_case buffer_test_cases[] = {
	KUNIT_CASE(buffer_test_alloc_min),
	KUNIT_CASE(buffer_test_alloc_max),
	KUNIT_CASE(buffer_test_alloc_over_max),
	KUNIT_CASE(buffer_test_alloc_under_min),
	KUNIT_CASE(buffer_test_reserve_in_order),
	KUNIT_CASE(buffer_test_fill_overflow),
	KUNIT_CASE(buffer_test_stack_empty),
	KUNIT_CASE(buffer_test_stack_full_depth),
	KUNIT_CASE(buffer_test_stack_truncated),
	KUNIT_CASE(buffer_test_stack_exactly_full),
	KUNIT_CASE(buffer_test_stack_does_not_fit),
	KUNIT_CASE(buffer_test_take_mixed),
	KUNIT_CASE(buffer_test_stack_stats),
	KUNIT_CASE(buffer_test_switch_returns_old),
	KUNIT_CASE(buffer_test_rotate_to_list),
	KUNIT_CASE(buffer_test_rotate_empty),
	KUNIT_CASE(buffer_test_rotate_null),
	KUNIT_CASE(buffer_test_due),
	KUNIT_CASE(buffer_test_kick_msg),
	KUNIT_CASE(buffer_test_rotate_drop_at_cap),
	KUNIT_CASE(buffer_test_set_max),
	KUNIT_CASE(buffer_test_overflow_listed),
	KUNIT_CASE(buffer_test_overflow_dropped),
	KUNIT_CASE(buffer_test_returned_buffer_reset),
	KUNIT_CASE(buffer_test_pop_in_order),
	KUNIT_CASE(buffer_test_partial_read),
	KUNIT_CASE(buffer_test_take_exhausted),
	KUNIT_CASE(buffer_test_clear),
	KUNIT_CASE(buffer_test_clear_keeps_max),
	KUNIT_CASE(buffer_test_pool_closed),
	KUNIT_CASE(buffer_test_pool_reuse),
	KUNIT_CASE(buffer_test_pool_other_size),
	KUNIT_CASE(buffer_test_pool_close),
	{}
};

static struct kunit_suite buffer_test_suite = {
	.name = "adprof_buffer",
	.init = buffer_test_init,
	.exit = buffer_test_exit,
	.test_cases = buffer_test_cases,
};

kunit_test_suite(buffer_test_suite);

MODULE_DESCRIPTION("KUnit tests of adprof's sample buffers");
MODULE_LICENSE("GPL");

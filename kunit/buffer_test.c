// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for adprof's buffer life cycle: per-CPU buffers, their
 * rotation onto the bounded global list, partial reads, and the statistics
 * that account for every sample taken or lost.
 */
#include <kunit/test.h>

#include "buffer.h"

#define TEST_SIZE	ADPROF_BUF_SAMPLES_MIN
#define TEST_MAX_BUFS	4

/* A buffer of TEST_SIZE records holding n samples with pc = base + i. */
static struct adprof_buf *test_buf(struct kunit *test, u32 n, u64 base)
{
	struct adprof_buf *b;
	struct adprof_sample *s;
	u32 i;

	b = adprof_buf_alloc(TEST_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	for (i = 0; i < n; i++) {
		s = adprof_buf_reserve(b);
		KUNIT_ASSERT_NOT_NULL(test, s);
		*s = (struct adprof_sample){ .pid = 1, .tid = 1, .pc = base + i };
	}
	return b;
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
	struct adprof_buf *b = adprof_buf_alloc(ADPROF_BUF_SAMPLES_MIN,
						GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_EQ(test, b->size, ADPROF_BUF_SAMPLES_MIN);
	KUNIT_EXPECT_EQ(test, b->used, 0);
	KUNIT_EXPECT_EQ(test, b->overflow, 0);
	KUNIT_EXPECT_EQ(test, b->rd, 0);
	adprof_buf_free(b);
}

static void buffer_test_alloc_max(struct kunit *test)
{
	struct adprof_buf *b = adprof_buf_alloc(ADPROF_BUF_SAMPLES_MAX,
						GFP_KERNEL);
	struct adprof_sample *s = NULL;
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_EQ(test, b->size, ADPROF_BUF_SAMPLES_MAX);
	/* The last record is inside the allocation. */
	for (i = 0; i < ADPROF_BUF_SAMPLES_MAX; i++)
		s = adprof_buf_reserve(b);
	KUNIT_ASSERT_NOT_NULL(test, s);
	s->pc = 42;
	KUNIT_EXPECT_PTR_EQ(test, s, &b->data[ADPROF_BUF_SAMPLES_MAX - 1]);
	KUNIT_EXPECT_EQ(test, b->used, ADPROF_BUF_SAMPLES_MAX);
	adprof_buf_free(b);
}

static void buffer_test_alloc_over_max(struct kunit *test)
{
	KUNIT_EXPECT_NULL(test, adprof_buf_alloc(ADPROF_BUF_SAMPLES_MAX + 1,
						 GFP_KERNEL));
	KUNIT_EXPECT_NULL(test, adprof_buf_alloc(U32_MAX, GFP_KERNEL));
}

static void buffer_test_alloc_under_min(struct kunit *test)
{
	KUNIT_EXPECT_NULL(test, adprof_buf_alloc(ADPROF_BUF_SAMPLES_MIN - 1,
						 GFP_KERNEL));
	KUNIT_EXPECT_NULL(test, adprof_buf_alloc(0, GFP_KERNEL));
}

static void buffer_test_reserve_in_order(struct kunit *test)
{
	struct adprof_buf *b = adprof_buf_alloc(TEST_SIZE, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_PTR_EQ(test, adprof_buf_reserve(b), &b->data[0]);
	KUNIT_EXPECT_PTR_EQ(test, adprof_buf_reserve(b), &b->data[1]);
	KUNIT_EXPECT_PTR_EQ(test, adprof_buf_reserve(b), &b->data[2]);
	KUNIT_EXPECT_EQ(test, b->used, 3);
	KUNIT_EXPECT_EQ(test, b->overflow, 0);
	adprof_buf_free(b);
}

static void buffer_test_fill_overflow(struct kunit *test)
{
	struct adprof_buf *b = test_buf(test, TEST_SIZE, 0);

	KUNIT_EXPECT_NULL(test, adprof_buf_reserve(b));
	KUNIT_EXPECT_NULL(test, adprof_buf_reserve(b));
	KUNIT_EXPECT_NULL(test, adprof_buf_reserve(b));
	KUNIT_EXPECT_EQ(test, b->used, TEST_SIZE);
	KUNIT_EXPECT_EQ(test, b->overflow, 3);
	adprof_buf_free(b);
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
		KUNIT_ASSERT_NULL(test, adprof_buf_reserve(b));
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
		KUNIT_ASSERT_NULL(test, adprof_buf_reserve(b));
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
	KUNIT_ASSERT_NULL(test, adprof_buf_reserve(b));
	KUNIT_ASSERT_PTR_EQ(test, adprof_buflist_rotate(l, b), b);
	KUNIT_EXPECT_EQ(test, b->used, 0);
	KUNIT_EXPECT_EQ(test, b->overflow, 0);
	KUNIT_EXPECT_EQ(test, b->rd, 0);
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
	u32 n;

	KUNIT_ASSERT_NULL(test, adprof_buflist_rotate(l, a));
	KUNIT_ASSERT_NULL(test, adprof_buflist_rotate(l, b));

	p = adprof_buflist_pop(l);
	KUNIT_ASSERT_PTR_EQ(test, p, a);
	s = adprof_buf_take(p, 2, &n);
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
	s = adprof_buf_take(p, 10, &n);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, n, 3);
	KUNIT_EXPECT_EQ(test, s[0].pc, 2);
	KUNIT_EXPECT_EQ(test, s[2].pc, 4);
	adprof_buf_free(p);

	p = adprof_buflist_pop(l);
	KUNIT_ASSERT_PTR_EQ(test, p, b);
	s = adprof_buf_take(p, 10, &n);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, n, 3);
	KUNIT_EXPECT_EQ(test, s[0].pc, 100);
	adprof_buf_free(p);
}

static void buffer_test_take_exhausted(struct kunit *test)
{
	struct adprof_buf *b = test_buf(test, 2, 0);
	u32 n = 99;

	KUNIT_ASSERT_NOT_NULL(test, adprof_buf_take(b, 2, &n));
	KUNIT_EXPECT_NULL(test, adprof_buf_take(b, 2, &n));
	KUNIT_EXPECT_EQ(test, n, 0);
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
	KUNIT_ASSERT_NULL(test, adprof_buf_reserve(b));
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

static struct kunit_case buffer_test_cases[] = {
	KUNIT_CASE(buffer_test_alloc_min),
	KUNIT_CASE(buffer_test_alloc_max),
	KUNIT_CASE(buffer_test_alloc_over_max),
	KUNIT_CASE(buffer_test_alloc_under_min),
	KUNIT_CASE(buffer_test_reserve_in_order),
	KUNIT_CASE(buffer_test_fill_overflow),
	KUNIT_CASE(buffer_test_switch_returns_old),
	KUNIT_CASE(buffer_test_rotate_to_list),
	KUNIT_CASE(buffer_test_rotate_empty),
	KUNIT_CASE(buffer_test_rotate_null),
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
	{}
};

static struct kunit_suite buffer_test_suite = {
	.name = "adprof_buffer",
	.init = buffer_test_init,
	.exit = buffer_test_exit,
	.test_cases = buffer_test_cases,
};

kunit_test_suite(buffer_test_suite);

MODULE_LICENSE("GPL");

// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the summary tables (kernel/summary.c): counting by
 * (pid, kernel, pc) and by call stack, eviction from a full probe window,
 * the count records written out, and exact totals through a buffer: every
 * sample counted is in exactly one count record.
 */
#include <kunit/test.h>
#include <linux/adprof.h>

#include "buffer.h"
#include "summary.h"

#define NENT	ADPROF_SUMMARY_ENTRIES_MIN	/* 16 slots */

/* The test's table, freed when it ends (one per case). */
static struct adprof_sumtab *tab_auto(struct kunit *test, u32 nent, u32 depth)
{
	struct adprof_sumtab *t = adprof_sum_alloc(nent, depth, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	test->priv = t;
	return t;
}

static void summary_test_exit(struct kunit *test)
{
	adprof_sum_free(test->priv);
}

/* Count (pid, pc, kernel) as the sampler does; victim written nowhere. */
static enum adprof_sum_res add(struct adprof_sumtab *t, u32 pid, u64 pc,
			       bool kernel, struct adprof_sum_ent **victim)
{
	struct adprof_sum_ent *k = adprof_sum_key(t);

	k->pid = pid;
	k->pc = pc;
	k->flags = kernel ? ADPROF_SAMPLE_F_KERNEL : 0;
	return adprof_sum_add(t, victim);
}

/* The same with a call stack of @nk kernel and @nu user addresses from @base. */
static enum adprof_sum_res add_stack(struct adprof_sumtab *t, u32 pid, u64 pc,
				     u16 nk, u16 nu, u16 flags, u64 base,
				     struct adprof_sum_ent **victim)
{
	struct adprof_sum_ent *k = adprof_sum_key(t);
	struct adprof_stack *st = adprof_sum_stack(k);
	u32 i;

	k->pid = pid;
	k->pc = pc;
	k->flags = nk ? ADPROF_SAMPLE_F_KERNEL : 0;
	st->nr_kernel = nk;
	st->nr_user = nu;
	st->flags = flags;
	st->reserved = 0;
	for (i = 0; i < nk + nu; i++)
		st->pc[i] = base + i;
	return adprof_sum_add(t, victim);
}

static u64 total(struct adprof_sumtab *t, u32 *keys)
{
	struct adprof_sum_ent *e;
	u32 pos = 0, n = 0;
	u64 sum = 0;

	while ((e = adprof_sum_next(t, &pos))) {
		sum += e->count;
		n++;
	}
	if (keys)
		*keys = n;
	return sum;
}

static void summary_test_alloc_bounds(struct kunit *test)
{
	KUNIT_EXPECT_NULL(test, adprof_sum_alloc(NENT / 2, 0, GFP_KERNEL));
	KUNIT_EXPECT_NULL(test, adprof_sum_alloc(NENT + 1, 0, GFP_KERNEL));
	KUNIT_EXPECT_NULL(test, adprof_sum_alloc(2 * ADPROF_SUMMARY_ENTRIES_MAX,
						 0, GFP_KERNEL));
	KUNIT_EXPECT_NULL(test, adprof_sum_alloc(NENT, ADPROF_STACK_DEPTH_MAX + 1,
						 GFP_KERNEL));
	/* Slots stay 8-byte aligned with a stack of any depth. */
	KUNIT_EXPECT_EQ(test, adprof_sum_stride(0) % 8, 0);
	KUNIT_EXPECT_EQ(test, adprof_sum_stride(1) % 8, 0);
	KUNIT_EXPECT_EQ(test, adprof_sum_stride(ADPROF_STACK_DEPTH_MAX),
			sizeof(struct adprof_sum_ent) + sizeof(struct adprof_stack) +
			ADPROF_STACK_DEPTH_MAX * sizeof(u64));
}

static void summary_test_insert(struct kunit *test)
{
	struct adprof_sumtab *t = tab_auto(test, NENT, 0);
	struct adprof_sum_ent *v = NULL, *e;
	u32 pos = 0;

	KUNIT_EXPECT_NULL(test, adprof_sum_next(t, &pos));
	KUNIT_EXPECT_EQ(test, add(t, 42, 0x401000, false, &v), ADPROF_SUM_NEW);
	KUNIT_EXPECT_EQ(test, t->used, 1);
	pos = 0;
	e = adprof_sum_next(t, &pos);
	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_EXPECT_EQ(test, e->pid, 42);
	KUNIT_EXPECT_EQ(test, e->pc, 0x401000);
	KUNIT_EXPECT_EQ(test, e->count, 1);
	KUNIT_EXPECT_EQ(test, e->flags, 0);
	KUNIT_EXPECT_NULL(test, adprof_sum_next(t, &pos));
}

static void summary_test_hit(struct kunit *test)
{
	struct adprof_sumtab *t = tab_auto(test, NENT, 0);
	struct adprof_sum_ent *v = NULL;
	u32 keys, i;

	KUNIT_EXPECT_EQ(test, add(t, 42, 0x401000, false, &v), ADPROF_SUM_NEW);
	for (i = 0; i < 9; i++)
		KUNIT_EXPECT_EQ(test, add(t, 42, 0x401000, false, &v),
				ADPROF_SUM_HIT);
	KUNIT_EXPECT_EQ(test, total(t, &keys), 10);
	KUNIT_EXPECT_EQ(test, keys, 1);
	KUNIT_EXPECT_EQ(test, t->used, 1);
}

/* pid, pc and user/kernel are each part of the key. */
static void summary_test_distinct(struct kunit *test)
{
	struct adprof_sumtab *t = tab_auto(test, NENT, 0);
	struct adprof_sum_ent *v = NULL;
	u32 keys;

	KUNIT_EXPECT_EQ(test, add(t, 42, 0x1000, false, &v), ADPROF_SUM_NEW);
	KUNIT_EXPECT_EQ(test, add(t, 43, 0x1000, false, &v), ADPROF_SUM_NEW);
	KUNIT_EXPECT_EQ(test, add(t, 42, 0x1008, false, &v), ADPROF_SUM_NEW);
	KUNIT_EXPECT_EQ(test, add(t, 42, 0x1000, true, &v), ADPROF_SUM_NEW);
	KUNIT_EXPECT_EQ(test, add(t, 43, 0x1000, false, &v), ADPROF_SUM_HIT);
	KUNIT_EXPECT_EQ(test, total(t, &keys), 5);
	KUNIT_EXPECT_EQ(test, keys, 4);
}

/*
 * A full table: the next new key's probe window holds other keys; the
 * victim is the one with the fewest samples, and its slot takes the key.
 */
static void summary_test_full_evicts_least(struct kunit *test)
{
	struct adprof_sumtab *t = tab_auto(test, NENT, 0);
	struct adprof_sum_ent *v = NULL, *e;
	u32 i, pos, keys;
	u32 victim_count;
	u64 before;

	/* Every slot taken; key i counted i + 1 times. */
	for (i = 0; i < 1000 && t->used < NENT; i++)
		add(t, 1, 0x1000 + 8 * i, false, &v);
	KUNIT_ASSERT_EQ(test, t->used, NENT);
	pos = 0;
	while ((e = adprof_sum_next(t, &pos)))
		e->count = (pos & 3) + 2;	/* 2..5, some twice */
	before = total(t, NULL);

	v = NULL;
	KUNIT_ASSERT_EQ(test, add(t, 2, 0x9000, false, &v), ADPROF_SUM_FULL);
	KUNIT_ASSERT_NOT_NULL(test, v);
	/* Nothing changed yet: the caller writes the victim out first. */
	KUNIT_EXPECT_EQ(test, total(t, NULL), before);
	victim_count = v->count;
	/* No slot of the window has fewer samples than the victim. */
	for (i = 0; i < ADPROF_SUM_PROBES; i++) {
		e = (void *)((u8 *)t->slots +
			     ((adprof_sum_key(t)->hash + i) & (NENT - 1)) * t->stride);
		KUNIT_EXPECT_GE(test, e->count, victim_count);
	}
	adprof_sum_replace(t, v);
	KUNIT_EXPECT_EQ(test, v->pid, 2);
	KUNIT_EXPECT_EQ(test, v->pc, 0x9000);
	KUNIT_EXPECT_EQ(test, v->count, 1);
	KUNIT_EXPECT_EQ(test, total(t, &keys), before - victim_count + 1);
	KUNIT_EXPECT_EQ(test, keys, NENT);
	/* Now it is in the table: the next sample of it is a hit. */
	KUNIT_EXPECT_EQ(test, add(t, 2, 0x9000, false, &v), ADPROF_SUM_HIT);
}

/* With call stacks the whole stack is part of the key. */
static void summary_test_stack_keys(struct kunit *test)
{
	struct adprof_sumtab *t = tab_auto(test, NENT, 8);
	struct adprof_sum_ent *v = NULL;
	u32 keys;

	KUNIT_EXPECT_EQ(test, add_stack(t, 7, 0x1000, 0, 3, 0, 0x2000, &v),
			ADPROF_SUM_NEW);
	KUNIT_EXPECT_EQ(test, add_stack(t, 7, 0x1000, 0, 3, 0, 0x2000, &v),
			ADPROF_SUM_HIT);
	/* Another caller, a shorter stack, a cut one: three more keys. */
	KUNIT_EXPECT_EQ(test, add_stack(t, 7, 0x1000, 0, 3, 0, 0x3000, &v),
			ADPROF_SUM_NEW);
	KUNIT_EXPECT_EQ(test, add_stack(t, 7, 0x1000, 0, 2, 0, 0x2000, &v),
			ADPROF_SUM_NEW);
	KUNIT_EXPECT_EQ(test, add_stack(t, 7, 0x1000, 0, 3,
					ADPROF_STACK_F_USER_TRUNC, 0x2000, &v),
			ADPROF_SUM_NEW);
	/* Kernel and user addresses split differently. */
	KUNIT_EXPECT_EQ(test, add_stack(t, 7, 0x1000, 1, 2, 0, 0x2000, &v),
			ADPROF_SUM_NEW);
	KUNIT_EXPECT_EQ(test, total(t, &keys), 6);
	KUNIT_EXPECT_EQ(test, keys, 5);
}

/* A count record with its stack, read back through the uapi helpers. */
static void summary_test_write_record(struct kunit *test)
{
	struct adprof_sumtab *t = tab_auto(test, NENT, 8);
	struct adprof_sum_ent *v = NULL, *e;
	const struct adprof_stack *st;
	struct adprof_sample *s;
	u32 pos = 0, len;

	add_stack(t, 7, 0xffffffff81000000ULL, 2, 3, ADPROF_STACK_F_USER_BAD,
		  0x2000, &v);
	add_stack(t, 7, 0xffffffff81000000ULL, 2, 3, ADPROF_STACK_F_USER_BAD,
		  0x2000, &v);
	e = adprof_sum_next(t, &pos);
	KUNIT_ASSERT_NOT_NULL(test, e);
	len = adprof_sum_rec_len(t, e);
	KUNIT_EXPECT_EQ(test, len, sizeof(*s) + sizeof(*st) + 5 * sizeof(u64));
	s = kunit_kzalloc(test, 1024, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	adprof_sum_write(t, e, 3, s);
	KUNIT_EXPECT_EQ(test, adprof_record_len(s), len);
	KUNIT_EXPECT_EQ(test, s->flags, ADPROF_SAMPLE_F_COUNT |
			ADPROF_SAMPLE_F_STACK | ADPROF_SAMPLE_F_KERNEL);
	KUNIT_EXPECT_EQ(test, s->pid, 7);
	KUNIT_EXPECT_EQ(test, s->tid, 0);
	KUNIT_EXPECT_EQ(test, s->cpu, 3);
	KUNIT_EXPECT_EQ(test, s->count, 2);
	KUNIT_EXPECT_EQ(test, adprof_record_samples(s), 2);
	KUNIT_EXPECT_EQ(test, s->pc, 0xffffffff81000000ULL);
	st = (const void *)(s + 1);
	KUNIT_EXPECT_EQ(test, st->nr_kernel, 2);
	KUNIT_EXPECT_EQ(test, st->nr_user, 3);
	KUNIT_EXPECT_EQ(test, st->flags, ADPROF_STACK_F_USER_BAD);
	KUNIT_EXPECT_EQ(test, st->pc[0], 0x2000);
	KUNIT_EXPECT_EQ(test, st->pc[4], 0x2004);
}

/* Without stacks a count record is 32 bytes, no stack flag. */
static void summary_test_write_flat(struct kunit *test)
{
	struct adprof_sumtab *t = tab_auto(test, NENT, 0);
	struct adprof_sum_ent *v = NULL, *e;
	struct adprof_sample s = {};
	u32 pos = 0;

	add(t, 9, 0x4000, false, &v);
	e = adprof_sum_next(t, &pos);
	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_EXPECT_EQ(test, adprof_sum_rec_len(t, e), sizeof(s));
	adprof_sum_write(t, e, 1, &s);
	KUNIT_EXPECT_EQ(test, s.flags, ADPROF_SAMPLE_F_COUNT);
	KUNIT_EXPECT_EQ(test, adprof_record_len(&s), sizeof(s));
	KUNIT_EXPECT_EQ(test, s.count, 1);
}

static void summary_test_drain_clear(struct kunit *test)
{
	struct adprof_sumtab *t = tab_auto(test, NENT, 0);
	struct adprof_sum_ent *v = NULL;
	u32 pos = 0, keys;

	add(t, 1, 0x10, false, &v);
	add(t, 1, 0x20, false, &v);
	add(t, 1, 0x20, false, &v);
	KUNIT_EXPECT_EQ(test, total(t, &keys), 3);
	KUNIT_EXPECT_EQ(test, keys, 2);
	adprof_sum_clear(t);
	KUNIT_EXPECT_EQ(test, t->used, 0);
	KUNIT_EXPECT_NULL(test, adprof_sum_next(t, &pos));
	/* Empty again: the same key is new. */
	KUNIT_EXPECT_EQ(test, add(t, 1, 0x20, false, &v), ADPROF_SUM_NEW);
}

/*
 * The sampler's and the tick's use with a real buffer: N samples of many
 * keys through a small table, evictions written at once, the rest at the
 * drain. The buffer's weighted count, the reader's, and the records'
 * counts all equal N, and the table's counters add up.
 */
static void summary_test_exact_totals(struct kunit *test)
{
	const u32 n = 5000, nkeys = 97;
	struct adprof_sumtab *t = tab_auto(test, NENT, 0);
	struct adprof_sum_ent *v, *e;
	struct adprof_sample *s;
	struct adprof_buf *b;
	u32 i, pos, bytes, taken, len;
	u64 seen = 0, recs = 0, hits = 0, news = 0, evicts = 0;
	const u8 *p;

	b = adprof_buf_alloc(n * sizeof(*s), 0, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	for (i = 0; i < n; i++) {
		/* Skewed as a profile: 9 in 10 samples on 8 hot keys. */
		u32 key = i % 10 ? i % 8 : 8 + (i * 7919) % (nkeys - 8);

		switch (add(t, 100 + key % 3, 0x1000 + 16 * key, key & 1, &v)) {
		case ADPROF_SUM_HIT:
			hits++;
			break;
		case ADPROF_SUM_NEW:
			news++;
			break;
		case ADPROF_SUM_FULL:
			len = adprof_sum_rec_len(t, v);
			s = adprof_buf_reserve_count(b, len, v->count);
			KUNIT_ASSERT_NOT_NULL(test, s);
			adprof_sum_write(t, v, 0, s);
			adprof_sum_replace(t, v);
			evicts++;
			break;
		}
	}
	KUNIT_EXPECT_GT(test, evicts, 0);
	KUNIT_EXPECT_GT(test, hits, 0);
	KUNIT_EXPECT_EQ(test, hits + news + evicts, n);
	pos = 0;
	while ((e = adprof_sum_next(t, &pos))) {
		s = adprof_buf_reserve_count(b, adprof_sum_rec_len(t, e), e->count);
		KUNIT_ASSERT_NOT_NULL(test, s);
		adprof_sum_write(t, e, 0, s);
	}
	adprof_sum_clear(t);
	KUNIT_EXPECT_EQ(test, total(t, NULL), 0);

	KUNIT_EXPECT_EQ(test, b->nrec, n);
	KUNIT_EXPECT_EQ(test, b->overflow, 0);
	p = adprof_buf_take(b, b->used, &bytes, &taken);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, bytes, b->used);
	KUNIT_EXPECT_EQ(test, taken, n);
	KUNIT_EXPECT_EQ(test, adprof_buf_unread(b), 0);
	for (pos = 0; pos < bytes; pos += adprof_record_len(s)) {
		s = (void *)(p + pos);
		KUNIT_EXPECT_TRUE(test, s->flags & ADPROF_SAMPLE_F_COUNT);
		seen += s->count;
		recs++;
	}
	KUNIT_EXPECT_EQ(test, seen, n);
	/* Fewer records than samples: that is the point. */
	KUNIT_EXPECT_LT(test, recs, n / 4);
	adprof_buf_free(b);
}

/* A count record that does not fit is refused whole, one overflow. */
static void summary_test_reserve_count_full(struct kunit *test)
{
	struct adprof_buf *b = adprof_buf_alloc(ADPROF_BUF_BYTES_MIN, 0,
						GFP_KERNEL);
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, b);
	for (i = 0; i < ADPROF_BUF_SAMPLES_MIN; i++)
		KUNIT_ASSERT_NOT_NULL(test, adprof_buf_reserve_count(b, 32, 5));
	KUNIT_EXPECT_EQ(test, b->nrec, 5 * ADPROF_BUF_SAMPLES_MIN);
	KUNIT_EXPECT_NULL(test, adprof_buf_reserve_count(b, 32, 5));
	KUNIT_EXPECT_EQ(test, b->nrec, 5 * ADPROF_BUF_SAMPLES_MIN);
	KUNIT_EXPECT_EQ(test, b->overflow, 1);
	adprof_buf_free(b);
}

static struct kunit_case summary_test_cases[] = {
	KUNIT_CASE(summary_test_alloc_bounds),
	KUNIT_CASE(summary_test_insert),
	KUNIT_CASE(summary_test_hit),
	KUNIT_CASE(summary_test_distinct),
	KUNIT_CASE(summary_test_full_evicts_least),
	KUNIT_CASE(summary_test_stack_keys),
	KUNIT_CASE(summary_test_write_record),
	KUNIT_CASE(summary_test_write_flat),
	KUNIT_CASE(summary_test_drain_clear),
	KUNIT_CASE(summary_test_exact_totals),
	KUNIT_CASE(summary_test_reserve_count_full),
	{}
};

static struct kunit_suite summary_test_suite = {
	.name = "adprof_summary",
	.exit = summary_test_exit,
	.test_cases = summary_test_cases,
};

kunit_test_suite(summary_test_suite);

MODULE_DESCRIPTION("KUnit tests of adprof's summary tables");
MODULE_LICENSE("GPL");

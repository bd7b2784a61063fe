// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the IOVA bookkeeping of DMA_MAP and DMA_UNMAP
 * (kernel/iova.c): alignment, overflow, the aperture, overlaps, the limit
 * on mappings, and unmaps that take whole mappings or nothing. Expected
 * errnos are written out by hand from Documentation/adprof.rst.
 */
#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "iova.h"

#define G	0x1000ULL			/* the granule: 4 KiB */
#define FIRST	0x0ULL
#define LAST	((1ULL << 39) - 1)		/* a 39-bit aperture */
#define MAXMAPS	4

/* The set of each case: mappings at [0x10000, 0x12000) and [0x20000, 0x21000). */
static struct adprof_iova_set *test_set(struct kunit *test)
{
	static const u64 ranges[][2] = { { 0x10000, 0x2000 }, { 0x20000, 0x1000 } };
	struct adprof_iova_set *s;
	struct adprof_iova_map *m;
	const char *why;
	size_t i;

	s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	adprof_iova_init(s, G, FIRST, LAST, MAXMAPS);
	for (i = 0; i < ARRAY_SIZE(ranges); i++) {
		m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, m);
		m->iova = ranges[i][0];
		m->size = ranges[i][1];
		m->vaddr = 0x7f0000000000ULL + m->iova;
		KUNIT_ASSERT_EQ(test, adprof_iova_check(s, m->vaddr, m->iova,
							m->size, &why), 0);
		adprof_iova_insert(s, m);
	}
	return s;
}

struct check_case {
	const char *desc;
	u64 vaddr, iova, size;
	int err;
};

static const struct check_case check_cases[] = {
	{ "a free aligned page", 0x1000, 0x30000, G, 0 },
	{ "free, 1 GiB", 0x40000000, 0x40000000, 1ULL << 30, 0 },
	{ "just below the first mapping", 0x1000, 0xf000, G, 0 },
	{ "between the two mappings", 0x1000, 0x12000, 0xe000, 0 },
	{ "just above the second mapping", 0x1000, 0x21000, G, 0 },
	{ "the aperture's last page", 0x1000, LAST + 1 - G, G, 0 },
	{ "size 0", 0x1000, 0x30000, 0, -EINVAL },
	{ "vaddr not page-aligned", 0x1800, 0x30000, G, -EINVAL },
	{ "iova not page-aligned", 0x1000, 0x30010, G, -EINVAL },
	{ "size not page-aligned", 0x1000, 0x30000, 0x1100, -EINVAL },
	{ "iova + size overflows", 0x1000, 0xfffffffffffff000ULL, 2 * G, -EINVAL },
	{ "vaddr + size overflows", 0xfffffffffffff000ULL, 0x30000, 2 * G, -EINVAL },
	{ "past the aperture by a page", 0x1000, LAST + 1 - G, 2 * G, -EINVAL },
	{ "wholly past the aperture", 0x1000, LAST + 1, G, -EINVAL },
	{ "the same range as a mapping", 0x1000, 0x10000, 0x2000, -EEXIST },
	{ "inside a mapping", 0x1000, 0x11000, G, -EEXIST },
	{ "across a mapping's start", 0x1000, 0xf000, 2 * G, -EEXIST },
	{ "across a mapping's end", 0x1000, 0x11000, 2 * G, -EEXIST },
	{ "over both mappings", 0x1000, 0x0, 0x100000, -EEXIST },
	{ "ending on a mapping's last page", 0x1000, 0x18000, 0x9000, -EEXIST },
};

static void check_case_desc(const struct check_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(check, check_cases, check_case_desc);

static void dma_test_check(struct kunit *test)
{
	const struct check_case *c = test->param_value;
	struct adprof_iova_set *s = test_set(test);
	const char *why = NULL;

	KUNIT_EXPECT_EQ(test, adprof_iova_check(s, c->vaddr, c->iova, c->size,
						&why), c->err);
	if (c->err)
		KUNIT_EXPECT_NOT_NULL(test, why);
}

static struct adprof_iova_map *test_map(struct kunit *test, u64 iova, u64 size)
{
	struct adprof_iova_map *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, m);
	m->iova = iova;
	m->size = size;
	return m;
}

/* The limit counts mappings, and a removed one frees its place. */
static void dma_test_limit(struct kunit *test)
{
	struct adprof_iova_set *s = test_set(test);
	struct adprof_iova_map *m3 = test_map(test, 0x30000, G);
	const char *why;

	KUNIT_EXPECT_EQ(test, adprof_iova_check(s, 0, 0x30000, G, &why), 0);
	adprof_iova_insert(s, m3);
	adprof_iova_insert(s, test_map(test, 0x40000, G));
	KUNIT_EXPECT_EQ(test, s->nr, 4U);
	KUNIT_EXPECT_EQ(test, adprof_iova_check(s, 0, 0x50000, G, &why), -ENOSPC);
	adprof_iova_remove(s, m3);
	KUNIT_EXPECT_EQ(test, adprof_iova_check(s, 0, 0x50000, G, &why), 0);
	/* An overlap is named before the limit. */
	adprof_iova_insert(s, m3);
	KUNIT_EXPECT_EQ(test, adprof_iova_check(s, 0, 0x30000, G, &why), -EEXIST);
}

static void dma_test_bytes(struct kunit *test)
{
	struct adprof_iova_set *s = test_set(test);
	LIST_HEAD(taken);
	const char *why;

	KUNIT_EXPECT_EQ(test, s->nr, 2U);
	KUNIT_EXPECT_EQ(test, s->bytes, 0x3000ULL);
	KUNIT_ASSERT_EQ(test, adprof_iova_take(s, 0x10000, 0x2000, &taken, &why), 0);
	KUNIT_EXPECT_EQ(test, s->nr, 1U);
	KUNIT_EXPECT_EQ(test, s->bytes, 0x1000ULL);
}

struct take_case {
	const char *desc;
	u64 iova, size;
	int err;
	u32 taken;		/* mappings taken */
	u64 first;		/* iova of the first one taken */
};

static const struct take_case take_cases[] = {
	{ "exactly the first mapping", 0x10000, 0x2000, 0, 1, 0x10000 },
	{ "exactly the second mapping", 0x20000, 0x1000, 0, 1, 0x20000 },
	{ "a range around the first, gaps included", 0x8000, 0x10000, 0, 1, 0x10000 },
	{ "a range holding both", 0x10000, 0x11000, 0, 2, 0x10000 },
	{ "everything from 0", 0x0, 0xfffffffffffff000ULL, 0, 2, 0x10000 },
	{ "the first page of a mapping", 0x10000, G, -ENOENT, 0, 0 },
	{ "the last page of a mapping", 0x11000, G, -ENOENT, 0, 0 },
	{ "a range ending inside the second", 0x10000, 0x10800, -ENOENT, 0, 0 },
	{ "a range starting inside the first", 0x11000, 0x10000, -ENOENT, 0, 0 },
	{ "a gap", 0x12000, 0xe000, -ENOENT, 0, 0 },
	{ "above every mapping", 0x21000, 0x100000, -ENOENT, 0, 0 },
	{ "size 0", 0x10000, 0, -EINVAL, 0, 0 },
	{ "a range that overflows", 0x10000, 0xfffffffffffff000ULL, -EINVAL, 0, 0 },
};

static void take_case_desc(const struct take_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(take, take_cases, take_case_desc);

static void dma_test_take(struct kunit *test)
{
	const struct take_case *c = test->param_value;
	struct adprof_iova_set *s = test_set(test);
	struct adprof_iova_map *m;
	const char *why = NULL;
	LIST_HEAD(taken);
	u32 n = 0;

	KUNIT_EXPECT_EQ(test, adprof_iova_take(s, c->iova, c->size, &taken, &why),
			c->err);
	list_for_each_entry(m, &taken, list) {
		if (!n)
			KUNIT_EXPECT_EQ(test, m->iova, c->first);
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, c->taken);
	/* All or nothing. */
	KUNIT_EXPECT_EQ(test, s->nr, 2U - c->taken);
	if (c->err)
		KUNIT_EXPECT_NOT_NULL(test, why);
}

static void dma_test_find(struct kunit *test)
{
	struct adprof_iova_set *s = test_set(test);
	struct adprof_iova_map *m;

	m = adprof_iova_find(s, 0x11fff);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_EQ(test, m->iova, 0x10000ULL);
	KUNIT_EXPECT_NULL(test, adprof_iova_find(s, 0x12000));
	KUNIT_EXPECT_NULL(test, adprof_iova_find(s, 0xffff));
	KUNIT_EXPECT_NULL(test, adprof_iova_find(s, 0x21000));
	m = adprof_iova_find(s, 0x20000);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_EQ(test, m->size, G);

	/* In iova order, from anywhere: what a dump resumes with. */
	m = adprof_iova_next(s, 0);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_EQ(test, m->iova, 0x10000ULL);
	m = adprof_iova_next(s, 0x10001);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_EQ(test, m->iova, 0x20000ULL);
	KUNIT_EXPECT_NULL(test, adprof_iova_next(s, 0x20001));
}

/* Many mappings, inserted out of order, come back sorted. */
static void dma_test_many(struct kunit *test)
{
	struct adprof_iova_set *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	struct adprof_iova_map *m;
	LIST_HEAD(taken);
	const char *why;
	u64 prev = 0, iova;
	u32 i, n = 0;

	KUNIT_ASSERT_NOT_NULL(test, s);
	adprof_iova_init(s, G, FIRST, LAST, 1000);
	for (i = 0; i < 1000; i++) {
		iova = ((i * 389) % 1000) * 2 * G;	/* a permutation */
		KUNIT_ASSERT_EQ(test, adprof_iova_check(s, 0, iova, G, &why), 0);
		adprof_iova_insert(s, test_map(test, iova, G));
	}
	KUNIT_EXPECT_EQ(test, adprof_iova_check(s, 0, 2001 * G, G, &why), -ENOSPC);
	for (m = adprof_iova_next(s, 0); m; m = adprof_iova_next(s, m->iova + 1)) {
		if (n)
			KUNIT_EXPECT_GT(test, m->iova, prev);
		prev = m->iova;
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, 1000U);
	KUNIT_EXPECT_EQ(test, adprof_iova_take(s, 0, 2000 * G, &taken, &why), 0);
	KUNIT_EXPECT_EQ(test, s->nr, 0U);
	KUNIT_EXPECT_EQ(test, s->bytes, 0ULL);
}

/* A closing socket takes its own mappings, and only those. */
static void dma_test_take_owner(struct kunit *test)
{
	struct adprof_iova_set *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	struct adprof_iova_map *m;
	LIST_HEAD(taken);
	u32 i, n = 0;

	KUNIT_ASSERT_NOT_NULL(test, s);
	adprof_iova_init(s, G, FIRST, LAST, 100);
	for (i = 0; i < 10; i++) {
		m = test_map(test, (10 - i) * G, G);
		m->owner = i % 3 ? 7 : 9;	/* 9 owns i = 0, 3, 6, 9 */
		adprof_iova_insert(s, m);
	}
	adprof_iova_take_owner(s, 9, &taken);
	list_for_each_entry(m, &taken, list) {
		KUNIT_EXPECT_EQ(test, m->owner, 9U);
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, 4U);
	KUNIT_EXPECT_EQ(test, s->nr, 6U);
	KUNIT_EXPECT_EQ(test, s->bytes, 6 * G);
	/* An owner with nothing mapped takes nothing. */
	INIT_LIST_HEAD(&taken);
	adprof_iova_take_owner(s, 1234, &taken);
	KUNIT_EXPECT_TRUE(test, list_empty(&taken));
	KUNIT_EXPECT_EQ(test, s->nr, 6U);
	/* Teardown takes the rest, the top of the iova space included. */
	adprof_iova_insert(s, test_map(test, LAST + 1 - G, G));
	adprof_iova_take_all(s, &taken);
	n = 0;
	list_for_each_entry(m, &taken, list)
		n++;
	KUNIT_EXPECT_EQ(test, n, 7U);
	KUNIT_EXPECT_EQ(test, s->nr, 0U);
	KUNIT_EXPECT_EQ(test, s->bytes, 0ULL);
	KUNIT_EXPECT_NULL(test, adprof_iova_next(s, 0));
}

static struct kunit_case dma_test_cases[] = {
	KUNIT_CASE_PARAM(dma_test_check, check_gen_params),
	KUNIT_CASE(dma_test_limit),
	KUNIT_CASE(dma_test_bytes),
	KUNIT_CASE_PARAM(dma_test_take, take_gen_params),
	KUNIT_CASE(dma_test_find),
	KUNIT_CASE(dma_test_many),
	KUNIT_CASE(dma_test_take_owner),
	{}
};

static struct kunit_suite dma_test_suite = {
	.name = "adprof_dma",
	.test_cases = dma_test_cases,
};

kunit_test_suite(dma_test_suite);

MODULE_DESCRIPTION("KUnit tests of adprof's IOVA bookkeeping");
MODULE_LICENSE("GPL");

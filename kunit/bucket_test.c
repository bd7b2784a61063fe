// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the token bucket that limits a device's IRQ events
 * (kernel/bucket.c): bursts, refill at the rate, whole tokens only, the
 * cap when the rate changes, and no limit at rate 0.
 */
#include <kunit/test.h>
#include <linux/time64.h>

#include "bucket.h"

#define T0	(5 * NSEC_PER_SEC)	/* any start time */

static void bucket_test_burst(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, adprof_bucket_burst(10000), 1000U);
	KUNIT_EXPECT_EQ(test, adprof_bucket_burst(10), 1U);
	/* Below 10 a second the burst is still one event. */
	KUNIT_EXPECT_EQ(test, adprof_bucket_burst(1), 1U);
	KUNIT_EXPECT_EQ(test, adprof_bucket_burst(0), 1U);
}

/* A full bucket gives its burst at once, then nothing at the same time. */
static void bucket_test_empties(struct kunit *test)
{
	struct adprof_bucket b;
	u32 i;

	adprof_bucket_fill(&b, 100, T0);
	for (i = 0; i < 10; i++)
		KUNIT_EXPECT_TRUE(test, adprof_bucket_take(&b, 100, T0));
	KUNIT_EXPECT_FALSE(test, adprof_bucket_take(&b, 100, T0));
	KUNIT_EXPECT_FALSE(test, adprof_bucket_take(&b, 100, T0));
}

/* At 100/s a token comes back every 10 ms, not before. */
static void bucket_test_refill_rate(struct kunit *test)
{
	struct adprof_bucket b;
	u32 i;

	adprof_bucket_fill(&b, 100, T0);
	for (i = 0; i < 10; i++)
		adprof_bucket_take(&b, 100, T0);
	KUNIT_EXPECT_FALSE(test, adprof_bucket_take(&b, 100, T0 + 9999999));
	KUNIT_EXPECT_TRUE(test, adprof_bucket_take(&b, 100, T0 + 10000000));
	KUNIT_EXPECT_FALSE(test, adprof_bucket_take(&b, 100, T0 + 10000000));
	/* 35 ms later: three whole tokens, the half one kept for later. */
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_TRUE(test, adprof_bucket_take(&b, 100, T0 + 45000000));
	KUNIT_EXPECT_FALSE(test, adprof_bucket_take(&b, 100, T0 + 45000000));
	KUNIT_EXPECT_TRUE(test, adprof_bucket_take(&b, 100, T0 + 50000000));
}

/* Idle time never fills the bucket past its burst. */
static void bucket_test_cap(struct kunit *test)
{
	struct adprof_bucket b;
	u32 i, n = 0;

	adprof_bucket_fill(&b, 100, T0);
	for (i = 0; i < 10; i++)
		adprof_bucket_take(&b, 100, T0);
	/* 900 ms would be 90 tokens; the burst is 10. */
	while (adprof_bucket_take(&b, 100, T0 + 900000000) && n < 1000)
		n++;
	KUNIT_EXPECT_EQ(test, n, 10U);
}

/* A second or more refills the bucket whatever the arithmetic. */
static void bucket_test_second_refills(struct kunit *test)
{
	struct adprof_bucket b;
	u32 i, n = 0;

	adprof_bucket_fill(&b, 1, T0);
	KUNIT_EXPECT_TRUE(test, adprof_bucket_take(&b, 1, T0));
	KUNIT_EXPECT_FALSE(test, adprof_bucket_take(&b, 1, T0 + NSEC_PER_SEC - 1));
	KUNIT_EXPECT_TRUE(test, adprof_bucket_take(&b, 1, T0 + NSEC_PER_SEC));
	adprof_bucket_fill(&b, 10000, T0);
	for (i = 0; i < 1000; i++)
		adprof_bucket_take(&b, 10000, T0);
	while (adprof_bucket_take(&b, 10000, T0 + 100 * NSEC_PER_SEC) && n < 5000)
		n++;
	KUNIT_EXPECT_EQ(test, n, 1000U);
}

/* Lowering the rate caps what the bucket holds at once. */
static void bucket_test_rate_lowered(struct kunit *test)
{
	struct adprof_bucket b;
	u32 n = 0;

	adprof_bucket_fill(&b, 10000, T0);
	while (adprof_bucket_take(&b, 10, T0) && n < 5000)
		n++;
	KUNIT_EXPECT_EQ(test, n, 1U);
}

/* Rate 0 is no limit: every take succeeds and the bucket is untouched. */
static void bucket_test_no_limit(struct kunit *test)
{
	struct adprof_bucket b;
	u32 i;

	adprof_bucket_fill(&b, 0, T0);
	for (i = 0; i < 10000; i++)
		KUNIT_ASSERT_TRUE(test, adprof_bucket_take(&b, 0, T0));
	KUNIT_EXPECT_EQ(test, b.tokens, 1U);
	KUNIT_EXPECT_EQ(test, adprof_bucket_period_ns(0), 0ULL);
	KUNIT_EXPECT_EQ(test, adprof_bucket_period_ns(1000), 1000000ULL);
}

static struct kunit_case bucket_test_cases[] = {
	KUNIT_CASE(bucket_test_burst),
	KUNIT_CASE(bucket_test_empties),
	KUNIT_CASE(bucket_test_refill_rate),
	KUNIT_CASE(bucket_test_cap),
	KUNIT_CASE(bucket_test_second_refills),
	KUNIT_CASE(bucket_test_rate_lowered),
	KUNIT_CASE(bucket_test_no_limit),
	{}
};

static struct kunit_suite bucket_test_suite = {
	.name = "adprof_bucket",
	.test_cases = bucket_test_cases,
};

kunit_test_suite(bucket_test_suite);

MODULE_DESCRIPTION("KUnit tests of adprof's IRQ event token bucket");
MODULE_LICENSE("GPL");

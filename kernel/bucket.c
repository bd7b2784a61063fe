// SPDX-License-Identifier: GPL-2.0
/*
 * The token bucket that limits a device's IRQ events (bucket.h). Pure
 * logic: KUnit tests it in kunit/bucket_test.c.
 */
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/time64.h>

#include "bucket.h"

/**
 * adprof_bucket_burst() - events a full bucket holds
 * @rate: events per second, 0 for no limit
 *
 * Return: a tenth of @rate, at least 1.
 */
u32 adprof_bucket_burst(u32 rate)
{
	return max(rate / 10, 1U);
}

/**
 * adprof_bucket_fill() - fill the bucket to its burst
 * @b: the bucket
 * @rate: events per second
 * @now: the time
 */
void adprof_bucket_fill(struct adprof_bucket *b, u32 rate, u64 now)
{
	b->tokens = adprof_bucket_burst(rate);
	b->stamp = now;
}

/**
 * adprof_bucket_take() - take one token
 * @b: the bucket
 * @rate: events per second, 0 for no limit; may change between calls
 * @now: the time, not before the previous call's
 *
 * Tokens come back at @rate, whole ones only: the time of a part of a
 * token is kept for the next call. A lower @rate caps what the bucket
 * holds at once.
 *
 * Return: true if a token was taken (or there is no limit).
 */
bool adprof_bucket_take(struct adprof_bucket *b, u32 rate, u64 now)
{
	u32 burst = adprof_bucket_burst(rate);
	u64 elapsed, add;

	if (!rate)
		return true;

	elapsed = now - b->stamp;
	if (elapsed >= NSEC_PER_SEC) {
		/* A second refills any bucket: burst <= rate. */
		b->tokens = burst;
		b->stamp = now;
	} else {
		add = div_u64(elapsed * rate, NSEC_PER_SEC);
		if (add) {
			b->tokens = min_t(u64, b->tokens + add, burst);
			b->stamp += div_u64(add * NSEC_PER_SEC, rate);
		}
	}
	b->tokens = min(b->tokens, burst);
	if (!b->tokens)
		return false;
	b->tokens--;
	return true;
}

/**
 * adprof_bucket_period_ns() - time until the next token at most
 * @rate: events per second, 0 for no limit
 *
 * Return: ns between two tokens, 0 without a limit.
 */
u64 adprof_bucket_period_ns(u32 rate)
{
	return rate ? div_u64(NSEC_PER_SEC, rate) : 0;
}

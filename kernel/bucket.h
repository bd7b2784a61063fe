/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A token bucket for IRQ events: at most @rate events a second, in bursts
 * of a tenth of that. Pure logic, no locking of its own: the caller
 * serializes (intrs.c holds the device's irq_lock). Times are ns on any
 * monotonic clock.
 */
#ifndef _ADPROF_BUCKET_H
#define _ADPROF_BUCKET_H

#include <linux/types.h>

/**
 * struct adprof_bucket - a token bucket
 * @stamp: time the bucket was last refilled up to
 * @tokens: events that may be sent now
 */
struct adprof_bucket {
	u64 stamp;
	u32 tokens;
};

u32 adprof_bucket_burst(u32 rate);
void adprof_bucket_fill(struct adprof_bucket *b, u32 rate, u64 now);
bool adprof_bucket_take(struct adprof_bucket *b, u32 rate, u64 now);
u64 adprof_bucket_period_ns(u32 rate);

#endif /* _ADPROF_BUCKET_H */

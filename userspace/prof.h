/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the profiler commands share: PROF_START's options (start and
 * record take the same ones) and the request built from them.
 */
#ifndef ADPROF_PROF_H
#define ADPROF_PROF_H

#include <stddef.h>
#include <stdint.h>
#include <getopt.h>
#include <linux/adprof.h>
#include <netlink/msg.h>

#include "cmd.h"

struct start_args {
	const char *backend;		/* NULL: the kernel's default */
	uint32_t freq;			/* 0 for this and the next two: default */
	uint32_t buf_samples;
	uint32_t max_bufs;
	uint32_t flags;			/* ADPROF_PROF_F_* */
	uint32_t depth;			/* 0: the kernel's default */
	uint32_t sum_entries;		/* 0: the kernel's default */
	size_t cpumask_len;		/* 0: all CPUs */
	uint8_t cpumask[ADPROF_CPUMASK_MAX_BYTES];
};

/* Long options of PROF_START; values of the first free one on are free. */
enum {
	OPT_BUF_SAMPLES = 256,
	OPT_MAX_BUFS,
	OPT_DETACH,
	OPT_DEPTH,
	OPT_SUMMARY,
	OPT_SUMMARY_ENTRIES,
	OPT_IRQ,		/* record --irq */
	OPT_START_END,
};

#define START_SHORT_OPTS	"b:F:C:g"
#define START_LONG_OPTS \
	{ "backend", required_argument, NULL, 'b' }, \
	{ "freq", required_argument, NULL, 'F' }, \
	{ "cpus", required_argument, NULL, 'C' }, \
	{ "buf-samples", required_argument, NULL, OPT_BUF_SAMPLES }, \
	{ "max-bufs", required_argument, NULL, OPT_MAX_BUFS }, \
	{ "call-graph", no_argument, NULL, 'g' }, \
	{ "depth", required_argument, NULL, OPT_DEPTH }, \
	{ "summary", no_argument, NULL, OPT_SUMMARY }, \
	{ "summary-entries", required_argument, NULL, OPT_SUMMARY_ENTRIES }

int start_opt(struct adp_ctx *ctx, int c, struct start_args *a);
struct nl_msg *start_msg(const struct start_args *a);

#endif /* ADPROF_PROF_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * adprof sample sources, as NetBSD tprof's backends: each one knows how to
 * take a periodic interrupt on a CPU and hands every sample to
 * adprof_prof_sample(), which owns the record format and the buffers.
 */
#ifndef _ADPROF_BACKEND_H
#define _ADPROF_BACKEND_H

#include <linux/types.h>

struct adprof_backend;

/**
 * struct adprof_backend_ops - what a backend does (tprof_backend_ops)
 * @probe: tell whether the backend can run on this machine; may sleep.
 *	Returns 0, or -ENOENT/-EOPNOTSUPP when the hardware is missing.
 * @start_cpu: start sampling on one online CPU, @freq times a second,
 *	calling adprof_prof_sample(@cookie, ...) from the sampling interrupt
 *	on that CPU only, with the sample's time when the interrupt brings
 *	it; may sleep. Returns a handle or an ERR_PTR().
 * @stop_cpu: stop and free a handle; may sleep. Once it returns, no
 *	call to adprof_prof_sample() for that handle runs or will run.
 */
struct adprof_backend_ops {
	int (*probe)(const struct adprof_backend *be);
	void *(*start_cpu)(const struct adprof_backend *be, unsigned int cpu,
			   u32 freq, void *cookie);
	void (*stop_cpu)(void *handle);
};

/**
 * struct adprof_backend - a named sample source
 * @name: what PROF_START's BACKEND attribute names
 * @ops: its operations
 * @priv: the backend's own description (e.g. the perf event type)
 */
struct adprof_backend {
	const char *name;
	const struct adprof_backend_ops *ops;
	const void *priv;
};

/* backend_perf.c */
extern const struct adprof_backend adprof_backend_cpu_clock;
extern const struct adprof_backend adprof_backend_cycles;

struct pt_regs;

/*
 * profile.c: the sampler. Be careful: may be called in NMI context.
 * @time_ns is the sample's CLOCK_MONOTONIC time when the backend knows it
 * without a clock read, else 0: the sampler reads the clock if it needs it.
 */
void adprof_prof_sample(void *cookie, struct pt_regs *regs, u64 time_ns);

#endif /* _ADPROF_BACKEND_H */

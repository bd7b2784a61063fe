// SPDX-License-Identifier: GPL-2.0
/*
 * adprof backends on perf: one pinned kernel counter per sampled CPU,
 * whose overflow handler is the sampler.
 *
 *  cpu-clock  PERF_COUNT_SW_CPU_CLOCK: an hrtimer per CPU, the handler runs
 *             in hard IRQ context; works in any VM.
 *  cycles     PERF_COUNT_HW_CPU_CYCLES: the PMU, the handler runs in NMI on
 *             x86; not available without a PMU (e.g. under QEMU TCG).
 *
 * Both ask perf for FREQ samples a second (attr.freq): perf turns that into
 * a fixed period for cpu-clock and adjusts the period of cycles on the fly.
 *
 * A cpu-clock sample's time is its hrtimer's expiry: perf's timer function
 * calls the overflow handler before it forwards the timer, so the expiry
 * is the CLOCK_MONOTONIC time this sample was due, which the hrtimer core
 * read the clock to run (behind the interruption by the interrupt latency
 * only). The handler need not read the clocksource a second time: on many
 * guests that is the HPET, an emulated device read. A cycles sample reads
 * the NMI-safe fast clock (the sampler does, when it needs the time).
 */
#include <linux/err.h>
#include <linux/hrtimer.h>
#include <linux/perf_event.h>
#include <linux/ptrace.h>
#include <linux/cpumask.h>
#include <linux/cpu.h>

#include "backend.h"

/**
 * struct adprof_perf_event - the perf event of a backend
 * @type: perf_event_attr.type
 * @config: perf_event_attr.config
 * @handler: its overflow handler
 */
struct adprof_perf_event {
	u32 type;
	u64 config;
	perf_overflow_handler_t handler;
};

/* Be careful: NMI context for hardware events. */
static void adprof_perf_overflow(struct perf_event *event,
				 struct perf_sample_data *data,
				 struct pt_regs *regs)
{
	adprof_prof_sample(event->overflow_handler_context, regs, 0);
}

/* cpu-clock: hard IRQ, inside perf's hrtimer function (see above). */
static void adprof_perf_overflow_hrtimer(struct perf_event *event,
					 struct perf_sample_data *data,
					 struct pt_regs *regs)
{
	adprof_prof_sample(event->overflow_handler_context, regs,
			   hrtimer_get_expires_ns(&event->hw.hrtimer));
}

static struct perf_event *adprof_perf_create(const struct adprof_backend *be,
					     unsigned int cpu, u32 freq,
					     bool disabled, void *cookie)
{
	const struct adprof_perf_event *pe = be->priv;
	struct perf_event_attr attr = {
		.type = pe->type,
		.size = sizeof(attr),
		.config = pe->config,
		.sample_freq = freq,
		.freq = 1,
		.pinned = 1,
		.disabled = disabled,
	};

	return perf_event_create_kernel_counter(&attr, cpu, NULL, pe->handler,
						cookie);
}

/* A disabled counter on one online CPU: perf says whether the PMU exists. */
static int adprof_perf_probe(const struct adprof_backend *be)
{
	struct perf_event *ev;
	unsigned int cpu;

	cpus_read_lock();
	cpu = cpumask_first(cpu_online_mask);
	ev = adprof_perf_create(be, cpu, 1000, true, NULL);
	cpus_read_unlock();
	if (IS_ERR(ev))
		return PTR_ERR(ev);
	perf_event_release_kernel(ev);
	return 0;
}

static void *adprof_perf_start_cpu(const struct adprof_backend *be,
				   unsigned int cpu, u32 freq, void *cookie)
{
	return adprof_perf_create(be, cpu, freq, false, cookie);
}

/*
 * Releasing removes the event from its CPU with a call on that CPU, which
 * cancels the hrtimer or stops the counter: no handler runs afterwards.
 */
static void adprof_perf_stop_cpu(void *handle)
{
	perf_event_release_kernel(handle);
}

static const struct adprof_backend_ops adprof_perf_ops = {
	.probe = adprof_perf_probe,
	.start_cpu = adprof_perf_start_cpu,
	.stop_cpu = adprof_perf_stop_cpu,
};

static const struct adprof_perf_event adprof_perf_cpu_clock = {
	.type = PERF_TYPE_SOFTWARE,
	.config = PERF_COUNT_SW_CPU_CLOCK,
	.handler = adprof_perf_overflow_hrtimer,
};

static const struct adprof_perf_event adprof_perf_cycles = {
	.type = PERF_TYPE_HARDWARE,
	.config = PERF_COUNT_HW_CPU_CYCLES,
	.handler = adprof_perf_overflow,
};

const struct adprof_backend adprof_backend_cpu_clock = {
	.name = "cpu-clock",
	.ops = &adprof_perf_ops,
	.priv = &adprof_perf_cpu_clock,
};

const struct adprof_backend adprof_backend_cycles = {
	.name = "cycles",
	.ops = &adprof_perf_ops,
	.priv = &adprof_perf_cycles,
};

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the two consumers of bench/dma share, so that they differ only in
 * the interface they measure (VFIO or adprof): QEMU's edu registers, the
 * clock, CPU and IRQ placement, the per-run summaries they print, the
 * 64 MiB buffer and the kernel's own counts of pinned pages.
 */
#ifndef ADPROF_BENCH_COMMON_H
#define ADPROF_BENCH_COMMON_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

/* edu's interrupt registers in BAR0 (tests/tools/edu.c) */
#define EDU_STATUS	0x24
#define EDU_RAISE	0x60
#define EDU_ACK		0x64

#define MIB		(1024UL * 1024)
#define HUGE_2M		(2 * MIB)

/* Options of the "irq" mode, parsed by irq_opts(). */
struct irq_opts {
	unsigned long n;	/* interrupts timed */
	unsigned long warmup;	/* interrupts before them, not timed */
	int cpu;		/* consumer's CPU, -1: wherever */
	int irq_cpu;		/* the vector's CPU, -1: as it is */
	int raise_cpu;		/* raiser thread's CPU, -1: the consumer raises */
	unsigned int timeout_s;	/* the whole run, SIGALRM kills it */
};

/*
 * The raiser: a thread that writes edu's raise register once the consumer
 * is asleep in its wait (its /proc state is S), so that the interrupt
 * wakes it, which a consumer raising its own interrupt under TCG never
 * sees: the MSI is taken before it reaches its wait.
 */
struct raiser {
	volatile void *bar;
	int cpu;
	int tid;		/* the consumer's thread */
	unsigned long go;	/* consumer -> raiser: raise number go */
	unsigned long raised;	/* raiser -> consumer: t0 of number raised */
	uint64_t t0;
	unsigned long skip;	/* raises not counted in asleep (warmup) */
	unsigned long asleep;	/* raises that found the consumer asleep */
	pthread_t thread;
};

void __attribute__((noreturn, format(printf, 1, 2))) die(const char *fmt, ...);

uint64_t now_ns(void);

/* Parse "N [--warmup W] [--cpu C] [--irq-cpu C] [--raise-cpu C] [--timeout S]". */
void irq_opts(int argc, char **argv, struct irq_opts *o);

/* Pin the caller to @cpu (nothing for -1). */
void pin_cpu(int cpu);

/*
 * The Linux IRQ whose /proc/interrupts line ends in @name; with @cpu >= 0
 * its affinity is set to that CPU (the IRQ thread, if any, follows).
 * Return: the IRQ number.
 */
int irq_place(const char *name, int cpu);

static inline void edu_wr(volatile void *bar, unsigned int off, uint32_t v)
{
	*(volatile uint32_t *)((volatile char *)bar + off) = v;
}

static inline uint32_t edu_rd(volatile void *bar, unsigned int off)
{
	return *(volatile uint32_t *)((volatile char *)bar + off);
}

/*
 * Start the raiser thread on @cpu for the calling (consumer) thread; the
 * first @skip raises are not counted in ->asleep.
 */
void raiser_start(struct raiser *r, volatile void *bar, int cpu,
		  unsigned long skip);

/* Ask for the next interrupt; the caller then waits for it. */
void raiser_go(struct raiser *r);

/* After the wait: the time just before the BAR write that raised it. */
uint64_t raiser_t0(struct raiser *r);

void raiser_stop(struct raiser *r);

/*
 * One interrupt: raise it (or have the raiser raise it) and return t0,
 * just before the BAR write; the caller then waits for its delivery.
 */
uint64_t raise_irq(struct raiser *r, volatile void *bar);

/* Print " NAME_p50=.. NAME_p90=.. NAME_p99=.. NAME_max=.." (ns); sorts @v. */
void print_pct(const char *name, uint64_t *v, size_t n);

/*
 * @size bytes of anonymous memory, 2 MiB-aligned, populated (MAP_POPULATE):
 * transparent huge pages where the kernel has them.
 */
void *dma_buffer(size_t size);

/* A field of /proc/vmstat, after folding the per-CPU deltas. */
long long vmstat(const char *field);

/* A "Field: N kB" line of /proc/self/@file (status, smaps_rollup). */
long long self_kb(const char *file, const char *field);

#endif /* ADPROF_BENCH_COMMON_H */

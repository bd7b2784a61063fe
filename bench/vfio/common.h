/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the two consumers of bench/dma share, so that they differ only in
 * the interface they measure (VFIO or adprof): QEMU's edu registers, the
 * clock, CPU and IRQ placement, the per-run summaries they print, the
 * 64 MiB buffer and the kernel's own counts of pinned pages.
 */
#ifndef ADPROF_BENCH_COMMON_H
#define ADPROF_BENCH_COMMON_H

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
	unsigned int timeout_s;	/* the whole run, SIGALRM kills it */
};

void __attribute__((noreturn, format(printf, 1, 2))) die(const char *fmt, ...);

uint64_t now_ns(void);

/* Parse "N [--warmup W] [--cpu C] [--irq-cpu C] [--timeout S]". */
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

// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers of both bench/dma consumers (common.h says what and why).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

void die(const char *fmt, ...)
{
	va_list ap;
	int err = errno;

	fprintf(stderr, "%s: ", program_invocation_short_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, err ? " (%s)\n" : "\n", strerror(err));
	exit(1);
}

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

void irq_opts(int argc, char **argv, struct irq_opts *o)
{
	int i;

	*o = (struct irq_opts){ .warmup = 20, .cpu = -1, .irq_cpu = -1,
				.raise_cpu = -1, .timeout_s = 120 };
	if (argc < 1)
		die("irq: N missing");
	o->n = strtoul(argv[0], NULL, 0);
	if (!o->n)
		die("irq: N must be at least 1");
	for (i = 1; i + 1 < argc; i += 2) {
		unsigned long v = strtoul(argv[i + 1], NULL, 0);

		if (!strcmp(argv[i], "--warmup"))
			o->warmup = v;
		else if (!strcmp(argv[i], "--cpu"))
			o->cpu = (int)v;
		else if (!strcmp(argv[i], "--irq-cpu"))
			o->irq_cpu = (int)v;
		else if (!strcmp(argv[i], "--raise-cpu"))
			o->raise_cpu = (int)v;
		else if (!strcmp(argv[i], "--timeout"))
			o->timeout_s = (unsigned int)v;
		else
			break;
	}
	errno = 0;
	if (i != argc)
		die("irq: bad option %s", argv[i]);
}

void pin_cpu(int cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("cannot pin to CPU %d", cpu);
}

int irq_place(const char *name, int cpu)
{
	char line[4096], path[64], *last, *tok, *save;
	FILE *f = fopen("/proc/interrupts", "r");
	int irq = -1, fd;

	if (!f)
		die("/proc/interrupts");
	while (irq < 0 && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		last = NULL;
		for (tok = strtok_r(line, " ", &save); tok;
		     tok = strtok_r(NULL, " ", &save))
			last = tok;
		if (last && !strcmp(last, name))
			irq = atoi(line);
	}
	fclose(f);
	errno = 0;
	if (irq <= 0)
		die("no /proc/interrupts line %s", name);
	if (cpu >= 0) {
		snprintf(path, sizeof(path), "/proc/irq/%d/smp_affinity_list", irq);
		fd = open(path, O_WRONLY);
		snprintf(line, sizeof(line), "%d\n", cpu);
		if (fd < 0 || write(fd, line, strlen(line)) < 0)
			die("cannot move IRQ %d to CPU %d", irq, cpu);
		close(fd);
	}
	return irq;
}

/* Is thread @tid of this process asleep (state S)? */
static int asleep(int tid)
{
	char path[64], buf[256], *p;
	ssize_t len;
	int fd;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		die("%s", path);
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return 0;
	buf[len] = 0;
	p = strrchr(buf, ')');	/* the name may hold anything */
	return p && p[1] == ' ' && p[2] == 'S';
}

static void *raiser_fn(void *arg)
{
	struct raiser *r = arg;
	unsigned long want, done = 0, tries;

	pin_cpu(r->cpu);
	/* Not the consumer's name: traces tell the two apart. */
	pthread_setname_np(pthread_self(), "raiser");
	for (;;) {
		while ((want = __atomic_load_n(&r->go, __ATOMIC_ACQUIRE)) == done)
			;
		if (want == ULONG_MAX)
			return NULL;
		/* Up to a second for the consumer to be asleep in its wait. */
		for (tries = 0; !asleep(r->tid) && tries < 10000; tries++)
			usleep(100);
		r->asleep += want > r->skip && tries < 10000;
		r->t0 = now_ns();
		__atomic_store_n(&r->raised, want, __ATOMIC_RELEASE);
		edu_wr(r->bar, EDU_RAISE, 1);
		done = want;
	}
}

void raiser_start(struct raiser *r, volatile void *bar, int cpu,
		  unsigned long skip)
{
	*r = (struct raiser){ .bar = bar, .cpu = cpu, .skip = skip,
			      .tid = (int)syscall(SYS_gettid) };
	errno = pthread_create(&r->thread, NULL, raiser_fn, r);
	if (errno)
		die("pthread_create");
}

void raiser_go(struct raiser *r)
{
	__atomic_store_n(&r->go, r->go + 1, __ATOMIC_RELEASE);
}

uint64_t raiser_t0(struct raiser *r)
{
	while (__atomic_load_n(&r->raised, __ATOMIC_ACQUIRE) != r->go)
		;
	return r->t0;
}

void raiser_stop(struct raiser *r)
{
	__atomic_store_n(&r->go, ULONG_MAX, __ATOMIC_RELEASE);
	pthread_join(r->thread, NULL);
}

uint64_t raise_irq(struct raiser *r, volatile void *bar)
{
	uint64_t t0;

	if (r) {
		raiser_go(r);
		return 0;
	}
	t0 = now_ns();
	edu_wr(bar, EDU_RAISE, 1);
	return t0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Nearest rank: the smallest value with at least p% of them at or below. */
static uint64_t pct(const uint64_t *v, size_t n, unsigned int p)
{
	size_t rank = (n * p + 99) / 100;

	return v[rank ? rank - 1 : 0];
}

void print_pct(const char *name, uint64_t *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_u64);
	printf(" %s_p50=%" PRIu64 " %s_p90=%" PRIu64 " %s_p99=%" PRIu64
	       " %s_max=%" PRIu64, name, pct(v, n, 50), name, pct(v, n, 90),
	       name, pct(v, n, 99), name, v[n - 1]);
}

void *dma_buffer(size_t size)
{
	char *raw, *p;

	/* Reserve a huge page more, then map at its first 2 MiB boundary. */
	raw = mmap(NULL, size + HUGE_2M, PROT_NONE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (raw == MAP_FAILED)
		die("mmap");
	p = (char *)(((uintptr_t)raw + HUGE_2M - 1) & ~(HUGE_2M - 1));
	if (mmap(p, size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_POPULATE,
		 -1, 0) == MAP_FAILED)
		die("mmap %zu bytes", size);
	return p;
}

long long vmstat(const char *field)
{
	char name[64];
	long long v, found = -1;
	FILE *f;
	int fd = open("/proc/sys/vm/stat_refresh", O_WRONLY);

	if (fd >= 0) {
		/* Folds the per-CPU deltas; EINVAL only reports a negative one. */
		if (write(fd, "1", 1) < 0 && errno != EINVAL)
			die("stat_refresh");
		close(fd);
	}
	f = fopen("/proc/vmstat", "r");
	if (!f)
		die("/proc/vmstat");
	while (fscanf(f, "%63s %lld", name, &v) == 2)
		if (!strcmp(name, field)) {
			found = v;
			break;
		}
	fclose(f);
	return found;
}

long long self_kb(const char *file, const char *field)
{
	char path[64], line[256];
	size_t len = strlen(field);
	long long kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/%s", file);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, field, len) && line[len] == ':') {
			kb = strtoll(line + len + 1, NULL, 10);
			break;
		}
	if (f)
		fclose(f);
	return kb;
}

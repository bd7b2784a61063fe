// SPDX-License-Identifier: GPL-2.0
/*
 * recgen: write an adprof recording with known contents, without the
 * module, for the host's tests of report and its converters and for the
 * file fuzzer's seeds (tests/fuzz/recfile-fuzz.sh).
 *
 *   recgen [-g] [-i] [-s] [-k KALLSYMS] FILE
 *
 * The samples are of this very program (its maps are recorded, so report
 * names its functions from its ELF symbols), 1 kHz on 2 CPUs, over 2 s:
 *
 *   600  main;gen_a;gen_b;gen_leaf      (without -g: leaf gen_leaf)
 *   300  main;gen_a;gen_b
 *   100  main;gen_a
 *    50  main;gen_a; then in the kernel: entry_SYSCALL_64;ksys_read;vfs_read
 *        (kernel addresses from KALLSYMS, default /proc/kallsyms; left out
 *        where addresses are hidden)
 *
 * -s writes them as a summary session does: count records of 10 samples
 * each (ADPROF_SAMPLE_F_COUNT), the same totals in a tenth of the records.
 * -i adds "irq" group events: device 1, 10 interrupts every 100 ms (one
 * event of count 2 among them), latency 20 us; device 2, one DMA fault.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../recfile.h"

#define BASE_NS		1000000000000ULL
#define PERIOD_NS	1000000ULL

static FILE *out;
static bool summary;

__attribute__((noinline)) int gen_leaf(int x)
{
	int i;

	for (i = 0; i < x; i++)
		__asm__ volatile("" : "+r"(x));
	return x + 1;
}

__attribute__((noinline)) int gen_b(int x)
{
	int i;

	for (i = 0; i < x; i++)
		x = gen_leaf(x) - 1;
	__asm__ volatile("" : "+r"(x));
	return x + 2;
}

__attribute__((noinline)) int gen_a(int x)
{
	int i;

	for (i = 0; i < x; i++)
		x = gen_b(x) - 2;
	__asm__ volatile("" : "+r"(x));
	return x + 3;
}

static void chunk(uint32_t type, const void *a, size_t alen, const void *b,
		  size_t blen)
{
	static const char pad[8];
	struct adp_chunk c = { .type = type, .len = alen + blen };

	fwrite(&c, sizeof(c), 1, out);
	fwrite(a, alen, 1, out);
	if (blen)
		fwrite(b, blen, 1, out);
	fwrite(pad, -(size_t)c.len & 7, 1, out);
}

static uint64_t ksym(const char *path, const char *name)
{
	char line[512], n[256], t;
	unsigned long long a;
	uint64_t found = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx %c %255s", &a, &t, n) == 3 &&
		    !strcmp(n, name) && (t == 't' || t == 'T')) {
			found = a;
			break;
		}
	fclose(f);
	return found;
}

/* A batch being built: records appended to buf. */
static char batchbuf[1 << 20];
static size_t batchlen;

static void rec(const void *p, size_t len)
{
	memcpy(batchbuf + batchlen, p, len);
	batchlen += len;
}

static void sample(uint32_t cpu, uint64_t t, uint64_t pc, bool kernel,
		   bool stacks, const uint64_t *kst, uint16_t nk,
		   const uint64_t *ust, uint16_t nu)
{
	struct adprof_sample s = {
		.pid = getpid(), .tid = getpid() + cpu, .cpu = cpu,
		.flags = (kernel ? ADPROF_SAMPLE_F_KERNEL : 0) |
			 (stacks ? ADPROF_SAMPLE_F_STACK : 0),
	};
	struct adprof_stack st = { .nr_kernel = nk, .nr_user = nu };

	s.time_ns = t;
	if (summary) {
		s.flags |= ADPROF_SAMPLE_F_COUNT;
		s.count = 10;
		s.tid = 0;
	}
	s.pc = pc;
	rec(&s, sizeof(s));
	if (!stacks)
		return;
	rec(&st, sizeof(st));
	rec(kst, nk * sizeof(*kst));
	rec(ust, nu * sizeof(*ust));
}

static void flush(uint32_t cpu, uint32_t *seq)
{
	struct adp_batch b = { .cpu = cpu, .seq = (*seq)++ };

	chunk(ADP_CHUNK_BATCH, &b, sizeof(b), batchbuf, batchlen);
	batchlen = 0;
}

int main(int argc, char **argv)
{
	const char *kallsyms = "/proc/kallsyms";
	struct adp_file_header h = { .version = ADP_FILE_VERSION };
	struct adp_end end = {};
	struct adp_maps m = { .pid = getpid(), .time_ns = BASE_NS };
	bool stacks = false, irq = false;
	uint64_t main_ret, a_ret, b_ret, kentry, kksys, kvfs, t;
	uint32_t seq[2] = { 0, 0 }, cpu = 0;
	char maps[65536];
	size_t mlen;
	FILE *mf;
	int c, i;

	while ((c = getopt(argc, argv, "gisk:")) != -1) {
		switch (c) {
		case 'g':
			stacks = true;
			break;
		case 'i':
			irq = true;
			break;
		case 's':
			summary = true;
			break;
		case 'k':
			kallsyms = optarg;
			break;
		default:
			fprintf(stderr, "usage: recgen [-g] [-i] [-s] [-k KALLSYMS] FILE\n");
			return 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "usage: recgen [-g] [-i] [-s] [-k KALLSYMS] FILE\n");
		return 2;
	}
	out = fopen(argv[optind], "w");
	mf = fopen("/proc/self/maps", "r");
	if (!out || !mf) {
		perror("recgen");
		return 1;
	}
	mlen = fread(maps, 1, sizeof(maps), mf);
	fclose(mf);

	/* Return addresses inside the callers; +16 is past their prologue. */
	main_ret = (uintptr_t)main + 16;
	a_ret = (uintptr_t)gen_a + 16;
	b_ret = (uintptr_t)gen_b + 16;
	kentry = ksym(kallsyms, "entry_SYSCALL_64");
	kksys = ksym(kallsyms, "ksys_read");
	kvfs = ksym(kallsyms, "vfs_read");

	memcpy(h.magic, ADP_FILE_MAGIC, sizeof(h.magic));
	h.header_size = sizeof(h);
	h.sample_size = sizeof(struct adprof_sample);
	h.freq = 1000;
	h.depth = stacks ? ADPROF_STACK_DEPTH_DEFAULT : 0;
	h.flags = irq ? ADP_FILE_F_IRQ : 0;
	h.start_ns = BASE_NS;
	h.end_ns = BASE_NS + 2000 * PERIOD_NS;
	fwrite(&h, sizeof(h), 1, out);
	chunk(ADP_CHUNK_MAPS, &m, sizeof(m), maps, mlen);

	/* 1050 samples over 2 CPUs, spread over the 2 s, one batch per 100. */
	for (i = 0; i < 1050; i++) {
		uint64_t u3[3] = { b_ret, a_ret, main_ret };
		uint64_t u2[2] = { a_ret, main_ret };
		uint64_t k3[3] = { (uintptr_t)0, 0, 0 };

		/* A summary's record of 10 samples stands for i .. i + 9. */
		if (summary && i % 10)
			continue;
		cpu = i & 1;
		t = BASE_NS + (uint64_t)i * 1900 * PERIOD_NS / 1050 + PERIOD_NS;
		if (batchlen == 0) {
			struct adprof_sample cr = { .pid = getpid(), .tid = getpid(),
						    .cpu = cpu,
						    .flags = ADPROF_SAMPLE_F_COMM };

			strncpy(cr.comm, "recgen", sizeof(cr.comm));
			rec(&cr, sizeof(cr));
		}
		if (i < 600) {
			sample(cpu, t, (uintptr_t)gen_leaf + 8, false, stacks,
			       NULL, 0, u3, 3);
		} else if (i < 900) {
			sample(cpu, t, (uintptr_t)gen_b + 24, false, stacks,
			       NULL, 0, u2, 2);
		} else if (i < 1000) {
			sample(cpu, t, (uintptr_t)gen_a + 24, false, stacks,
			       NULL, 0, u2 + 1, 1);
		} else if (kvfs && kksys && kentry) {
			uint64_t uk[3] = { a_ret, a_ret, main_ret };

			k3[0] = kksys + 16;
			k3[1] = kentry + 16;
			sample(cpu, t, kvfs + 8, true, stacks, k3, 2, uk + 1, 2);
		} else {
			continue;
		}
		end.samples += summary ? 10 : 1;
		if (batchlen > 100 * 64) {
			flush(cpu, &seq[cpu]);
			end.msgs++;
		}
	}
	if (batchlen) {
		flush(cpu, &seq[cpu]);
		end.msgs++;
	}
	for (i = 0; irq && i < 20; i++) {
		struct adp_irq e = {
			.dev_id = 1, .kind = ADP_IRQ_INTERRUPT, .guest_irq = 42,
			.count = i == 5 ? 2 : 1,
			.time_ns = BASE_NS + (uint64_t)(i / 10 * 1000 + i % 10 * 10 + 50) *
					     PERIOD_NS,
		};

		e.rx_ns = e.time_ns + 20000;
		chunk(ADP_CHUNK_IRQ, &e, sizeof(e), NULL, 0);
	}
	if (irq) {
		struct adp_irq e = {
			.dev_id = 2, .kind = ADP_IRQ_DMA_FAULT, .count = 1,
			.dma_flags = ADPROF_DMA_F_WRITE, .iova = 0x3000,
			.time_ns = BASE_NS + 1500 * PERIOD_NS,
		};

		e.rx_ns = e.time_ns + 50000;
		chunk(ADP_CHUNK_IRQ, &e, sizeof(e), NULL, 0);
	}
	chunk(ADP_CHUNK_END, &end, sizeof(end), NULL, 0);
	if (fclose(out)) {
		perror("recgen");
		return 1;
	}
	/* What a test compares with: the user samples are always there. */
	printf("samples %" PRIu64 " kernel %d\n", end.samples, kvfs && kksys && kentry);
	return 0;
}

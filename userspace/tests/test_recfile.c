// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the recording reader (recfile.c) and of the call graph
 * counts behind report's children, callers and callees (callgraph.c);
 * TAP on stdout. Files are built in memory, then cut and corrupted.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../callgraph.h"
#include "../recfile.h"
#include "tap.h"

static uint64_t file[4096];	/* aligned as report's buffer */
static size_t flen;

static void put(const void *p, size_t len)
{
	memcpy((char *)file + flen, p, len);
	flen += len;
}

static void put_chunk(uint32_t type, const void *p, size_t len)
{
	struct adp_chunk c = { .type = type, .len = len };
	static const char pad[8];

	put(&c, sizeof(c));
	put(p, len);
	put(pad, -len & 7);
}

/* Header, a batch of a comm and a 2-frame stack sample, maps, irq, end. */
static void good_file(void)
{
	struct adp_file_header h = {
		.version = ADP_FILE_VERSION, .header_size = sizeof(h),
		.sample_size = sizeof(struct adprof_sample), .depth = 127,
	};
	struct {
		struct adp_batch b;
		struct adprof_sample comm, s;
		struct adprof_stack st;
		uint64_t pc[2];
	} b = {
		.b = { .cpu = 1 },
		.comm = { .pid = 5, .flags = ADPROF_SAMPLE_F_COMM },
		.s = { .pid = 5, .cpu = 1, .flags = ADPROF_SAMPLE_F_STACK },
		.st = { .nr_user = 2 },
		.pc = { 0x1000, 0x2000 },
	};
	struct { struct adp_maps m; char text[5]; } m = { { .pid = 5 }, "abcde" };
	struct adp_irq irq = { .dev_id = 1, .count = 1 };
	struct adp_end end = { .samples = 1 };

	memcpy(h.magic, ADP_FILE_MAGIC, 8);
	flen = 0;
	put(&h, sizeof(h));
	put_chunk(ADP_CHUNK_BATCH, &b, sizeof(b));
	put_chunk(ADP_CHUNK_MAPS, &m, sizeof(m));	/* 29 bytes: padded */
	put_chunk(77, "x", 1);				/* unknown: skipped */
	put_chunk(ADP_CHUNK_IRQ, &irq, sizeof(irq));
	put_chunk(ADP_CHUNK_END, &end, sizeof(end));
}

/* Read the file as report does; the chunk types seen, or -1 and why. */
static int read_all(size_t len, uint32_t *types, const char **why)
{
	struct rf_chunk c;
	struct rf f;
	int n = 0, ret;

	*why = "";
	if (rf_open(&f, file, len, why))
		return -1;
	while ((ret = rf_next(&f, &c, why)) > 0)
		types[n++] = c.type;
	return ret < 0 ? -1 : n;
}

static const size_t batch_off = sizeof(struct adp_file_header) + sizeof(struct adp_chunk);

static void test_reader(void)
{
	uint32_t t[16];
	const char *why;
	size_t len, cut, bad_cuts = 0;
	int n;

	good_file();
	len = flen;
	n = read_all(len, t, &why);
	check(n == 5 && t[0] == ADP_CHUNK_BATCH && t[1] == ADP_CHUNK_MAPS &&
	      t[2] == 77 && t[3] == ADP_CHUNK_IRQ && t[4] == ADP_CHUNK_END,
	      "reader: a whole file gives its 5 chunks, the unknown one too (%d: %s)", n, why);

	/* Every cut but one at a chunk boundary is refused as truncated. */
	for (cut = 0; cut < len; cut++) {
		n = read_all(cut, t, &why);
		if (n < 0 && !strstr(why, "truncated") && !strstr(why, "magic"))
			bad_cuts++;
	}
	check(!bad_cuts, "reader: a file cut anywhere inside a chunk says truncated (%zu wrong)",
	      bad_cuts);
	n = read_all(sizeof(struct adp_file_header) + 4, t, &why);
	check(n < 0 && strstr(why, "truncated"), "reader: cut in a chunk header: truncated (%s)", why);
	n = read_all(len - 8, t, &why);
	check(n < 0 && strstr(why, "truncated"), "reader: cut in the last chunk: truncated (%s)", why);
	n = read_all(batch_off + sizeof(struct adp_batch) + 40 + 32 + 8, t, &why);
	check(n < 0 && strstr(why, "truncated"), "reader: cut in a batch: truncated (%s)", why);
	/* A file that ends at a chunk boundary is whole, though it has no END. */
	good_file();
	n = read_all(sizeof(struct adp_file_header) + 8 + 104, t, &why);
	check(n == 1, "reader: a file ending after a whole chunk reads (%d: %s)", n, why);

	good_file();
	memcpy(file, "ELF\0\0\0\0\0", 8);
	n = read_all(flen, t, &why);
	check(n < 0 && strstr(why, "magic"),
	      "reader: a foreign file is no recording (%s)", why);
	good_file();
	((struct adp_file_header *)file)->version = __builtin_bswap32(2);
	((struct adp_file_header *)file)->header_size = __builtin_bswap32(64);
	n = read_all(flen, t, &why);
	check(n < 0 && strstr(why, "byte order"),
	      "reader: the other byte order is named (%s)", why);
	good_file();
	((struct adp_file_header *)file)->version = ADP_FILE_VERSION + 1;
	n = read_all(flen, t, &why);
	check(n < 0 && strstr(why, "newer"),
	      "reader: a newer format version is refused (%s)", why);
	good_file();
	((struct adp_file_header *)file)->sample_size = 40;
	n = read_all(flen, t, &why);
	check(n < 0 && strstr(why, "layout"),
	      "reader: another record size is refused (%s)", why);
	good_file();
	((struct adp_file_header *)file)->header_size = 68;
	n = read_all(flen, t, &why);
	check(n < 0 && strstr(why, "header size"),
	      "reader: an unaligned header size is refused (%s)", why);

	/* Corrupted batches. */
	good_file();
	((struct adp_chunk *)((char *)file + batch_off - 8))->len = 8;
	n = read_all(flen, t, &why);
	check(n < 0 && strstr(why, "too short"),
	      "reader: a batch shorter than its header (%s)", why);
	good_file();
	((struct adp_batch *)((char *)file + batch_off))->cpu = 0xffffffff;
	n = read_all(flen, t, &why);
	check(n < 0 && strstr(why, "CPU"),
	      "reader: a batch of CPU 2^32-1 (%s)", why);
	good_file();
	((struct adprof_sample *)((char *)file + batch_off + 16 + 32))->flags |= 0x80;
	n = read_all(flen, t, &why);
	check(n < 0 && strstr(why, "flags"),
	      "reader: unknown record flags (%s)", why);
	/* The stack sample as a count record of a summary: 7 samples. */
	good_file();
	((struct adprof_sample *)((char *)file + batch_off + 16 + 32))->flags |=
		ADPROF_SAMPLE_F_COUNT;
	((struct adprof_sample *)((char *)file + batch_off + 16 + 32))->count = 7;
	n = read_all(flen, t, &why);
	check(n == 5, "reader: a count record in a version 3 file (%s)", why);
	((struct adp_file_header *)file)->version = 2;
	n = read_all(flen, t, &why);
	check(n < 0 && strstr(why, "count"),
	      "reader: a count record in a version 2 file (%s)", why);
	((struct adp_file_header *)file)->version = 3;
	((struct adprof_sample *)((char *)file + batch_off + 16 + 32))->count = 0;
	n = read_all(flen, t, &why);
	check(n < 0 && strstr(why, "count"),
	      "reader: a count record of 0 samples (%s)", why);
	((struct adprof_sample *)((char *)file + batch_off + 16 + 32))->count = 1ULL << 32;
	n = read_all(flen, t, &why);
	check(n < 0 && strstr(why, "count"),
	      "reader: a count record of 2^32 samples (%s)", why);
	good_file();
	((struct adprof_stack *)((char *)file + batch_off + 16 + 64))->nr_user = 200;
	n = read_all(flen, t, &why);
	check(n < 0, "reader: a stack longer than the depth limit (%s)", why);
	good_file();
	((struct adprof_stack *)((char *)file + batch_off + 16 + 64))->nr_user = 3;
	n = read_all(flen, t, &why);
	check(n < 0 && strstr(why, "cut short"),
	      "reader: a stack running past its batch (%s)", why);
	good_file();
	((struct adp_file_header *)file)->version = 1;
	((struct adp_file_header *)file)->depth = 0;
	n = read_all(flen, t, &why);
	check(n < 0 && strstr(why, "stack"),
	      "reader: a stack record in a version 1 file (%s)", why);
	good_file();
	((struct adp_chunk *)((char *)file + len - 56 - 56))->len = 40;
	n = read_all(flen, t, &why);
	check(n < 0, "reader: a short irq chunk (%s)", why);
	good_file();
	((struct adp_irq *)((char *)file + len - 56 - 48))->kind = 9;
	n = read_all(flen, t, &why);
	check(n < 0 && strstr(why, "irq"),
	      "reader: an irq event of unknown kind (%s)", why);
	/* A version 1 file (before stacks): a flat sample reads. */
	{
		struct adp_file_header h = {
			.version = 1, .header_size = sizeof(h),
			.sample_size = sizeof(struct adprof_sample),
		};
		struct {
			struct adp_batch b;
			struct adprof_sample comm, s;
		} b1 = {
			.comm = { .pid = 5, .flags = ADPROF_SAMPLE_F_COMM },
			.s = { .pid = 5, .pc = 0x1000 },
		};
		struct adp_end end = { .samples = 1 };

		memcpy(h.magic, ADP_FILE_MAGIC, 8);
		flen = 0;
		put(&h, sizeof(h));
		put_chunk(ADP_CHUNK_BATCH, &b1, sizeof(b1));
		put_chunk(ADP_CHUNK_END, &end, sizeof(end));
		n = read_all(flen, t, &why);
		check(n == 2 && t[0] == ADP_CHUNK_BATCH && t[1] == ADP_CHUNK_END,
		      "reader: a version 1 recording (no stacks) still reads (%d: %s)", n, why);
	}
	good_file();
	((struct adp_chunk *)((char *)file + batch_off - 8))->len = 0xfffffff0;
	n = read_all(flen, t, &why);
	check(n < 0 && strstr(why, "truncated"),
	      "reader: a chunk length of 4 GiB (%s)", why);
}

static void test_callgraph(void)
{
	struct cg g;
	struct cg_edge *e;
	uint32_t m, a, b, leaf, k, st[5];
	uint64_t matched;
	size_t n;

	cg_init(&g);
	m = cg_func(&g, "p", "main", "/bin/p", false);
	a = cg_func(&g, "p", "a", "/bin/p", false);
	b = cg_func(&g, "p", "b", "/bin/p", false);
	leaf = cg_func(&g, "p", "leaf", "/bin/p", false);
	k = cg_func(&g, "p", "leaf", "[kernel.kallsyms]", true);
	check(cg_func(&g, "p", "a", "/bin/p", false) == a && g.nfuncs == 5,
	      "callgraph: a function is added once; object and kernel tell apart");

	st[0] = m; st[1] = a; st[2] = b; st[3] = leaf;
	cg_add(&g, st, 4, 600);
	cg_add(&g, st, 3, 300);
	cg_add(&g, st, 4, 10);			/* merges with the first */
	st[2] = a; st[3] = a; st[4] = k;	/* main a a a leaf[k]: recursion */
	cg_add(&g, st, 5, 50);
	check(g.nstacks == 3 && g.stacks[0].count == 610,
	      "callgraph: identical stacks merge (%zu stacks)", g.nstacks);
	check(g.funcs[leaf].self == 610 && g.funcs[leaf].total == 610 &&
	      g.funcs[b].self == 300 && g.funcs[b].total == 910,
	      "callgraph: self counts the leaf, total every stack holding it");
	check(g.funcs[a].total == 960 && g.funcs[a].self == 0 && g.funcs[m].total == 960,
	      "callgraph: recursion counts a sample once in total (%lu)",
	      (unsigned long)g.funcs[a].total);
	check(g.funcs[k].self == 50 && g.funcs[k].kernel, "callgraph: kernel leaf apart");

	e = cg_neighbours(&g, "b", true, &n, &matched);
	check(n == 1 && e[0].func == a && e[0].n == 910 && matched == 910,
	      "callgraph: callers of b: a, 910");
	free(e);
	e = cg_neighbours(&g, "b", false, &n, &matched);
	check(n == 2 && e[0].func == leaf && e[0].n == 610 && e[1].func == CG_NONE &&
	      e[1].n == 300, "callgraph: callees of b: leaf 610, itself 300");
	free(e);
	e = cg_neighbours(&g, "a", true, &n, &matched);
	check(n == 2 && matched == 960 && e[0].func == m && e[0].n == 960 &&
	      e[1].func == a && e[1].n == 50,
	      "callgraph: callers of recursive a: main 960, a 50 (once per sample)");
	free(e);
	e = cg_neighbours(&g, "main", true, &n, &matched);
	check(n == 1 && e[0].func == CG_NONE && e[0].n == 960, "callgraph: main's caller is the root");
	free(e);
	e = cg_neighbours(&g, "leaf", false, &n, &matched);
	check(n == 1 && matched == 660 && e[0].func == CG_NONE,
	      "callgraph: a name matches user and kernel functions alike");
	free(e);
	e = cg_neighbours(&g, "nosuch", true, &n, &matched);
	check(!n && !matched, "callgraph: an unknown name matches nothing");
	free(e);
	cg_free(&g);
}

int main(void)
{
	test_reader();
	test_callgraph();
	return tap_done();
}

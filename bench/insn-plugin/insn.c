// SPDX-License-Identifier: GPL-2.0
/*
 * insn: a QEMU TCG plugin that counts the guest instructions executed on
 * all vCPUs, and reports the count each time the guest executes a marker
 * instruction, so a guest program can bracket a window of work and the
 * host learn exactly how many instructions it took. Wall-clock time under
 * TCG moves with the host's load; this count does not.
 *
 *   qemu-system-x86_64 -accel tcg,thread=single \
 *       -plugin file=build/bench/libinsn.so,out=FILE[,count=insn|tb][,hot=N]
 *
 * The marker is "xchg %bx,%bx" (66 87 db, Bochs' magic breakpoint):
 * nothing but bench/tools/insnmark executes it. (The API of QEMU 7.2
 * cannot read registers, so the marker carries no argument; and not
 * cpuid, which glibc runs in every process.) For each marker the plugin
 * writes one line to FILE:
 *
 *   marker N vcpu I insns TOTAL user USER kernel KERNEL rep REP
 *
 * N counts markers from 0, I is the vCPU that executed it, TOTAL the
 * instructions executed on all vCPUs since the boot, split by address
 * into user space (below 0x800000000000; so is the firmware and the
 * early boot) and kernel. TCG runs a rep-prefixed string instruction
 * (rep stosb of clear_page, rep movsb of copy_user...) once per
 * iteration, and each counts: REP is how many of TOTAL they are. At exit
 * it writes "total insns TOTAL user USER kernel KERNEL rep REP markers
 * M". Without out= the lines go to QEMU's log (-d plugin [-D LOGFILE]).
 *
 * hot=N adds, after each marker line, the N blocks of guest code that
 * ran the most instructions since the previous marker, "hot VADDR COUNT"
 * (VADDR where the translated block starts), and "hot other COUNT" for
 * the rest: an exact instruction profile of each window, at the cost of
 * one more add per block.
 *
 * Exactness. count=insn (the default) adds 1 inline before every guest
 * instruction, so an instruction counts when it starts: one that faults
 * and is restarted counts twice (TCG takes interrupts only between
 * blocks, so they split nothing). The counters are plain 64-bit adds,
 * exact only with one TCG thread (-accel tcg,thread=single), which runs
 * the vCPUs in turn. count=tb adds a block's length once at its start:
 * about a fifth cheaper in time, but it also counts the rest of a block
 * an exception cut short.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qemu-plugin.h"

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

/* x86-64: everything from the non-canonical hole up is the kernel's. */
#define KERNEL_START	0x800000000000ULL

static const unsigned char marker[] = { 0x66, 0x87, 0xdb };

/* Written by the inline adds of the translated code; one TCG thread. */
static uint64_t insns_user, insns_kernel, insns_rep;
static uint64_t markers;
static int per_tb;
static FILE *out;

/*
 * hot=N: a counter per block start address, found through an open
 * addressing table of pointers (the counters never move: translated code
 * holds their addresses).
 */
struct block {
	uint64_t vaddr;
	uint64_t insns;		/* inline add, once per execution */
	uint64_t last;		/* insns at the previous marker */
};

static unsigned int hot;
static struct block **blocks;
static size_t nblocks, slots;

static void emit(const char *line)
{
	if (!out) {
		qemu_plugin_outs(line);
		return;
	}
	fputs(line, out);
	fflush(out);
}

static struct block *block_get(uint64_t vaddr)
{
	struct block **old = blocks, *b;
	size_t i, n = slots;

	if (2 * (nblocks + 1) > slots) {
		slots = slots ? 2 * slots : 1 << 16;
		blocks = calloc(slots, sizeof(*blocks));
		if (!blocks)
			abort();
		for (i = 0; i < n; i++) {
			if (!old[i])
				continue;
			size_t j = old[i]->vaddr * 0x9e3779b97f4a7c15ULL % slots;

			while (blocks[j])
				j = (j + 1) % slots;
			blocks[j] = old[i];
		}
		free(old);
	}
	for (i = vaddr * 0x9e3779b97f4a7c15ULL % slots; blocks[i]; i = (i + 1) % slots)
		if (blocks[i]->vaddr == vaddr)
			return blocks[i];
	b = calloc(1, sizeof(*b));
	if (!b)
		abort();
	b->vaddr = vaddr;
	blocks[i] = b;
	nblocks++;
	return b;
}

static int by_delta(const void *a, const void *b)
{
	const struct block *x = *(struct block *const *)a;
	const struct block *y = *(struct block *const *)b;
	uint64_t dx = x->insns - x->last, dy = y->insns - y->last;

	return dx < dy ? 1 : dx > dy ? -1 : 0;
}

/* The hot blocks since the previous marker. */
static void emit_hot(void)
{
	struct block **run = malloc(nblocks * sizeof(*run));
	uint64_t other = 0;
	size_t i, n = 0;
	char line[80];

	if (!run)
		abort();
	for (i = 0; i < slots; i++)
		if (blocks[i] && blocks[i]->insns != blocks[i]->last)
			run[n++] = blocks[i];
	qsort(run, n, sizeof(*run), by_delta);
	for (i = 0; i < n; i++) {
		if (i < hot) {
			snprintf(line, sizeof(line), "hot %" PRIx64 " %" PRIu64 "\n",
				 run[i]->vaddr, run[i]->insns - run[i]->last);
			emit(line);
		} else {
			other += run[i]->insns - run[i]->last;
		}
		run[i]->last = run[i]->insns;
	}
	snprintf(line, sizeof(line), "hot other %" PRIu64 "\n", other);
	emit(line);
	free(run);
}

static void on_marker(unsigned int vcpu, void *udata)
{
	uint64_t user = insns_user, kernel = insns_kernel;
	char line[160];

	(void)udata;
	snprintf(line, sizeof(line), "marker %" PRIu64 " vcpu %u insns %" PRIu64
		 " user %" PRIu64 " kernel %" PRIu64 " rep %" PRIu64 "\n", markers++,
		 vcpu, user + kernel, user, kernel, insns_rep);
	emit(line);
	if (hot)
		emit_hot();
}

static uint64_t *counter(uint64_t vaddr)
{
	return vaddr >= KERNEL_START ? &insns_kernel : &insns_user;
}

/* Is @insn a string instruction with a rep prefix? */
static int is_rep_string(const struct qemu_plugin_insn *insn)
{
	const unsigned char *b = qemu_plugin_insn_data(insn);
	size_t i, n = qemu_plugin_insn_size(insn);
	int rep = 0;

	for (i = 0; i < n; i++) {
		switch (b[i]) {
		case 0xf2: case 0xf3:
			rep = 1;
			continue;
		case 0xf0: case 0x2e: case 0x36: case 0x3e: case 0x26:
		case 0x64: case 0x65: case 0x66: case 0x67:
			continue;
		}
		break;
	}
	if (i < n && (b[i] & 0xf0) == 0x40)	/* REX */
		i++;
	if (!rep || i >= n)
		return 0;
	return (b[i] >= 0xa4 && b[i] <= 0xa7) || (b[i] >= 0xaa && b[i] <= 0xaf) ||
	       (b[i] >= 0x6c && b[i] <= 0x6f);
}

static void on_tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t i, n = qemu_plugin_tb_n_insns(tb);
	struct qemu_plugin_insn *insn;

	(void)id;
	for (i = 0; i < n; i++) {
		insn = qemu_plugin_tb_get_insn(tb, i);
		if (hot && i == 0)
			qemu_plugin_register_vcpu_tb_exec_inline(tb,
				QEMU_PLUGIN_INLINE_ADD_U64,
				&block_get(qemu_plugin_insn_vaddr(insn))->insns, n);
		if (per_tb && i == 0)
			qemu_plugin_register_vcpu_tb_exec_inline(tb,
				QEMU_PLUGIN_INLINE_ADD_U64,
				counter(qemu_plugin_insn_vaddr(insn)), n);
		else if (!per_tb)
			qemu_plugin_register_vcpu_insn_exec_inline(insn,
				QEMU_PLUGIN_INLINE_ADD_U64,
				counter(qemu_plugin_insn_vaddr(insn)), 1);
		if (!per_tb && is_rep_string(insn))
			qemu_plugin_register_vcpu_insn_exec_inline(insn,
				QEMU_PLUGIN_INLINE_ADD_U64, &insns_rep, 1);
		if (qemu_plugin_insn_size(insn) == sizeof(marker) &&
		    !memcmp(qemu_plugin_insn_data(insn), marker, sizeof(marker)))
			qemu_plugin_register_vcpu_insn_exec_cb(insn, on_marker,
				QEMU_PLUGIN_CB_NO_REGS, NULL);
	}
}

static void on_atexit(qemu_plugin_id_t id, void *udata)
{
	char line[160];

	(void)id;
	(void)udata;
	snprintf(line, sizeof(line), "total insns %" PRIu64 " user %" PRIu64
		 " kernel %" PRIu64 " rep %" PRIu64 " markers %" PRIu64 "\n",
		 insns_user + insns_kernel, insns_user, insns_kernel, insns_rep,
		 markers);
	emit(line);
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
					   const qemu_info_t *info,
					   int argc, char **argv)
{
	const char *path = NULL;
	char line[160];
	int i;

	for (i = 0; i < argc; i++) {
		if (!strncmp(argv[i], "out=", 4)) {
			path = argv[i] + 4;
		} else if (!strcmp(argv[i], "count=tb")) {
			per_tb = 1;
		} else if (!strcmp(argv[i], "count=insn")) {
			per_tb = 0;
		} else if (!strncmp(argv[i], "hot=", 4)) {
			hot = strtoul(argv[i] + 4, NULL, 0);
		} else {
			fprintf(stderr, "insn plugin: unknown argument %s\n", argv[i]);
			return -1;
		}
	}
	if (strcmp(info->target_name, "x86_64")) {
		fprintf(stderr, "insn plugin: x86_64 guests only, not %s\n",
			info->target_name);
		return -1;
	}
	if (path) {
		out = fopen(path, "w");
		if (!out) {
			perror(path);
			return -1;
		}
	}
	snprintf(line, sizeof(line), "insn plugin: api %d..%d, %s, %d vCPUs, count=%s\n",
		 info->version.min, info->version.cur, info->target_name,
		 info->system_emulation ? info->system.smp_vcpus : 1,
		 per_tb ? "tb" : "insn");
	emit(line);
	qemu_plugin_register_vcpu_tb_trans_cb(id, on_tb_trans);
	qemu_plugin_register_atexit_cb(id, on_atexit, NULL);
	return 0;
}

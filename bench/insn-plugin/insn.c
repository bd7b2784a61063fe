// SPDX-License-Identifier: GPL-2.0
/*
 * insn: a QEMU TCG plugin that counts the guest instructions executed on
 * all vCPUs, and reports the count each time the guest executes a marker
 * instruction, so a guest program can bracket a window of work and the
 * host learn exactly how many instructions it took. Wall-clock time under
 * TCG moves with the host's load; this count does not.
 *
 *   qemu-system-x86_64 -accel tcg,thread=single \
 *       -plugin file=build/bench/libinsn.so,out=FILE[,count=insn|tb]
 *
 * The marker is "xchg %bx,%bx" (66 87 db, Bochs' magic breakpoint):
 * nothing but bench/tools/insnmark executes it. (The API of QEMU 7.2
 * cannot read registers, so the marker carries no argument; and not
 * cpuid, which glibc runs in every process.) For each marker the plugin
 * writes one line to FILE:
 *
 *   marker N vcpu I insns TOTAL user USER kernel KERNEL
 *
 * N counts markers from 0, I is the vCPU that executed it, TOTAL the
 * instructions executed on all vCPUs since the boot, split by address
 * into user space (below 0x800000000000; so is the firmware and the
 * early boot) and kernel. At exit it writes
 * "total insns TOTAL user USER kernel KERNEL markers M". Without out=
 * the lines go to QEMU's log (-d plugin [-D LOGFILE]).
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
#include <string.h>

#include "qemu-plugin.h"

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

/* x86-64: everything from the non-canonical hole up is the kernel's. */
#define KERNEL_START	0x800000000000ULL

static const unsigned char marker[] = { 0x66, 0x87, 0xdb };

/* Written by the inline adds of the translated code; one TCG thread. */
static uint64_t insns_user, insns_kernel;
static uint64_t markers;
static int per_tb;
static FILE *out;

static void emit(const char *line)
{
	if (!out) {
		qemu_plugin_outs(line);
		return;
	}
	fputs(line, out);
	fflush(out);
}

static void on_marker(unsigned int vcpu, void *udata)
{
	uint64_t user = insns_user, kernel = insns_kernel;
	char line[160];

	(void)udata;
	snprintf(line, sizeof(line), "marker %" PRIu64 " vcpu %u insns %" PRIu64
		 " user %" PRIu64 " kernel %" PRIu64 "\n", markers++, vcpu,
		 user + kernel, user, kernel);
	emit(line);
}

static uint64_t *counter(uint64_t vaddr)
{
	return vaddr >= KERNEL_START ? &insns_kernel : &insns_user;
}

static void on_tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t i, n = qemu_plugin_tb_n_insns(tb);
	struct qemu_plugin_insn *insn;

	(void)id;
	for (i = 0; i < n; i++) {
		insn = qemu_plugin_tb_get_insn(tb, i);
		if (per_tb && i == 0)
			qemu_plugin_register_vcpu_tb_exec_inline(tb,
				QEMU_PLUGIN_INLINE_ADD_U64,
				counter(qemu_plugin_insn_vaddr(insn)), n);
		else if (!per_tb)
			qemu_plugin_register_vcpu_insn_exec_inline(insn,
				QEMU_PLUGIN_INLINE_ADD_U64,
				counter(qemu_plugin_insn_vaddr(insn)), 1);
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
		 " kernel %" PRIu64 " markers %" PRIu64 "\n",
		 insns_user + insns_kernel, insns_user, insns_kernel, markers);
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

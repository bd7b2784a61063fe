/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The adprof family's command and top-level attribute names, indexed by
 * their uapi/linux/adprof.h values, for the guest tools that take or print
 * them (nlraw, failnth). A command or attribute added to the uapi without
 * a name here fails the build.
 */
#ifndef ADPROF_TESTS_NAMES_H
#define ADPROF_TESTS_NAMES_H

#include <linux/adprof.h>

#define N(x) [ADPROF_CMD_##x] = #x
static const char *const cmd_names[] = {
	N(UNSPEC), N(DEV_ASSIGN), N(DEV_DEASSIGN), N(DEV_GET), N(IRQ_ASSIGN),
	N(IRQ_DEASSIGN), N(MSIX_SET_NR), N(MSIX_SET_ENTRY), N(IRQ_ACK),
	N(PROF_GET_INFO), N(PROF_START), N(PROF_STOP), N(PROF_GET_STAT),
	N(PROF_CLEAR), N(IRQ_EVENT), N(SAMPLES), N(DMA_MAP), N(DMA_UNMAP),
	N(DMA_GET), N(DMA_FAULT),
};
_Static_assert(sizeof(cmd_names) / sizeof(cmd_names[0]) == ADPROF_CMD_MAX + 1,
	       "a command of uapi/linux/adprof.h has no name here");
#undef N

#define N(x) [ADPROF_A_##x] = #x
static const char *const attr_names[] = {
	N(UNSPEC), N(PAD), N(DEV_ID), N(PCI_SEGMENT), N(PCI_BUS), N(PCI_DEVFN),
	N(DEV_FLAGS), N(VENDOR), N(DEVICE), N(IRQ_FLAGS), N(GUEST_IRQ),
	N(MSIX_NR), N(MSIX_ENTRY), N(GSI), N(MSIX_TABLE), N(MSIX_SLOT),
	N(VECTORS), N(VECTOR), N(INTX_MASKED), N(HOST_VECTOR), N(TIMESTAMP),
	N(COUNT), N(VERSION), N(BACKENDS), N(BACKEND_ENTRY), N(RUNNING),
	N(BACKEND), N(OWNER), N(FREQ), N(CPUMASK), N(BUF_SAMPLES), N(MAX_BUFS),
	N(PROF_FLAGS), N(STATS), N(CPU), N(SEQ), N(LOST), N(SAMPLES),
	N(IOMMU_GROUP), N(VADDR), N(IOVA), N(SIZE), N(DMA_FLAGS),
	N(DMA_MAPPINGS), N(DMA_BYTES), N(DMA_FAULTS), N(DMA_FAULT_REPORTING),
	N(STACK_DEPTH), N(RECORD_VERSION), N(SUMMARY_ENTRIES),
};
_Static_assert(sizeof(attr_names) / sizeof(attr_names[0]) == ADPROF_A_MAX + 1,
	       "an attribute of uapi/linux/adprof.h has no name here");
#undef N

#endif

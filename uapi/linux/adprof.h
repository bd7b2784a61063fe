/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * adprof: PCI device assignment with interrupt routing to userspace, and a
 * sampling CPU profiler, driven over one generic netlink family.
 *
 * This header is the whole contract between the module and its users.
 */
#ifndef _UAPI_LINUX_ADPROF_H
#define _UAPI_LINUX_ADPROF_H

#include <linux/types.h>

#define ADPROF_GENL_NAME	"adprof"
#define ADPROF_GENL_VERSION	1

/* Multicast groups. Joining "irq" needs CAP_NET_ADMIN, "samples" CAP_SYS_ADMIN. */
#define ADPROF_MCGRP_IRQ	"irq"
#define ADPROF_MCGRP_SAMPLES	"samples"

/**
 * enum adprof_cmd - generic netlink commands of the adprof family
 * @ADPROF_CMD_UNSPEC: unused
 * @ADPROF_CMD_DEV_ASSIGN: take a PCI device and register it under a DEV_ID
 * @ADPROF_CMD_DEV_DEASSIGN: release IRQs, restore the device, hand it back
 * @ADPROF_CMD_DEV_GET: one assigned device (do) or all of them (dump)
 * @ADPROF_CMD_IRQ_ASSIGN: route a host interrupt type to a consumer type
 * @ADPROF_CMD_IRQ_DEASSIGN: release the named sides of an IRQ assignment
 * @ADPROF_CMD_MSIX_SET_NR: size the MSI-X routing table (once)
 * @ADPROF_CMD_MSIX_SET_ENTRY: set one MSI-X entry to GSI routing
 * @ADPROF_CMD_IRQ_ACK: consumer end-of-interrupt for a host INTx line
 * @ADPROF_CMD_PROF_GET_INFO: profiler version, backends and state
 * @ADPROF_CMD_PROF_START: start sampling
 * @ADPROF_CMD_PROF_STOP: stop sampling (idempotent); answers the statistics
 * @ADPROF_CMD_PROF_GET_STAT: profiler statistics
 * @ADPROF_CMD_PROF_CLEAR: drop unread buffers and zero the statistics
 * @ADPROF_CMD_IRQ_EVENT: notification on the "irq" group
 * @ADPROF_CMD_SAMPLES: notification on the "samples" group: one batch
 * @ADPROF_CMD_DMA_MAP: map the caller's memory into a device's IOMMU domain
 * @ADPROF_CMD_DMA_UNMAP: unmap whole mappings of a device's IOMMU domain
 * @ADPROF_CMD_DMA_GET: the mapping at an IOVA (do) or every mapping (dump)
 * @ADPROF_CMD_DMA_FAULT: notification on the "irq" group: an IOMMU fault
 * @__ADPROF_CMD_MAX: number of commands
 * @ADPROF_CMD_MAX: highest command
 */
enum adprof_cmd {
	ADPROF_CMD_UNSPEC,
	ADPROF_CMD_DEV_ASSIGN,
	ADPROF_CMD_DEV_DEASSIGN,
	ADPROF_CMD_DEV_GET,
	ADPROF_CMD_IRQ_ASSIGN,
	ADPROF_CMD_IRQ_DEASSIGN,
	ADPROF_CMD_MSIX_SET_NR,
	ADPROF_CMD_MSIX_SET_ENTRY,
	ADPROF_CMD_IRQ_ACK,
	ADPROF_CMD_PROF_GET_INFO,
	ADPROF_CMD_PROF_START,
	ADPROF_CMD_PROF_STOP,
	ADPROF_CMD_PROF_GET_STAT,
	ADPROF_CMD_PROF_CLEAR,
	ADPROF_CMD_IRQ_EVENT,
	ADPROF_CMD_SAMPLES,
	ADPROF_CMD_DMA_MAP,
	ADPROF_CMD_DMA_UNMAP,
	ADPROF_CMD_DMA_GET,
	ADPROF_CMD_DMA_FAULT,

	__ADPROF_CMD_MAX,
};

#define ADPROF_CMD_MAX (__ADPROF_CMD_MAX - 1)

/**
 * enum adprof_attr - top-level attributes
 * @ADPROF_A_UNSPEC: unused
 * @ADPROF_A_PAD: padding for 64-bit attributes
 * @ADPROF_A_DEV_ID: u32, consumer-chosen device id, >= 1
 * @ADPROF_A_PCI_SEGMENT: u16, PCI domain
 * @ADPROF_A_PCI_BUS: u8
 * @ADPROF_A_PCI_DEVFN: u8, (slot << 3) | function
 * @ADPROF_A_DEV_FLAGS: u32, ADPROF_DEV_F_*
 * @ADPROF_A_VENDOR: u16, PCI vendor id (reply)
 * @ADPROF_A_DEVICE: u16, PCI device id (reply)
 * @ADPROF_A_IRQ_FLAGS: u32, ADPROF_IRQ_* bits
 * @ADPROF_A_GUEST_IRQ: u32, consumer vector for INTx/MSI
 * @ADPROF_A_MSIX_NR: u32, MSI-X table size, 1..ADPROF_MSIX_MAX
 * @ADPROF_A_MSIX_ENTRY: u32, device MSI-X entry index
 * @ADPROF_A_GSI: u32, consumer vector an MSI-X entry is routed to
 * @ADPROF_A_MSIX_TABLE: nest of ADPROF_A_MSIX_SLOT (reply)
 * @ADPROF_A_MSIX_SLOT: nest of enum adprof_msix_attr
 * @ADPROF_A_VECTORS: nest of ADPROF_A_VECTOR (reply)
 * @ADPROF_A_VECTOR: nest of enum adprof_vec_attr
 * @ADPROF_A_INTX_MASKED: u8, 1 while the host INTx line waits for IRQ_ACK
 * @ADPROF_A_HOST_VECTOR: u32, host vector index of an IRQ_EVENT
 * @ADPROF_A_TIMESTAMP: u64, CLOCK_MONOTONIC ns taken in hard-IRQ context
 * @ADPROF_A_COUNT: u32, interrupts this IRQ_EVENT stands for (coalesced)
 * @ADPROF_A_VERSION: u32, ADPROF_GENL_VERSION
 * @ADPROF_A_BACKENDS: nest of ADPROF_A_BACKEND_ENTRY
 * @ADPROF_A_BACKEND_ENTRY: nest of enum adprof_backend_attr
 * @ADPROF_A_RUNNING: u8, 1 while sampling
 * @ADPROF_A_BACKEND: string, backend name (default "cpu-clock")
 * @ADPROF_A_OWNER: u32, netlink port id owning the session, 0 if detached
 * @ADPROF_A_FREQ: u32, samples per second per CPU
 * @ADPROF_A_CPUMASK: binary, little-endian bitmap of CPUs to sample
 * @ADPROF_A_BUF_SAMPLES: u32, records per per-CPU buffer
 * @ADPROF_A_MAX_BUFS: u32, buffers the global list may hold
 * @ADPROF_A_PROF_FLAGS: u32, ADPROF_PROF_F_*
 * @ADPROF_A_STATS: nest of enum adprof_stat_attr
 * @ADPROF_A_CPU: u32, CPU a sample batch was taken on
 * @ADPROF_A_SEQ: u32, per-stream batch sequence number, starts at 0
 * @ADPROF_A_LOST: u64, samples lost on this stream before this batch
 * @ADPROF_A_SAMPLES: binary, array of struct adprof_sample
 * @ADPROF_A_IOMMU_GROUP: u32, IOMMU group of a device with ADPROF_DEV_F_IOMMU
 * @ADPROF_A_VADDR: u64, the caller's virtual address of a mapping
 * @ADPROF_A_IOVA: u64, the device's address of a mapping (or a fault)
 * @ADPROF_A_SIZE: u64, bytes of a mapping, or of the range to unmap
 * @ADPROF_A_DMA_FLAGS: u32, ADPROF_DMA_F_*: what the device may do to a
 *	mapping, or what a faulting access did
 * @ADPROF_A_DMA_MAPPINGS: u32, mappings of a device
 * @ADPROF_A_DMA_BYTES: u64, bytes mapped for a device (pages pinned)
 * @ADPROF_A_DMA_FAULTS: u64, IOMMU faults of a device's domain
 * @ADPROF_A_DMA_FAULT_REPORTING: u8, 1 when the IOMMU driver reports faults
 *	to adprof (AMD), 0 when it only logs them (Intel VT-d)
 * @ADPROF_A_STACK_DEPTH: u32, most return addresses a sample's call stack
 *	holds, kernel and user together, 1..ADPROF_STACK_DEPTH_MAX
 * @ADPROF_A_RECORD_VERSION: u32, ADPROF_RECORD_VERSION: the layout of the
 *	records of ADPROF_A_SAMPLES
 * @ADPROF_A_SUMMARY_ENTRIES: u32, slots of each CPU's summary table,
 *	ADPROF_SUMMARY_ENTRIES_MIN..ADPROF_SUMMARY_ENTRIES_MAX, rounded up to
 *	a power of two; only with ADPROF_PROF_F_SUMMARY
 * @__ADPROF_A_MAX: number of attributes
 * @ADPROF_A_MAX: highest attribute
 */
enum adprof_attr {
	ADPROF_A_UNSPEC,
	ADPROF_A_PAD,
	ADPROF_A_DEV_ID,
	ADPROF_A_PCI_SEGMENT,
	ADPROF_A_PCI_BUS,
	ADPROF_A_PCI_DEVFN,
	ADPROF_A_DEV_FLAGS,
	ADPROF_A_VENDOR,
	ADPROF_A_DEVICE,
	ADPROF_A_IRQ_FLAGS,
	ADPROF_A_GUEST_IRQ,
	ADPROF_A_MSIX_NR,
	ADPROF_A_MSIX_ENTRY,
	ADPROF_A_GSI,
	ADPROF_A_MSIX_TABLE,
	ADPROF_A_MSIX_SLOT,
	ADPROF_A_VECTORS,
	ADPROF_A_VECTOR,
	ADPROF_A_INTX_MASKED,
	ADPROF_A_HOST_VECTOR,
	ADPROF_A_TIMESTAMP,
	ADPROF_A_COUNT,
	ADPROF_A_VERSION,
	ADPROF_A_BACKENDS,
	ADPROF_A_BACKEND_ENTRY,
	ADPROF_A_RUNNING,
	ADPROF_A_BACKEND,
	ADPROF_A_OWNER,
	ADPROF_A_FREQ,
	ADPROF_A_CPUMASK,
	ADPROF_A_BUF_SAMPLES,
	ADPROF_A_MAX_BUFS,
	ADPROF_A_PROF_FLAGS,
	ADPROF_A_STATS,
	ADPROF_A_CPU,
	ADPROF_A_SEQ,
	ADPROF_A_LOST,
	ADPROF_A_SAMPLES,
	ADPROF_A_IOMMU_GROUP,
	ADPROF_A_VADDR,
	ADPROF_A_IOVA,
	ADPROF_A_SIZE,
	ADPROF_A_DMA_FLAGS,
	ADPROF_A_DMA_MAPPINGS,
	ADPROF_A_DMA_BYTES,
	ADPROF_A_DMA_FAULTS,
	ADPROF_A_DMA_FAULT_REPORTING,
	ADPROF_A_STACK_DEPTH,
	ADPROF_A_RECORD_VERSION,
	ADPROF_A_SUMMARY_ENTRIES,

	__ADPROF_A_MAX,
};

#define ADPROF_A_MAX (__ADPROF_A_MAX - 1)

/**
 * enum adprof_msix_attr - one slot of the MSI-X routing table
 * @ADPROF_MSIX_A_UNSPEC: unused
 * @ADPROF_MSIX_A_ENTRY: u32, device MSI-X entry
 * @ADPROF_MSIX_A_GSI: u32, consumer vector
 * @__ADPROF_MSIX_A_MAX: number of attributes
 * @ADPROF_MSIX_A_MAX: highest attribute
 */
enum adprof_msix_attr {
	ADPROF_MSIX_A_UNSPEC,
	ADPROF_MSIX_A_ENTRY,
	ADPROF_MSIX_A_GSI,

	__ADPROF_MSIX_A_MAX,
};

#define ADPROF_MSIX_A_MAX (__ADPROF_MSIX_A_MAX - 1)

/**
 * enum adprof_vec_attr - interrupt counters of one host vector
 * @ADPROF_VEC_A_UNSPEC: unused
 * @ADPROF_VEC_A_PAD: padding for 64-bit attributes
 * @ADPROF_VEC_A_INDEX: u32, host vector index
 * @ADPROF_VEC_A_IRQ: u32, Linux IRQ number on the host
 * @ADPROF_VEC_A_COUNT: u64, interrupts received
 * @ADPROF_VEC_A_COALESCED: u64, interrupts folded into a later event
 * @__ADPROF_VEC_A_MAX: number of attributes
 * @ADPROF_VEC_A_MAX: highest attribute
 */
enum adprof_vec_attr {
	ADPROF_VEC_A_UNSPEC,
	ADPROF_VEC_A_PAD,
	ADPROF_VEC_A_INDEX,
	ADPROF_VEC_A_IRQ,
	ADPROF_VEC_A_COUNT,
	ADPROF_VEC_A_COALESCED,

	__ADPROF_VEC_A_MAX,
};

#define ADPROF_VEC_A_MAX (__ADPROF_VEC_A_MAX - 1)

/**
 * enum adprof_backend_attr - one profiling backend
 * @ADPROF_BACKEND_A_UNSPEC: unused
 * @ADPROF_BACKEND_A_NAME: string
 * @ADPROF_BACKEND_A_AVAILABLE: u8, 1 when it can run on this machine
 * @__ADPROF_BACKEND_A_MAX: number of attributes
 * @ADPROF_BACKEND_A_MAX: highest attribute
 */
enum adprof_backend_attr {
	ADPROF_BACKEND_A_UNSPEC,
	ADPROF_BACKEND_A_NAME,
	ADPROF_BACKEND_A_AVAILABLE,

	__ADPROF_BACKEND_A_MAX,
};

#define ADPROF_BACKEND_A_MAX (__ADPROF_BACKEND_A_MAX - 1)

/**
 * enum adprof_stat_attr - profiler statistics, all u64; tprof's names
 * @ADPROF_STAT_A_UNSPEC: unused
 * @ADPROF_STAT_A_PAD: padding for 64-bit attributes
 * @ADPROF_STAT_A_SAMPLE: samples in buffers that reached the list
 * @ADPROF_STAT_A_OVERFLOW: samples not taken because a CPU buffer was full
 * @ADPROF_STAT_A_BUF: buffers put on the list
 * @ADPROF_STAT_A_EMPTYBUF: empty buffers at a tick
 * @ADPROF_STAT_A_DROPBUF: buffers dropped because the list was full
 * @ADPROF_STAT_A_DROPBUF_SAMPLE: samples in dropped buffers
 * @ADPROF_STAT_A_STREAM_MSGS: batches sent to the samples group
 * @ADPROF_STAT_A_STREAM_SAMPLES: samples sent to the samples group
 * @ADPROF_STAT_A_STREAM_ERRORS: batches that could not be sent
 * @ADPROF_STAT_A_STREAM_ERROR_SAMPLES: samples in batches not sent
 * @ADPROF_STAT_A_ONLIST_BUF: buffers waiting on the list now
 * @ADPROF_STAT_A_ONLIST_SAMPLE: samples waiting on the list now
 * @ADPROF_STAT_A_SUMMARY_SAMPLE: samples counted into a summary table
 * @ADPROF_STAT_A_SUMMARY_RECORD: count records written from summary tables
 * @ADPROF_STAT_A_SUMMARY_EVICT: of them, entries written out before the
 *	tick to make room for a new key
 * @ADPROF_STAT_A_SUMMARY_MISS: samples of a summary session not taken: no
 *	room in the buffer for their comm record or the evicted entry (also in
 *	OVERFLOW)
 * @ADPROF_STAT_A_SUMMARY_DROP: samples of entries whose count record found
 *	no room in the buffer at the tick (also in OVERFLOW)
 * @__ADPROF_STAT_A_MAX: number of attributes
 * @ADPROF_STAT_A_MAX: highest attribute
 */
enum adprof_stat_attr {
	ADPROF_STAT_A_UNSPEC,
	ADPROF_STAT_A_PAD,
	ADPROF_STAT_A_SAMPLE,
	ADPROF_STAT_A_OVERFLOW,
	ADPROF_STAT_A_BUF,
	ADPROF_STAT_A_EMPTYBUF,
	ADPROF_STAT_A_DROPBUF,
	ADPROF_STAT_A_DROPBUF_SAMPLE,
	ADPROF_STAT_A_STREAM_MSGS,
	ADPROF_STAT_A_STREAM_SAMPLES,
	ADPROF_STAT_A_STREAM_ERRORS,
	ADPROF_STAT_A_STREAM_ERROR_SAMPLES,
	ADPROF_STAT_A_ONLIST_BUF,
	ADPROF_STAT_A_ONLIST_SAMPLE,
	ADPROF_STAT_A_SUMMARY_SAMPLE,
	ADPROF_STAT_A_SUMMARY_RECORD,
	ADPROF_STAT_A_SUMMARY_EVICT,
	ADPROF_STAT_A_SUMMARY_MISS,
	ADPROF_STAT_A_SUMMARY_DROP,

	__ADPROF_STAT_A_MAX,
};

#define ADPROF_STAT_A_MAX (__ADPROF_STAT_A_MAX - 1)

/* ADPROF_A_IRQ_FLAGS: KVM_DEV_IRQ_* values. */
#define ADPROF_IRQ_HOST_INTX	0x0001U
#define ADPROF_IRQ_HOST_MSI	0x0002U
#define ADPROF_IRQ_HOST_MSIX	0x0004U
#define ADPROF_IRQ_HOST_MASK	0x00ffU
#define ADPROF_IRQ_GUEST_INTX	0x0100U
#define ADPROF_IRQ_GUEST_MSI	0x0200U
#define ADPROF_IRQ_GUEST_MSIX	0x0400U
#define ADPROF_IRQ_GUEST_MASK	0xff00U
#define ADPROF_IRQ_ALL		(ADPROF_IRQ_HOST_INTX | ADPROF_IRQ_HOST_MSI | \
				 ADPROF_IRQ_HOST_MSIX | ADPROF_IRQ_GUEST_INTX | \
				 ADPROF_IRQ_GUEST_MSI | ADPROF_IRQ_GUEST_MSIX)

/*
 * ADPROF_A_DEV_FLAGS; unknown bits are refused. ADPROF_DEV_F_IOMMU (KVM's
 * KVM_DEV_ASSIGN_ENABLE_IOMMU): the device gets a private IOMMU domain, in
 * which only what DMA_MAP maps is reachable.
 */
#define ADPROF_DEV_F_IOMMU	0x0001U
#define ADPROF_DEV_F_ALL	ADPROF_DEV_F_IOMMU

/* ADPROF_A_DMA_FLAGS: VFIO's VFIO_DMA_MAP_FLAG_READ and _WRITE values. */
#define ADPROF_DMA_F_READ	0x0001U	/* the device may read the memory */
#define ADPROF_DMA_F_WRITE	0x0002U	/* the device may write it */
#define ADPROF_DMA_F_ALL	(ADPROF_DMA_F_READ | ADPROF_DMA_F_WRITE)

/* ADPROF_A_MSIX_NR bounds. */
#define ADPROF_MSIX_MAX		255

/* ADPROF_A_PROF_FLAGS */
#define ADPROF_PROF_F_DETACH	0x0001U /* session outlives its socket */
#define ADPROF_PROF_F_STACK	0x0002U /* samples carry their call stacks */
#define ADPROF_PROF_F_SUMMARY	0x0004U /* count in the kernel, send counts */
#define ADPROF_PROF_F_ALL	(ADPROF_PROF_F_DETACH | ADPROF_PROF_F_STACK | \
				 ADPROF_PROF_F_SUMMARY)

/*
 * ADPROF_A_SUMMARY_ENTRIES bounds. The default is twice a tick's samples,
 * rounded up to a power of two, within these bounds; a table holds at most
 * ADPROF_BUF_BYTES_MAX bytes of entries (with call stacks an entry holds
 * STACK_DEPTH addresses), and the default shrinks to fit.
 */
#define ADPROF_SUMMARY_ENTRIES_MIN	16
#define ADPROF_SUMMARY_ENTRIES_MAX	65536

/* ADPROF_A_STACK_DEPTH: as perf's kernel.perf_event_max_stack. */
#define ADPROF_STACK_DEPTH_MAX		127
#define ADPROF_STACK_DEPTH_DEFAULT	127

/* ADPROF_A_FREQ, ADPROF_A_BUF_SAMPLES, ADPROF_A_MAX_BUFS bounds and defaults */
#define ADPROF_FREQ_MIN			1
#define ADPROF_FREQ_MAX			100000
#define ADPROF_FREQ_DEFAULT		1000
#define ADPROF_BUF_SAMPLES_MIN		16
#define ADPROF_BUF_SAMPLES_MAX		65536
/* A CPU buffer holds BUF_SAMPLES records of the session's largest size, at most this. */
#define ADPROF_BUF_BYTES_MAX		(4U << 20)
#define ADPROF_MAX_BUFS_MIN		1
#define ADPROF_MAX_BUFS_MAX		1024
#define ADPROF_MAX_BUFS_DEFAULT		100
#define ADPROF_CPUMASK_MAX_BYTES	1024

#define ADPROF_BACKEND_NAME_MAX		32
#define ADPROF_BACKEND_DEFAULT		"cpu-clock"

/* struct adprof_sample.flags */
#define ADPROF_SAMPLE_F_KERNEL	0x0001U /* pc is a kernel address */
#define ADPROF_SAMPLE_F_COMM	0x0002U /* record names pid: comm[] is valid */
#define ADPROF_SAMPLE_F_STACK	0x0004U /* a struct adprof_stack follows */
#define ADPROF_SAMPLE_F_COUNT	0x0008U /* count record: count replaces time_ns */

/*
 * ADPROF_A_RECORD_VERSION. 1: every record is a struct adprof_sample.
 * 2: a sample record with ADPROF_SAMPLE_F_STACK is followed by a struct
 * adprof_stack and its addresses, so records differ in length; a reader
 * finds the next one with adprof_record_len(). Sessions without
 * ADPROF_PROF_F_STACK send version 1 records.
 * 3: records may be count records (ADPROF_SAMPLE_F_COUNT): @count samples
 * of one pid at one pc (and with ADPROF_SAMPLE_F_STACK one call stack),
 * @tid 0. Sessions with ADPROF_PROF_F_SUMMARY send version 3, and only
 * count and comm records.
 */
#define ADPROF_RECORD_VERSION	3

#define ADPROF_COMM_LEN		16

/**
 * struct adprof_sample - one record of an ADPROF_A_SAMPLES array
 * @pid: process (thread group) id, in the initial pid namespace
 * @tid: thread id (0 in count records)
 * @cpu: CPU the sample was taken on
 * @flags: ADPROF_SAMPLE_F_*
 * @time_ns: CLOCK_MONOTONIC time of the sample (sample records); with
 *	the cpu-clock backend, the time its sampling timer was due
 * @count: samples the record stands for, >= 1 (records with
 *	ADPROF_SAMPLE_F_COUNT: a summary session's)
 * @pc: interrupted program counter (sample and count records)
 * @comm: NUL-padded process name (records with ADPROF_SAMPLE_F_COMM)
 *
 * A comm record precedes the first sample of a pid on each CPU stream, so
 * a subscriber can name every process it sees. The layout is fixed at 32
 * bytes with no implicit padding.
 */
struct adprof_sample {
	__u32 pid;
	__u32 tid;
	__u32 cpu;
	__u32 flags;
	union {
		struct {
			union {
				__u64 time_ns;
				__u64 count;
			};
			__u64 pc;
		};
		char comm[ADPROF_COMM_LEN];
	};
};

/**
 * adprof_record_samples() - samples a record of ADPROF_A_SAMPLES stands for
 * @s: the record
 *
 * Return: @s->count for a count record, 0 for a comm record, else 1.
 */
static inline __u64 adprof_record_samples(const struct adprof_sample *s)
{
	if (s->flags & ADPROF_SAMPLE_F_COMM)
		return 0;
	return s->flags & ADPROF_SAMPLE_F_COUNT ? s->count : 1;
}

/**
 * struct adprof_stack - the call stack after a ADPROF_SAMPLE_F_STACK record
 * @nr_kernel: kernel return addresses in @pc, innermost first: the callers
 *	of the sample's kernel pc (0 for a user pc)
 * @nr_user: user addresses after them, innermost first: the callers of a
 *	user pc; for a kernel pc of a user task, the user pc it entered the
 *	kernel from, then its callers
 * @flags: ADPROF_STACK_F_*
 * @reserved: 0
 * @pc: @nr_kernel + @nr_user addresses
 *
 * The sample's own pc is not repeated here. Kernel stacks come from the
 * kernel's unwinder (ORC on x86); user stacks from frame pointers, so a
 * user function built without them shows its caller's caller, or stops
 * the walk. @nr_kernel + @nr_user is at most the session's STACK_DEPTH.
 */
struct adprof_stack {
	__u16 nr_kernel;
	__u16 nr_user;
	__u16 flags;
	__u16 reserved;
	__u64 pc[];
};

/*
 * struct adprof_stack.flags. USER_BAD: the user walk met a frame pointer
 * that did not grow, left the stack or could not be read.
 */
#define ADPROF_STACK_F_KERNEL_TRUNC	0x0001U /* kernel stack cut at the depth */
#define ADPROF_STACK_F_USER_TRUNC	0x0002U /* user stack cut at the depth */
#define ADPROF_STACK_F_USER_BAD		0x0004U /* the user walk gave up */

/**
 * adprof_record_len() - bytes of a record of an ADPROF_A_SAMPLES array
 * @s: the record's start, a struct adprof_sample
 *
 * Return: sizeof(*s), or with ADPROF_SAMPLE_F_STACK that plus its stack.
 */
static inline __u32 adprof_record_len(const struct adprof_sample *s)
{
	const struct adprof_stack *st = (const struct adprof_stack *)(s + 1);

	if (!(s->flags & ADPROF_SAMPLE_F_STACK))
		return sizeof(*s);
	return sizeof(*s) + sizeof(*st) +
	       sizeof(__u64) * (st->nr_kernel + st->nr_user);
}

#endif /* _UAPI_LINUX_ADPROF_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The file `adprofctl record` writes and `adprofctl report` reads
 * (adprof.data by default). Integers are in the byte order of the machine
 * that recorded; report refuses a file whose magic or sizes do not match.
 * Version 2 files may hold records with call stacks (ADPROF_SAMPLE_F_STACK,
 * record version 2 of uapi/linux/adprof.h); version 3 files, those of a
 * summary session (ADPROF_PROF_F_SUMMARY), hold count records
 * (ADPROF_SAMPLE_F_COUNT, record version 3), each standing for its count
 * of samples: adprof_record_samples(). Recordings without a summary are
 * still written as version 2. Readers of version N read the earlier ones.
 *
 *   struct adp_file_header                     64 bytes
 *   chunks, each:
 *     struct adp_chunk                          8 bytes: type, payload length
 *     payload, then zero padding to a multiple of 8 bytes
 *
 * Chunk types:
 *   ADP_CHUNK_BATCH  one SAMPLES message as received: struct adp_batch
 *                    (CPU, per-CPU sequence number, samples lost before it)
 *                    followed by its records (struct adprof_sample, with
 *                    its stack when ADPROF_SAMPLE_F_STACK), comm records
 *                    included, in the kernel's order
 *   ADP_CHUNK_MAPS   struct adp_maps (pid, when) followed by the text of
 *                    /proc/PID/maps, taken at the pid's first sample with
 *                    a user address (pc or stack frame), again at its
 *                    first after a new comm (exec),
 *                    and at the end if it still ran: later snapshots of a
 *                    pid come later in the file; a pid sampled only in
 *                    the kernel has none
 *   ADP_CHUNK_END    struct adp_end: the recorder's totals, last in a file
 *                    whose recording finished
 *   ADP_CHUNK_IRQ    struct adp_irq: one IRQ_EVENT or DMA_FAULT of the "irq"
 *                    group (record --irq), in the order received
 *
 * Readers skip chunk types they do not know. recfile.c reads and checks
 * the structure; a file it refuses is never half-read.
 */
#ifndef ADPROF_RECFILE_H
#define ADPROF_RECFILE_H

#include <stdint.h>
#include <linux/adprof.h>

#define ADP_FILE_MAGIC		"ADPRFREC"
#define ADP_FILE_VERSION	3

/**
 * struct adp_file_header - start of the file
 * @magic: ADP_FILE_MAGIC, not NUL-terminated
 * @version: ADP_FILE_VERSION, or 2 for a recording without count records
 * @header_size: sizeof(struct adp_file_header)
 * @sample_size: sizeof(struct adprof_sample)
 * @freq: samples per second per CPU asked for (0: the kernel's default)
 * @depth: call stack depth of the session, 0 without stacks (version 2)
 * @start_ns: CLOCK_MONOTONIC when the session started
 * @end_ns: CLOCK_MONOTONIC when it stopped; 0 if recording was cut short
 * @flags: ADP_FILE_F_* (zero in files of older recorders)
 * @reserved: zero
 */
struct adp_file_header {
	char magic[8];
	uint32_t version;
	uint32_t header_size;
	uint32_t sample_size;
	uint32_t freq;
	uint64_t start_ns;
	uint64_t end_ns;
	uint32_t depth;
	uint32_t flags;
	uint8_t reserved[16];
};

/* The "irq" group was recorded (record --irq): ADP_CHUNK_IRQ may follow. */
#define ADP_FILE_F_IRQ		0x0001U

enum adp_chunk_type {
	ADP_CHUNK_BATCH = 1,
	ADP_CHUNK_MAPS = 2,
	ADP_CHUNK_END = 3,
	ADP_CHUNK_IRQ = 4,
};

struct adp_chunk {
	uint32_t type;
	uint32_t len;		/* payload bytes, padding excluded */
};

struct adp_batch {
	uint32_t cpu;
	uint32_t seq;
	uint64_t lost;
	/* struct adprof_sample records[]; */
};

struct adp_maps {
	uint32_t pid;
	uint32_t reserved;
	uint64_t time_ns;	/* CLOCK_MONOTONIC of the snapshot */
	/* the text of /proc/PID/maps, not NUL-terminated */
};

struct adp_end {
	uint64_t msgs;		/* SAMPLES messages received */
	uint64_t samples;	/* samples: a count record counts as its count */
	uint64_t comms;		/* comm records */
	uint64_t lost;		/* sum of the messages' LOST, and the records
				 * of messages the socket dropped, by the
				 * statistics of PROF_STOP's answer */
	uint64_t gaps;		/* messages missing from the sequences */
	uint64_t overruns;	/* times the socket reported ENOBUFS */
};

/* struct adp_irq.kind */
enum adp_irq_kind {
	ADP_IRQ_INTERRUPT = 0,	/* an IRQ_EVENT */
	ADP_IRQ_DMA_FAULT = 1,	/* a DMA_FAULT */
};

/**
 * struct adp_irq - one event of the "irq" group
 * @dev_id: DEV_ID
 * @kind: enum adp_irq_kind
 * @vector: host vector index (interrupts)
 * @guest_irq: consumer vector (interrupts)
 * @count: interrupts (or faults) the event stands for (coalesced)
 * @dma_flags: ADPROF_DMA_F_* of the faulting access (faults)
 * @time_ns: CLOCK_MONOTONIC of the first interrupt, taken in hard-IRQ
 *	context (TIMESTAMP)
 * @rx_ns: CLOCK_MONOTONIC when record received the event; rx_ns - time_ns
 *	is its delivery latency, as watch-irq --latency measures it
 * @iova: the faulting IOVA (faults)
 */
struct adp_irq {
	uint32_t dev_id;
	uint32_t kind;
	uint32_t vector;
	uint32_t guest_irq;
	uint32_t count;
	uint32_t dma_flags;
	uint64_t time_ns;
	uint64_t rx_ns;
	uint64_t iova;
};

/*
 * Reading: rf_open() checks the header of a whole file in memory,
 * rf_next() returns its chunks one by one, each checked: its length fits
 * the file, its payload is as long as its type needs, a batch's records
 * are whole and sane. Either returns -1 with a reason (a static string)
 * for a file that is not an adprof recording, is cut short or is
 * corrupted; never reads outside the buffer.
 */
struct rf {
	const char *buf;
	size_t size;
	size_t off;			/* next chunk */
	struct adp_file_header h;	/* a copy: buf need not be aligned */
};

struct rf_chunk {
	uint32_t type;
	uint32_t len;
	size_t off;			/* of the chunk header in the file */
	const void *p;			/* payload, 8-byte aligned if buf is */
};

/* Limits that tell a corrupted file: no real recording passes them. */
#define RF_CPU_MAX		8192	/* ADPROF_CPUMASK_MAX_BYTES * 8 */

int rf_open(struct rf *f, const void *buf, size_t size, const char **why);
int rf_next(struct rf *f, struct rf_chunk *c, const char **why);

#endif /* ADPROF_RECFILE_H */

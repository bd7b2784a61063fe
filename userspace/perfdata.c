// SPDX-License-Identifier: GPL-2.0
/*
 * report --format perf-data: the recording as a perf.data file for
 * perf report, perf script and the tools built on them.
 *
 * perf's file format (tools/perf/Documentation/perf.data-file-format.txt):
 *
 *   struct perf_file_header    magic PERFILE2, the attribute and data
 *                              sections, one feature: HEADER_EVENT_DESC
 *   struct perf_file_attr      a cpu-clock event (adprof's default
 *                              backend), sampling IDENTIFIER, IP, TID,
 *                              TIME, CPU, PERIOD and, for a recording with
 *                              stacks, CALLCHAIN; sample_id_all, so the
 *                              events below carry TID, TIME, CPU and the
 *                              identifier too; then, for a recording of
 *                              record --irq, one event per device and kind
 *                              of the "irq" group: adprof:irq:devN,
 *                              adprof:dma_fault:devN (names in
 *                              HEADER_EVENT_DESC), each with its ID
 *   the data section:
 *     PERF_RECORD_MMAP         the kernel's text, [kernel.kallsyms]_text
 *                              at _text (when kallsyms gives addresses)
 *     for each process:
 *       PERF_RECORD_COMM       its name, for the process and each thread
 *                              sampled
 *       PERF_RECORD_MMAP2      each executable mapping of its maps
 *                              snapshots
 *     PERF_RECORD_SAMPLE       every sample, in the order recorded; the
 *                              period is the sampling interval in ns; a
 *                              count record (a summary's) is one sample
 *                              whose period is count intervals, at the
 *                              session's end (it has no time of its own;
 *                              perf must see the maps first): perf report
 *                              weighs by period
 *     PERF_RECORD_SAMPLE       every irq group event, of its device's
 *                              event: TIME its hard-IRQ timestamp, PERIOD
 *                              the interrupts (or faults) it stands for,
 *                              ADDR the faulting IOVA, IP 0, pid 0
 *   the feature section table and HEADER_EVENT_DESC
 *
 * The process events carry the session's start time so that perf, which
 * orders events by time, has them before the first sample: adprof takes
 * maps snapshots after a process first shows up. Kernel call chains come
 * after PERF_CONTEXT_KERNEL, user ones after PERF_CONTEXT_USER, leaf
 * first as perf records them. Integers are little-endian, as on the
 * machine that recorded (recfile.c refuses the other byte order).
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <linux/perf_event.h>

#include "parse.h"
#include "report.h"
#include "symbols.h"

#define PERF_MAGIC2	0x32454c4946524550ULL	/* "PERFILE2" */

struct perf_file_section {
	uint64_t offset, size;
};

struct perf_file_header {
	uint64_t magic;
	uint64_t size;
	uint64_t attr_size;
	struct perf_file_section attrs;
	struct perf_file_section data;
	struct perf_file_section event_types;
	uint64_t adds_features[4];	/* HEADER_FEAT_BITS 256 */
};

struct perf_file_attr {
	struct perf_event_attr attr;
	struct perf_file_section ids;
};

/* The sample_id_all trailer for SAMPLE_TYPE: TID, TIME, CPU, IDENTIFIER. */
struct sample_id {
	uint32_t pid, tid;
	uint64_t time;
	uint32_t cpu, res;
	uint64_t id;
};

#define SAMPLE_TYPE	(PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP | PERF_SAMPLE_TID | \
			 PERF_SAMPLE_TIME | PERF_SAMPLE_CPU | PERF_SAMPLE_PERIOD)

#define ID_CPU_CLOCK	1	/* the samples' event; irq events 2.. */
#define HEADER_EVENT_DESC	12	/* tools/perf/util/header.h */
#define NAME_ALIGN		64

struct pw {
	FILE *f;
	uint64_t off;		/* bytes written */
	bool err;
};

static void out(struct pw *w, const void *p, size_t len)
{
	if (!w->err && fwrite(p, 1, len, w->f) != len)
		w->err = true;
	w->off += len;
}

/* An event with a name of @len bytes (NUL included), padded to 8. */
static void out_named(struct pw *w, struct perf_event_header *h, size_t fixed,
		      const char *name, const struct sample_id *id)
{
	static const char zero[8];
	size_t len = strlen(name) + 1, pad = -len & 7;

	h->size = fixed + len + pad + sizeof(*id);
	out(w, h, fixed);
	out(w, name, len);
	out(w, zero, pad);
	out(w, id, sizeof(*id));
}

static void out_comm(struct pw *w, uint32_t pid, uint32_t tid, const char *comm,
		     uint64_t t)
{
	struct {
		struct perf_event_header h;
		uint32_t pid, tid;
	} e = { { .type = PERF_RECORD_COMM }, pid, tid };
	struct sample_id id = { pid, tid, t, 0, 0, ID_CPU_CLOCK };

	out_named(w, &e.h, sizeof(e), comm, &id);
}

/* PERF_RECORD_MMAP2 and MMAP up to the file name */
struct mmap2 {
	struct perf_event_header h;
	uint32_t pid, tid;
	uint64_t start, len, pgoff;
	uint32_t maj, min;
	uint64_t ino, ino_generation;
	uint32_t prot, flags;
};

struct mmap1 {
	struct perf_event_header h;
	uint32_t pid, tid;
	uint64_t start, len, pgoff;
};

/* The executable mappings of one maps snapshot. */
static void out_maps(struct pw *w, uint32_t pid, const char *text, size_t len,
		     uint64_t t)
{
	struct sample_id id = { pid, pid, t, 0, 0, ID_CPU_CLOCK };
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		struct sym_map m = {};	/* path stays NULL where the line is refused */
		char *line = strndup(p, n);

		p += n + 1;
		if (!line)
			continue;
		if (!sym_parse_maps_line(line, &m) && m.exec && m.path &&
		    m.path[0] == '/' && m.end > m.start) {
			struct mmap2 e = {
				.h = { .type = PERF_RECORD_MMAP2,
				       .misc = PERF_RECORD_MISC_USER },
				.pid = pid, .tid = pid, .start = m.start,
				.len = m.end - m.start, .pgoff = m.pgoff,
				.prot = PROT_READ | PROT_EXEC, .flags = MAP_PRIVATE,
			};

			out_named(w, &e.h, sizeof(e), m.path, &id);
		}
		free(m.path);
		free(line);
	}
}

/* _text of @kallsyms, 0 if it cannot be read or hides addresses. */
static uint64_t kernel_text(const char *kallsyms)
{
	char line[512], name[256], type;
	uint64_t addr, text = 0;
	FILE *f = fopen(kallsyms, "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%" SCNx64 " %c %255s", &addr, &type, name) != 3)
			continue;
		if (!strcmp(name, "_text")) {
			text = addr;
			break;
		}
		if (!strcmp(name, "_stext") && !text)
			text = addr;
	}
	fclose(f);
	return text;
}

/* (pid, tid) pairs sampled: open addressing, key pid << 32 | tid, +1. */
struct tids {
	uint64_t *slot;
	size_t n, cap;
};

static void tid_add(struct tids *t, uint32_t pid, uint32_t tid)
{
	uint64_t key = ((uint64_t)pid << 32 | tid) + 1, *old = t->slot;
	size_t i, j, ocap = t->cap;

	if (t->n * 2 >= t->cap) {
		t->cap = ocap ? ocap * 2 : 256;
		t->slot = report_alloc(NULL, t->cap, sizeof(*t->slot));
		memset(t->slot, 0, t->cap * sizeof(*t->slot));
		for (j = 0; j < ocap; j++) {
			if (!old[j])
				continue;
			for (i = old[j] % t->cap; t->slot[i]; i = (i + 1) % t->cap)
				;
			t->slot[i] = old[j];
		}
		free(old);
	}
	for (i = (key * 0x9e3779b97f4a7c15ULL >> 17) % t->cap; t->slot[i];
	     i = (i + 1) % t->cap)
		if (t->slot[i] == key)
			return;
	t->slot[i] = key;
	t->n++;
}

static int key_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* One PERF_RECORD_SAMPLE of the sample or count record @s. */
static void out_sample(struct pw *w, const struct adprof_sample *s,
		       uint64_t period, uint64_t tcount, bool callchain)
{
	const struct adprof_stack *st = (const void *)(s + 1);
	bool kernel = s->flags & ADPROF_SAMPLE_F_KERNEL;
	bool count = s->flags & ADPROF_SAMPLE_F_COUNT;
	struct {
		struct perf_event_header h;
		uint64_t id;
		uint64_t ip;
		uint32_t pid, tid;
		uint64_t time;
		uint32_t cpu, res;
		uint64_t period;
	} e = {
		.h = { .type = PERF_RECORD_SAMPLE,
		       .misc = kernel ? PERF_RECORD_MISC_KERNEL : PERF_RECORD_MISC_USER },
		/* A count record has no thread: its process's main one. */
		.id = ID_CPU_CLOCK, .ip = s->pc, .pid = s->pid,
		.tid = count ? s->pid : s->tid,
		.time = count ? tcount : s->time_ns,
		.cpu = s->cpu, .period = period * adprof_record_samples(s),
	};
	uint64_t cc[2 + 1 + ADPROF_STACK_DEPTH_MAX], nr = 0; /* contexts, leaf, frames */
	unsigned int i, nk = 0, nu = 0;

	if (callchain) {
		if (s->flags & ADPROF_SAMPLE_F_STACK) {
			nk = st->nr_kernel;
			nu = st->nr_user;
		}
		/* recfile.c bounds nk + nu by ADPROF_STACK_DEPTH_MAX. */
		cc[nr++] = kernel ? PERF_CONTEXT_KERNEL : PERF_CONTEXT_USER;
		cc[nr++] = s->pc;
		for (i = 0; i < nk; i++)
			cc[nr++] = st->pc[i];
		if (kernel && nu)
			cc[nr++] = PERF_CONTEXT_USER;
		for (i = 0; i < nu; i++)
			cc[nr++] = st->pc[nk + i];
	}
	e.h.size = sizeof(e) + (callchain ? (1 + nr) * sizeof(uint64_t) : 0);
	out(w, &e, sizeof(e));
	if (callchain) {
		out(w, &nr, sizeof(nr));
		out(w, cc, nr * sizeof(uint64_t));
	}
}

/* The perf events of the irq group's events: one per device and kind. */
struct irqev {
	uint32_t dev_id, kind;
	char name[48];
};

/* The event (index into @ev) of @e; added if new. */
static size_t irq_event_of(struct irqev **ev, size_t *n, const struct adp_irq *e)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if ((*ev)[i].dev_id == e->dev_id && (*ev)[i].kind == e->kind)
			return i;
	*ev = report_alloc(*ev, *n + 1, sizeof(**ev));
	(*ev)[*n].dev_id = e->dev_id;
	(*ev)[*n].kind = e->kind;
	snprintf((*ev)[*n].name, sizeof((*ev)[*n].name), "adprof:%s:dev%" PRIu32,
		 e->kind == ADP_IRQ_DMA_FAULT ? "dma_fault" : "irq", e->dev_id);
	return (*n)++;
}

/* PERF_RECORD_SAMPLE of an irq group event, of event id @id. */
static void out_irq(struct pw *w, const struct adp_irq *e, uint64_t id)
{
	struct {
		struct perf_event_header h;
		uint64_t id;
		uint64_t ip;
		uint32_t pid, tid;
		uint64_t time;
		uint64_t addr;
		uint32_t cpu, res;
		uint64_t period;
	} s = {
		.h = { .type = PERF_RECORD_SAMPLE, .misc = PERF_RECORD_MISC_KERNEL,
		       .size = sizeof(s) },
		.id = id, .time = e->time_ns, .addr = e->iova, .period = e->count,
	};

	out(w, &s, sizeof(s));
}

/* A string of HEADER_EVENT_DESC: u32 length, padded to NAME_ALIGN. */
static void out_string(struct pw *w, const char *str)
{
	static const char zero[NAME_ALIGN];
	uint32_t olen = strlen(str) + 1, len = (olen + NAME_ALIGN - 1) & ~(NAME_ALIGN - 1);

	out(w, &len, sizeof(len));
	out(w, str, olen);
	out(w, zero, len - olen);
}

/* The records of a checked batch, one by one. */
#define for_each_record(s, c, off, bad)						\
	for ((off) = 0, (bad) = false;						\
	     ((s) = rec_next((const struct adp_batch *)(c).p + 1,		\
			     (c).len - sizeof(struct adp_batch), &(off), &(bad)));)

int perf_data_write(struct report *r, FILE *f)
{
	bool callchain = r->h.depth || r->stacked;
	uint64_t freq = r->h.freq ? r->h.freq : ADPROF_FREQ_DEFAULT;
	uint64_t period = 1000000000ULL / freq, t0, ktext, *keys;
	struct perf_file_header fh = {
		.magic = PERF_MAGIC2, .size = sizeof(fh),
		.attr_size = sizeof(struct perf_file_attr),
	};
	struct perf_file_attr fa = {
		.attr = {
			.type = PERF_TYPE_SOFTWARE,
			.size = sizeof(struct perf_event_attr),
			.config = PERF_COUNT_SW_CPU_CLOCK,
			.sample_freq = freq,
			.freq = 1,
			.sample_type = SAMPLE_TYPE |
				       (callchain ? PERF_SAMPLE_CALLCHAIN : 0),
			.sample_id_all = 1,
			.disabled = 0,
		},
	};
	const struct adprof_sample *s;
	struct perf_file_attr *fas;
	struct perf_file_section feat;
	struct irqev *ev = NULL;
	size_t nev = 0, nattr, desc_len = 0;
	struct tids tids = {};
	struct pw w = {};
	char *data = NULL, *desc = NULL;
	size_t dlen = 0;
	uint32_t u32;
	uint64_t id;
	struct rf_chunk c;
	const char *why;
	struct rf rf;
	size_t i, off, n;
	bool bad;

	/* The data section in memory first: -o - may be a pipe. */
	w.f = open_memstream(&data, &dlen);
	if (!w.f)
		goto err;
	/* A summary's recording has no sample time: tmin stays 0. */
	t0 = r->h.start_ns && (!r->tmin || r->h.start_ns <= r->tmin) ?
	     r->h.start_ns : r->tmin;

	ktext = kernel_text(r->kallsyms);
	if (ktext) {
		struct mmap1 e = {
			.h = { .type = PERF_RECORD_MMAP, .misc = PERF_RECORD_MISC_KERNEL },
			.pid = UINT32_MAX, .tid = 0, .start = ktext,
			.len = UINT64_MAX - ktext, .pgoff = ktext,
		};
		struct sample_id sid = { UINT32_MAX, UINT32_MAX, t0, 0, 0, ID_CPU_CLOCK };

		out_named(&w, &e.h, sizeof(e), "[kernel.kallsyms]_text", &sid);
	}

	/* The threads sampled, by process, the process first. */
	rf_open(&rf, r->buf, r->size, &why);
	while (rf_next(&rf, &c, &why) > 0) {
		if (c.type != ADP_CHUNK_BATCH)
			continue;
		for_each_record(s, c, off, bad)
			if (!(s->flags & ADPROF_SAMPLE_F_COMM) && s->pid)
				tid_add(&tids, s->pid,
					s->flags & ADPROF_SAMPLE_F_COUNT ? s->pid : s->tid);
	}
	keys = report_alloc(NULL, tids.n, sizeof(*keys));
	for (i = 0, n = 0; i < tids.cap; i++)
		if (tids.slot[i])
			keys[n++] = tids.slot[i] - 1;
	qsort(keys, n, sizeof(*keys), key_cmp);
	for (i = 0; i < n; i++) {
		uint32_t pid = keys[i] >> 32, tid = (uint32_t)keys[i];

		if (!i || pid != keys[i - 1] >> 32) {
			out_comm(&w, pid, pid, report_comm(r, pid), t0);
			rf_open(&rf, r->buf, r->size, &why);
			while (rf_next(&rf, &c, &why) > 0) {
				const struct adp_maps *m = c.p;

				if (c.type == ADP_CHUNK_MAPS && m->pid == pid)
					out_maps(&w, pid, (const char *)(m + 1),
						 c.len - sizeof(*m), t0);
			}
		}
		if (tid != pid)
			out_comm(&w, pid, tid, report_comm(r, pid), t0);
	}
	free(keys);
	free(tids.slot);

	rf_open(&rf, r->buf, r->size, &why);
	while (rf_next(&rf, &c, &why) > 0) {
		if (c.type != ADP_CHUNK_BATCH)
			continue;
		for_each_record(s, c, off, bad)
			if (!(s->flags & ADPROF_SAMPLE_F_COMM))
				out_sample(&w, s, period,
					   r->h.end_ns > t0 ? r->h.end_ns : t0 + 1,
					   callchain);
	}
	for (i = 0; i < r->nirqs; i++)
		out_irq(&w, &r->irqs[i], ID_CPU_CLOCK + 1 + irq_event_of(&ev, &nev, &r->irqs[i]));
	if (fclose(w.f) || w.err)
		goto err;

	/* The attributes, each followed (after them all) by its one ID. */
	nattr = 1 + nev;
	fas = report_alloc(NULL, nattr, sizeof(*fas));
	memset(fas, 0, nattr * sizeof(*fas));
	for (i = 0; i < nattr; i++) {
		fas[i] = fa;
		fas[i].ids = (struct perf_file_section){
			sizeof(fh) + nattr * sizeof(*fas) + i * sizeof(uint64_t),
			sizeof(uint64_t),
		};
		if (!i)
			continue;
		fas[i].attr.config = PERF_COUNT_SW_DUMMY;
		fas[i].attr.sample_period = 1;
		fas[i].attr.freq = 0;
		fas[i].attr.sample_type = SAMPLE_TYPE | PERF_SAMPLE_ADDR;
	}

	/* HEADER_EVENT_DESC: the events' names, for perf's output. */
	w = (struct pw){ .f = open_memstream(&desc, &desc_len) };
	if (!w.f)
		goto err_fas;
	u32 = nattr;
	out(&w, &u32, sizeof(u32));
	u32 = sizeof(struct perf_event_attr);
	out(&w, &u32, sizeof(u32));
	for (i = 0; i < nattr; i++) {
		out(&w, &fas[i].attr, sizeof(fas[i].attr));
		u32 = 1;
		out(&w, &u32, sizeof(u32));
		out_string(&w, i ? ev[i - 1].name : "cpu-clock");
		id = ID_CPU_CLOCK + i;
		out(&w, &id, sizeof(id));
	}
	if (fclose(w.f) || w.err)
		goto err_fas;

	fh.attrs = (struct perf_file_section){ sizeof(fh), nattr * sizeof(*fas) };
	fh.data = (struct perf_file_section){
		sizeof(fh) + nattr * (sizeof(*fas) + sizeof(uint64_t)), dlen,
	};
	fh.adds_features[HEADER_EVENT_DESC / 64] |= 1ULL << (HEADER_EVENT_DESC % 64);
	feat = (struct perf_file_section){
		fh.data.offset + dlen + sizeof(feat), desc_len,
	};
	if (fwrite(&fh, sizeof(fh), 1, f) != 1 ||
	    fwrite(fas, sizeof(*fas), nattr, f) != nattr)
		goto err_fas;
	for (i = 0; i < nattr; i++) {
		id = ID_CPU_CLOCK + i;
		if (fwrite(&id, sizeof(id), 1, f) != 1)
			goto err_fas;
	}
	if (fwrite(data, 1, dlen, f) != dlen || fwrite(&feat, sizeof(feat), 1, f) != 1 ||
	    fwrite(desc, 1, desc_len, f) != desc_len)
		goto err_fas;
	free(fas);
	free(ev);
	free(data);
	free(desc);
	return 0;
err_fas:
	free(fas);
err:
	fprintf(stderr, "adprofctl: report: writing the perf.data file: %m\n");
	free(ev);
	free(data);
	free(desc);
	return -1;
}

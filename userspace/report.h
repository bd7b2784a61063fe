/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A recording as report reads it, shared with the converters to other
 * tools' formats (perfdata.c, pprof.c): the whole file, checked by
 * recfile.c, the process names, the symbolizer with the maps snapshots,
 * and the events of the "irq" group.
 */
#ifndef ADPROF_REPORT_H
#define ADPROF_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/adprof.h>

#include "recfile.h"

struct symbolizer;

struct report {
	struct adp_file_header h;
	char *buf;			/* the file, checked whole */
	size_t size;
	uint64_t msgs, samples, comms, lost, gaps, overruns, user, kernel;
	uint64_t tmin, tmax;
	bool has_end;
	int64_t *next_seq;
	size_t ncpus;
	/* pid -> name, from comm records: open addressing, pid+1 as key */
	struct report_name { uint32_t key; char comm[ADPROF_COMM_LEN]; } *names;
	size_t name_slots, nnames;
	struct pcent *pcs;		/* open addressing, n == 0 is empty */
	size_t pc_slots, npcs;
	struct stackent *stacks;	/* open addressing, n == 0 is empty */
	size_t stack_slots, nstacks;
	uint64_t stacked, trunc, user_bad;	/* samples with stacks; cut; walk gave up */
	uint64_t counts;		/* count records (a summary's) */
	struct adp_irq *irqs;		/* in file order */
	size_t nirqs, irq_cap;
	struct tsample *ts;		/* every sample, for --timeline */
	size_t nts, ts_cap;
	bool keep_ts;
	struct symbolizer *sym;
	const char *kallsyms;		/* its kernel symbols */
};

const char *report_comm(const struct report *r, uint32_t pid);
void *report_alloc(void *p, size_t n, size_t size);

/* The converters; each returns 0 or -1 after saying why on stderr. */
int perf_data_write(struct report *r, FILE *f);
int pprof_write(struct report *r, FILE *f);

#endif /* ADPROF_REPORT_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * recwin: count what an `adprofctl record` file holds, and which of its
 * samples fall inside a window of CLOCK_MONOTONIC time (insnmark's
 * times), for bench/profile. Reads the format of userspace/recfile.h.
 *
 *   recwin FILE T0_NS T1_NS [STACKS]
 *
 * Prints "key value" lines: samples, comm, msgs, maps (MAPS chunks),
 * before/inside/after (samples with time < T0, in [T0, T1), >= T1),
 * maps_inside, wire_bytes (the SAMPLES messages as the kernel sent them:
 * 60 bytes of headers and attributes plus the records, 32 bytes each and
 * a stack's 8 + 8 per address, see adprof_prof_send()), file_bytes,
 * depth (the session's call stack depth, 0 without stacks) and
 * stack_frames (the addresses of all call stacks). Records of version 1
 * and 2 files alike. With STACKS, the call stack of every sample inside
 * the window goes there as a line for stackstat: "1 NK PC ADDR...",
 * innermost first, the NK kernel frames first.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/adprof.h>

#include "recfile.h"

/*
 * nlmsghdr, genlmsghdr, CPU, SEQ, LOST (u64, no pad on x86),
 * RECORD_VERSION, SAMPLES header
 */
#define WIRE_HEAD	(16 + 4 + 8 + 8 + 12 + 8 + 4)

/* One line for stackstat: weight 1, kernel frames, then all frames. */
static void put_stack(FILE *out, const struct adprof_sample *s)
{
	const struct adprof_stack *st = (const void *)(s + 1);
	unsigned int nk = 0, i, n = 0;

	if (s->flags & ADPROF_SAMPLE_F_STACK) {
		nk = st->nr_kernel;
		n = st->nr_kernel + st->nr_user;
	}
	fprintf(out, "1 %u %llx", nk + !!(s->flags & ADPROF_SAMPLE_F_KERNEL),
		(unsigned long long)s->pc);
	for (i = 0; i < n; i++)
		fprintf(out, " %llx", (unsigned long long)st->pc[i]);
	fputc('\n', out);
}

int main(int argc, char **argv)
{
	uint64_t samples = 0, comm = 0, msgs = 0, maps = 0, maps_in = 0;
	uint64_t before = 0, inside = 0, after = 0, wire = 0, file = 0;
	uint64_t frames = 0;
	struct adp_file_header h;
	const struct adprof_sample *s;
	struct adp_chunk c;
	unsigned long long t0, t1;
	size_t cap = 0, n, p, len;
	char *buf = NULL;
	FILE *f, *out = NULL;

	if (argc != 4 && argc != 5) {
		fprintf(stderr, "usage: recwin FILE T0_NS T1_NS [STACKS]\n");
		return 2;
	}
	if (argc == 5 && !(out = fopen(argv[4], "w"))) {
		perror(argv[4]);
		return 1;
	}
	t0 = strtoull(argv[2], NULL, 0);
	t1 = strtoull(argv[3], NULL, 0);
	f = fopen(argv[1], "r");
	if (!f || fread(&h, sizeof(h), 1, f) != 1 ||
	    memcmp(h.magic, ADP_FILE_MAGIC, sizeof(h.magic)) ||
	    h.sample_size != sizeof(*s)) {
		fprintf(stderr, "recwin: %s: not an adprof recording\n", argv[1]);
		return 1;
	}
	file = sizeof(h);
	while (fread(&c, sizeof(c), 1, f) == 1) {
		n = (c.len + 7) & ~7U;
		if (n > cap) {
			buf = realloc(buf, n);
			if (!buf)
				return 1;
			cap = n;
		}
		if (fread(buf, 1, n, f) != n)
			break;
		file += sizeof(c) + n;
		if (c.type == ADP_CHUNK_MAPS) {
			const struct adp_maps *m = (const void *)buf;

			maps++;
			maps_in += m->time_ns >= t0 && m->time_ns < t1;
			continue;
		}
		if (c.type != ADP_CHUNK_BATCH || c.len < sizeof(struct adp_batch))
			continue;
		msgs++;
		wire += WIRE_HEAD + c.len - sizeof(struct adp_batch);
		for (p = sizeof(struct adp_batch); p + sizeof(*s) <= c.len; p += len) {
			s = (const void *)(buf + p);
			len = h.version >= 2 ? adprof_record_len(s) : sizeof(*s);
			if (p + len > c.len)
				break;
			if (s->flags & ADPROF_SAMPLE_F_COMM) {
				comm++;
				continue;
			}
			samples++;
			if (s->flags & ADPROF_SAMPLE_F_STACK)
				frames += ((const struct adprof_stack *)(s + 1))->nr_kernel +
					  ((const struct adprof_stack *)(s + 1))->nr_user;
			if (s->time_ns < t0) {
				before++;
			} else if (s->time_ns < t1) {
				inside++;
				if (out)
					put_stack(out, s);
			} else {
				after++;
			}
		}
	}
	printf("samples %" PRIu64 "\ncomm %" PRIu64 "\nmsgs %" PRIu64
	       "\nmaps %" PRIu64 "\nbefore %" PRIu64 "\ninside %" PRIu64
	       "\nafter %" PRIu64 "\nmaps_inside %" PRIu64 "\nwire_bytes %"
	       PRIu64 "\nfile_bytes %" PRIu64 "\ndepth %u\nstack_frames %" PRIu64
	       "\n", samples, comm, msgs, maps, before, inside, after, maps_in,
	       wire, file, h.version >= 2 ? h.depth : 0, frames);
	free(buf);
	fclose(f);
	if (out)
		fclose(out);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * recwin: count what an `adprofctl record` file holds, and which of its
 * samples fall inside a window of CLOCK_MONOTONIC time (insnmark's
 * times), for bench/profile. Reads the format of userspace/recfile.h.
 *
 *   recwin FILE T0_NS T1_NS
 *
 * Prints "key value" lines: samples, comm, msgs, maps (MAPS chunks),
 * before/inside/after (samples with time < T0, in [T0, T1), >= T1),
 * maps_inside, wire_bytes (the SAMPLES messages as the kernel sent them:
 * 52 bytes of headers and attributes plus 32 per record, see
 * adprof_prof_send()) and file_bytes.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/adprof.h>

#include "recfile.h"

/* nlmsghdr, genlmsghdr, CPU, SEQ, LOST (u64, no pad on x86), SAMPLES header */
#define WIRE_HEAD	(16 + 4 + 8 + 8 + 12 + 4)

int main(int argc, char **argv)
{
	uint64_t samples = 0, comm = 0, msgs = 0, maps = 0, maps_in = 0;
	uint64_t before = 0, inside = 0, after = 0, wire = 0, file = 0;
	struct adp_file_header h;
	struct adprof_sample *s;
	struct adp_chunk c;
	unsigned long long t0, t1;
	size_t cap = 0, n, i;
	char *buf = NULL;
	FILE *f;

	if (argc != 4) {
		fprintf(stderr, "usage: recwin FILE T0_NS T1_NS\n");
		return 2;
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
		n = (c.len - sizeof(struct adp_batch)) / sizeof(*s);
		s = (void *)(buf + sizeof(struct adp_batch));
		msgs++;
		wire += WIRE_HEAD + n * sizeof(*s);
		for (i = 0; i < n; i++) {
			if (s[i].flags & ADPROF_SAMPLE_F_COMM) {
				comm++;
				continue;
			}
			samples++;
			if (s[i].time_ns < t0)
				before++;
			else if (s[i].time_ns < t1)
				inside++;
			else
				after++;
		}
	}
	printf("samples %" PRIu64 "\ncomm %" PRIu64 "\nmsgs %" PRIu64
	       "\nmaps %" PRIu64 "\nbefore %" PRIu64 "\ninside %" PRIu64
	       "\nafter %" PRIu64 "\nmaps_inside %" PRIu64 "\nwire_bytes %"
	       PRIu64 "\nfile_bytes %" PRIu64 "\n", samples, comm, msgs, maps,
	       before, inside, after, maps_in, wire, file);
	free(buf);
	fclose(f);
	return 0;
}

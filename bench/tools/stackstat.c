// SPDX-License-Identifier: GPL-2.0
/*
 * stackstat: did a profiler get the workload's call stacks? For
 * bench/profile's runs with call stacks, whatever the tool: each tool's
 * output is turned (by the guest script) into one line per stack,
 *
 *   WEIGHT NK FRAME FRAME ...
 *
 * frames innermost first, the sample's own pc first, the first NK of them
 * kernel frames, the rest user frames. A frame is a hex address (with or
 * without 0x) or a symbol name, with or without +offset (bpftrace prints
 * names). Addresses are named by SYMS, the output of nm -S of the
 * workload's binary (static, so its addresses are those of the file).
 *
 *   stackstat SYMS F1,F2,...  <lines
 *
 * F1,F2,... is the chain the workload's hot path must show, innermost
 * first (bench_spin_hot,spin_level3,...). Prints "key value" lines:
 *   stacks      samples (sum of the weights)
 *   frames_p50  median frames of a sample, kernel and user, pc included
 *   user_p50    median user frames
 *   kernel      samples with kernel frames
 *   hot         samples whose first user frame is in F1
 *   chain       of those, the samples whose user frames go on F2, F3, ...
 *   hot_user_p50  median user frames of the hot samples
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FRAMES	512
#define MAX_CHAIN	16

struct sym {
	unsigned long long start, size;
	char name[256];
};

static struct sym *syms;
static size_t nsyms;

static int load_syms(const char *path)
{
	unsigned long long a, n;
	char line[512], type, name[256];
	size_t cap = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx %llx %c %255s", &a, &n, &type, name) != 4)
			continue;
		if (type != 't' && type != 'T')
			continue;
		if (nsyms == cap) {
			cap = cap ? 2 * cap : 1024;
			syms = realloc(syms, cap * sizeof(*syms));
			if (!syms)
				return -1;
		}
		syms[nsyms].start = a;
		syms[nsyms].size = n;
		snprintf(syms[nsyms].name, sizeof(syms[nsyms].name), "%s", name);
		nsyms++;
	}
	fclose(f);
	return 0;
}

/* The function a frame is in: by address, or its own name. */
static const char *frame_name(const char *tok, char *buf, size_t len)
{
	const char *p = tok;
	char *end;
	unsigned long long a;
	size_t i;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	a = strtoull(p, &end, 16);
	if (*p && !*end) {
		for (i = 0; i < nsyms; i++)
			if (a >= syms[i].start && a < syms[i].start + syms[i].size)
				return syms[i].name;
		return "?";
	}
	snprintf(buf, len, "%s", tok);
	buf[strcspn(buf, "+")] = 0;
	return buf;
}

struct hist {
	unsigned long long n[MAX_FRAMES + 1], total;
};

static void hist_add(struct hist *h, unsigned int v, unsigned long long w)
{
	h->n[v > MAX_FRAMES ? MAX_FRAMES : v] += w;
	h->total += w;
}

/* The weighted median (the lower one of an even total). */
static unsigned int hist_p50(const struct hist *h)
{
	unsigned long long acc = 0;
	unsigned int i;

	for (i = 0; i <= MAX_FRAMES; i++) {
		acc += h->n[i];
		if (h->total && 2 * acc >= h->total)
			return i;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct hist all, user, hot_user;
	static char line[1 << 16];
	char *chain[MAX_CHAIN], *list, *tok, *save, buf[256];
	unsigned long long kernel = 0, hot = 0, chained = 0, w;
	unsigned int nchain = 0, nk, nf, i;
	char *fr[MAX_FRAMES];

	if (argc != 3 || load_syms(argv[1])) {
		fprintf(stderr, "usage: stackstat SYMS F1,F2,... <stacks\n");
		return 2;
	}
	list = strdup(argv[2]);
	for (tok = strtok_r(list, ",", &save); tok && nchain < MAX_CHAIN;
	     tok = strtok_r(NULL, ",", &save))
		chain[nchain++] = tok;
	if (!nchain)
		return 2;

	while (fgets(line, sizeof(line), stdin)) {
		nf = 0;
		tok = strtok_r(line, " \t\n", &save);
		if (!tok)
			continue;
		w = strtoull(tok, NULL, 10);
		tok = strtok_r(NULL, " \t\n", &save);
		if (!tok || !w)
			continue;
		nk = strtoul(tok, NULL, 10);
		while ((tok = strtok_r(NULL, " \t\n", &save)) && nf < MAX_FRAMES)
			fr[nf++] = tok;
		if (nk > nf)
			nk = nf;
		hist_add(&all, nf, w);
		hist_add(&user, nf - nk, w);
		if (nk)
			kernel += w;
		if (nf == nk || strcmp(frame_name(fr[nk], buf, sizeof(buf)), chain[0]))
			continue;
		hot += w;
		hist_add(&hot_user, nf - nk, w);
		for (i = 1; i < nchain; i++)
			if (nk + i >= nf ||
			    strcmp(frame_name(fr[nk + i], buf, sizeof(buf)), chain[i]))
				break;
		if (i == nchain)
			chained += w;
	}
	printf("stacks %llu\nframes_p50 %u\nuser_p50 %u\nkernel %llu\nhot %llu\n"
	       "chain %llu\nhot_user_p50 %u\n", all.total, hist_p50(&all),
	       hist_p50(&user), kernel, hot, chained, hist_p50(&hot_user));
	return 0;
}

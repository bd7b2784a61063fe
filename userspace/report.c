// SPDX-License-Identifier: GPL-2.0
/*
 * adprofctl report: summarize a file of `adprofctl record` (recfile.h).
 *
 *   text    totals, user/kernel split, top processes, top functions
 *   json    the same as one JSON object
 *   folded  "comm;function count" lines for FlameGraph's flamegraph.pl,
 *           kernel functions suffixed "_[k]" as its colouring expects; for
 *           a recording with call stacks, whole stacks, root to leaf:
 *           "comm;main;a;b;leaf count", with "[truncated]" at the root of
 *           a stack cut at the depth, "[unknown]" where the user walk
 *           gave up (a frame without a frame pointer)
 *
 * Functions are counted per (process name, function, object), as perf
 * report's default sort does; see symbols.c for how PCs are named. A count
 * record (a summary session's, ADPROF_SAMPLE_F_COUNT) weighs its count
 * everywhere a sample record weighs 1, in every format.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/adprof.h>

#include "cmd.h"
#include "parse.h"
#include "recfile.h"
#include "symbols.h"

enum fmt { FMT_TEXT, FMT_JSON, FMT_FOLDED };

/* One distinct sampled address of one process. */
struct pcent {
	uint32_t pid;
	bool kernel;
	uint64_t pc;
	uint64_t n;
};

struct procent {
	uint32_t pid;
	uint64_t n;
	const char *comm;
};

struct funcent {
	const char *comm, *func, *obj;
	bool kernel;
	uint64_t n;
};

/* One distinct call stack of one process (recordings with stacks). */
struct stackent {
	uint64_t hash;
	uint32_t pid;
	uint16_t nk, nu, flags;
	bool kernel;		/* the leaf pc is a kernel address */
	uint64_t *pcs;		/* the leaf pc, nk kernel, nu user addresses */
	uint64_t n;		/* samples; 0: empty slot */
};

struct report {
	struct adp_file_header h;
	uint64_t msgs, samples, comms, lost, gaps, overruns, user, kernel;
	uint64_t tmin, tmax;
	bool has_end;
	int64_t *next_seq;
	size_t ncpus;
	/* pid -> name, from comm records: open addressing, pid+1 as key */
	struct { uint32_t key; char comm[ADPROF_COMM_LEN]; } *names;
	size_t name_slots, nnames;
	struct pcent *pcs;		/* open addressing, n == 0 is empty */
	size_t pc_slots, npcs;
	struct stackent *stacks;	/* open addressing, n == 0 is empty */
	size_t stack_slots, nstacks;
	uint64_t stacked, trunc, user_bad;	/* samples with stacks; cut; walk gave up */
	uint64_t counts;		/* count records */
	uint64_t bad;			/* batches with a record cut short */
	struct symbolizer *sym;
};

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p) {
		fprintf(stderr, "adprofctl: report: out of memory\n");
		exit(EXIT_FAILURE);
	}
	return p;
}

static uint64_t hash64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return x;
}

static void name_set(struct report *r, uint32_t pid, const char *comm)
{
	size_t i, j, old = r->name_slots;
	typeof(r->names) on = r->names;

	if (r->nnames * 2 >= r->name_slots) {
		r->name_slots = old ? old * 2 : 256;
		r->names = xcalloc(r->name_slots, sizeof(*r->names));
		for (j = 0; j < old; j++) {
			if (!on[j].key)
				continue;
			for (i = hash64(on[j].key) % r->name_slots; r->names[i].key;
			     i = (i + 1) % r->name_slots)
				;
			r->names[i] = on[j];
		}
		free(on);
	}
	for (i = hash64(pid + 1ULL) % r->name_slots; r->names[i].key;
	     i = (i + 1) % r->name_slots)
		if (r->names[i].key == pid + 1)
			break;
	if (!r->names[i].key)
		r->nnames++;
	r->names[i].key = pid + 1;
	memcpy(r->names[i].comm, comm, ADPROF_COMM_LEN);
	r->names[i].comm[ADPROF_COMM_LEN - 1] = '\0';
}

static const char *name_get(const struct report *r, uint32_t pid)
{
	size_t i;

	/*
	 * pid 0 is every CPU's idle task, each with its own name
	 * (swapper/N); one process, named as perf names it.
	 */
	if (!pid)
		return "swapper";
	if (!r->name_slots)
		return "?";
	for (i = hash64(pid + 1ULL) % r->name_slots; r->names[i].key;
	     i = (i + 1) % r->name_slots)
		if (r->names[i].key == pid + 1)
			return r->names[i].comm;
	return "?";
}

static void pc_count(struct report *r, uint32_t pid, uint64_t pc, bool kernel,
		     uint64_t w)
{
	size_t i, j, old = r->pc_slots;
	struct pcent *op = r->pcs;

	if (r->npcs * 2 >= r->pc_slots) {
		r->pc_slots = old ? old * 2 : 4096;
		r->pcs = xcalloc(r->pc_slots, sizeof(*r->pcs));
		for (j = 0; j < old; j++) {
			if (!op[j].n)
				continue;
			for (i = hash64(op[j].pc ^ ((uint64_t)op[j].pid << 1 | op[j].kernel)) %
				 r->pc_slots; r->pcs[i].n; i = (i + 1) % r->pc_slots)
				;
			r->pcs[i] = op[j];
		}
		free(op);
	}
	for (i = hash64(pc ^ ((uint64_t)pid << 1 | kernel)) % r->pc_slots;
	     r->pcs[i].n; i = (i + 1) % r->pc_slots) {
		if (r->pcs[i].pid == pid && r->pcs[i].pc == pc &&
		    r->pcs[i].kernel == kernel) {
			r->pcs[i].n += w;
			return;
		}
	}
	r->pcs[i] = (struct pcent){ .pid = pid, .pc = pc, .kernel = kernel, .n = w };
	r->npcs++;
}

static uint64_t stack_hash(const struct stackent *e)
{
	uint64_t h = hash64(e->pid + ((uint64_t)e->nk << 32) +
			    ((uint64_t)e->nu << 48) + e->kernel);
	uint32_t i;

	for (i = 0; i < 1U + e->nk + e->nu; i++)
		h = hash64(h ^ e->pcs[i]);
	return h | 1;
}

static bool stack_eq(const struct stackent *a, const struct stackent *b)
{
	return a->hash == b->hash && a->pid == b->pid && a->nk == b->nk &&
	       a->nu == b->nu && a->kernel == b->kernel &&
	       a->flags == b->flags &&
	       !memcmp(a->pcs, b->pcs, (1U + a->nk + a->nu) * sizeof(uint64_t));
}

/* Count a record with ADPROF_SAMPLE_F_STACK, weight @w, in the stack table. */
static void stack_count(struct report *r, const struct adprof_sample *s,
			uint64_t w)
{
	const struct adprof_stack *st = (const void *)(s + 1);
	struct stackent key = {
		.pid = s->pid, .nk = st->nr_kernel, .nu = st->nr_user,
		.flags = st->flags, .kernel = s->flags & ADPROF_SAMPLE_F_KERNEL,
	};
	size_t i, j, oslots = r->stack_slots, npcs = 1U + key.nk + key.nu;
	struct stackent *old = r->stacks;

	key.pcs = xcalloc(npcs, sizeof(uint64_t));
	key.pcs[0] = s->pc;
	memcpy(key.pcs + 1, st->pc, (npcs - 1) * sizeof(uint64_t));
	key.hash = stack_hash(&key);
	if (r->nstacks * 2 >= r->stack_slots) {
		r->stack_slots = oslots ? oslots * 2 : 1024;
		r->stacks = xcalloc(r->stack_slots, sizeof(*r->stacks));
		for (j = 0; j < oslots; j++) {
			if (!old[j].n)
				continue;
			for (i = old[j].hash % r->stack_slots; r->stacks[i].n;
			     i = (i + 1) % r->stack_slots)
				;
			r->stacks[i] = old[j];
		}
		free(old);
	}
	for (i = key.hash % r->stack_slots; r->stacks[i].n;
	     i = (i + 1) % r->stack_slots) {
		if (stack_eq(&r->stacks[i], &key)) {
			r->stacks[i].n += w;
			free(key.pcs);
			return;
		}
	}
	key.n = w;
	r->stacks[i] = key;
	r->nstacks++;
}

static void batch(struct report *r, const char *p, size_t len)
{
	const struct adp_batch *b = (const void *)p;
	const char *recs = (const void *)(b + 1);
	const struct adprof_sample *s;
	size_t off = 0, n = len - sizeof(*b);
	bool bad = false;
	uint64_t w;

	r->msgs++;
	r->lost += b->lost;
	if (b->cpu >= r->ncpus) {
		size_t want = b->cpu + 64;

		r->next_seq = realloc(r->next_seq, want * sizeof(*r->next_seq));
		if (!r->next_seq) {
			fprintf(stderr, "adprofctl: report: out of memory\n");
			exit(EXIT_FAILURE);
		}
		while (r->ncpus < want)
			r->next_seq[r->ncpus++] = -1;
	}
	if (r->next_seq[b->cpu] < 0)
		r->gaps += b->seq;
	else
		r->gaps += (uint32_t)(b->seq - (uint32_t)r->next_seq[b->cpu]);
	r->next_seq[b->cpu] = (int64_t)b->seq + 1;

	while ((s = rec_next(recs, n, &off, &bad))) {
		if (s->flags & ADPROF_SAMPLE_F_COMM) {
			r->comms++;
			name_set(r, s->pid, s->comm);
			continue;
		}
		w = adprof_record_samples(s);
		/* A count of 0 is no sample: nothing the kernel sends. */
		if (!w)
			continue;
		r->samples += w;
		if (s->flags & ADPROF_SAMPLE_F_KERNEL)
			r->kernel += w;
		else
			r->user += w;
		if (s->flags & ADPROF_SAMPLE_F_COUNT) {
			/* No time: the span comes from the header. */
			r->counts++;
		} else {
			if (!r->tmin || s->time_ns < r->tmin)
				r->tmin = s->time_ns;
			if (s->time_ns > r->tmax)
				r->tmax = s->time_ns;
		}
		pc_count(r, s->pid, s->pc, s->flags & ADPROF_SAMPLE_F_KERNEL, w);
		if (s->flags & ADPROF_SAMPLE_F_STACK) {
			const struct adprof_stack *st = (const void *)(s + 1);

			r->stacked += w;
			if (st->flags & (ADPROF_STACK_F_KERNEL_TRUNC |
					 ADPROF_STACK_F_USER_TRUNC))
				r->trunc += w;
			if (st->flags & ADPROF_STACK_F_USER_BAD)
				r->user_bad += w;
			stack_count(r, s, w);
		}
	}
	if (bad)
		r->bad++;
}

static int load(struct report *r, const char *path)
{
	const struct adp_chunk *c;
	size_t size, off, n;
	const char *p;
	char *buf = NULL;
	FILE *f;
	int err = 0;

	f = fopen(path, "r");
	if (!f || fseek(f, 0, SEEK_END) || (long)(size = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET)) {
		fprintf(stderr, "adprofctl: report: %s: %s\n", path, strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	buf = xcalloc(1, size + 1);
	n = fread(buf, 1, size, f);
	fclose(f);
	if (n != size || size < sizeof(r->h)) {
		err = -1;
		goto bad;
	}
	memcpy(&r->h, buf, sizeof(r->h));
	if (memcmp(r->h.magic, ADP_FILE_MAGIC, sizeof(r->h.magic)) ||
	    r->h.version < 1 || r->h.version > ADP_FILE_VERSION ||
	    r->h.header_size < sizeof(r->h) ||
	    r->h.header_size > size ||
	    r->h.sample_size != sizeof(struct adprof_sample)) {
		err = -1;
		goto bad;
	}
	for (off = r->h.header_size; off + sizeof(*c) <= size;
	     off += sizeof(*c) + ((c->len + 7) & ~7U)) {
		c = (const void *)(buf + off);
		p = buf + off + sizeof(*c);
		if (c->len > size - off - sizeof(*c)) {
			/* Cut short: keep what came before. */
			fprintf(stderr, "adprofctl: report: %s: truncated\n", path);
			break;
		}
		switch (c->type) {
		case ADP_CHUNK_BATCH:
			if (c->len < sizeof(struct adp_batch))
				goto bad;
			batch(r, p, c->len);
			break;
		case ADP_CHUNK_MAPS:
			if (c->len < sizeof(struct adp_maps))
				goto bad;
			sym_add_maps(r->sym, ((const struct adp_maps *)p)->pid,
				     p + sizeof(struct adp_maps),
				     c->len - sizeof(struct adp_maps));
			break;
		case ADP_CHUNK_END:
			if (c->len >= sizeof(struct adp_end)) {
				r->overruns = ((const struct adp_end *)p)->overruns;
				r->has_end = true;
			}
			break;
		}
	}
	free(buf);
	if (r->bad)
		fprintf(stderr, "adprofctl: report: %s: %" PRIu64 " batches with a record cut short\n",
			path, r->bad);
	return 0;

bad:
	fprintf(stderr, "adprofctl: report: %s: not an adprof recording%s\n",
		path, err ? "" : " (bad chunk)");
	free(buf);
	return -1;
}

static int proc_cmp(const void *a, const void *b)
{
	const struct procent *x = a, *y = b;

	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

static int func_key_cmp(const void *a, const void *b)
{
	const struct funcent *x = a, *y = b;
	int c = strcmp(x->comm, y->comm);

	if (!c)
		c = strcmp(x->func, y->func);
	if (!c)
		c = strcmp(x->obj, y->obj);
	return c;
}

static int func_n_cmp(const void *a, const void *b)
{
	const struct funcent *x = a, *y = b;

	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return func_key_cmp(a, b);
}

/* Processes by samples, most first. */
static struct procent *processes(struct report *r, size_t *count)
{
	struct procent *p = xcalloc(r->npcs, sizeof(*p));
	size_t i, j, n = 0;

	for (i = 0; i < r->pc_slots; i++) {
		if (!r->pcs[i].n)
			continue;
		for (j = 0; j < n && p[j].pid != r->pcs[i].pid; j++)
			;
		if (j == n) {
			p[n].pid = r->pcs[i].pid;
			p[n].comm = name_get(r, r->pcs[i].pid);
			n++;
		}
		p[j].n += r->pcs[i].n;
	}
	qsort(p, n, sizeof(*p), proc_cmp);
	*count = n;
	return p;
}

/*
 * Functions by samples, most first, merged by (comm, function, object);
 * with @folded, by (comm, function) only.
 */
static struct funcent *functions(struct report *r, bool folded, size_t *count)
{
	struct funcent *f = xcalloc(r->npcs, sizeof(*f));
	size_t i, n = 0, m;

	for (i = 0; i < r->pc_slots; i++) {
		const struct pcent *pc = &r->pcs[i];

		if (!pc->n)
			continue;
		f[n].comm = name_get(r, pc->pid);
		f[n].kernel = pc->kernel;
		sym_resolve(r->sym, pc->pid, pc->pc, pc->kernel, &f[n].func,
			    &f[n].obj);
		if (folded)
			f[n].obj = pc->kernel ? "k" : "";
		f[n].n = pc->n;
		n++;
	}
	qsort(f, n, sizeof(*f), func_key_cmp);
	for (i = 0, m = 0; i < n; i++) {
		if (m && !func_key_cmp(&f[m - 1], &f[i]))
			f[m - 1].n += f[i].n;
		else
			f[m++] = f[i];
	}
	qsort(f, m, sizeof(*f), func_n_cmp);
	*count = m;
	return f;
}

static double pct(uint64_t n, uint64_t total)
{
	return total ? 100.0 * n / total : 0;
}

static double duration_s(const struct report *r)
{
	if (r->h.end_ns > r->h.start_ns)
		return (r->h.end_ns - r->h.start_ns) / 1e9;
	return r->tmax > r->tmin ? (r->tmax - r->tmin) / 1e9 : 0;
}

static void print_text(struct report *r, const char *path, size_t top)
{
	struct procent *p;
	struct funcent *f;
	size_t np, nf, i;

	printf("%s: %" PRIu64 " samples in %.1f s, %" PRIu64 " messages, lost %"
	       PRIu64 ", sequence gaps %" PRIu64 ", socket overruns %" PRIu64 "%s\n",
	       path, r->samples, duration_s(r), r->msgs, r->lost, r->gaps,
	       r->overruns, r->has_end ? "" : " (recording cut short)");
	printf("user %" PRIu64 " (%.1f%%), kernel %" PRIu64 " (%.1f%%)\n",
	       r->user, pct(r->user, r->samples), r->kernel,
	       pct(r->kernel, r->samples));
	if (r->h.depth || r->stacked)
		printf("call stacks (depth %" PRIu32 "): %" PRIu64 " samples, %zu"
		       " distinct, %" PRIu64 " cut at the depth, %" PRIu64
		       " with the user walk given up\n", r->h.depth, r->stacked,
		       r->nstacks, r->trunc, r->user_bad);
	if (r->counts)
		printf("summary: %" PRIu64 " count records for %" PRIu64
		       " samples\n", r->counts, r->samples);

	p = processes(r, &np);
	printf("\ntop processes:\n%10s %7s %8s  %s\n", "samples", "%", "pid",
	       "command");
	for (i = 0; i < np && i < top; i++)
		printf("%10" PRIu64 " %6.2f%% %8" PRIu32 "  %s\n", p[i].n,
		       pct(p[i].n, r->samples), p[i].pid, p[i].comm);
	free(p);

	f = functions(r, false, &nf);
	printf("\ntop functions:\n%10s %7s  %-16s %-32s %s\n", "samples", "%",
	       "command", "function", "object");
	for (i = 0; i < nf && i < top; i++)
		printf("%10" PRIu64 " %6.2f%%  %-16s %-32s %s\n", f[i].n,
		       pct(f[i].n, r->samples), f[i].comm, f[i].func, f[i].obj);
	free(f);
}

static void print_json(struct report *r, const char *path, size_t top)
{
	struct procent *p;
	struct funcent *f;
	struct json j;
	size_t np, nf, i;

	json_init(&j, stdout);
	json_open(&j, NULL, '{');
	json_str(&j, "file", path);
	json_u64(&j, "samples", r->samples);
	json_u64(&j, "duration_ms", (uint64_t)(duration_s(r) * 1000));
	json_u64(&j, "messages", r->msgs);
	json_u64(&j, "lost", r->lost);
	json_u64(&j, "gaps", r->gaps);
	json_u64(&j, "overruns", r->overruns);
	json_bool(&j, "complete", r->has_end);
	json_u64(&j, "user", r->user);
	json_u64(&j, "kernel", r->kernel);
	if (r->counts) {
		json_open(&j, "summary", '{');
		json_u64(&j, "records", r->counts);
		json_close(&j, '}');
	}
	if (r->h.depth || r->stacked) {
		json_open(&j, "stacks", '{');
		json_u64(&j, "depth", r->h.depth);
		json_u64(&j, "samples", r->stacked);
		json_u64(&j, "distinct", r->nstacks);
		json_u64(&j, "truncated", r->trunc);
		json_u64(&j, "user_bad", r->user_bad);
		json_close(&j, '}');
	}

	p = processes(r, &np);
	json_open(&j, "processes", '[');
	for (i = 0; i < np && i < top; i++) {
		json_open(&j, NULL, '{');
		json_u64(&j, "pid", p[i].pid);
		json_str(&j, "comm", p[i].comm);
		json_u64(&j, "samples", p[i].n);
		json_close(&j, '}');
	}
	json_close(&j, ']');
	free(p);

	f = functions(r, false, &nf);
	json_open(&j, "functions", '[');
	for (i = 0; i < nf && i < top; i++) {
		json_open(&j, NULL, '{');
		json_str(&j, "comm", f[i].comm);
		json_str(&j, "function", f[i].func);
		json_str(&j, "object", f[i].obj);
		json_bool(&j, "kernel", f[i].kernel);
		json_u64(&j, "samples", f[i].n);
		json_close(&j, '}');
	}
	json_close(&j, ']');
	free(f);
	json_close(&j, '}');
}

/* FlameGraph wants no ';' or space inside a frame. */
static void print_frame(const char *s)
{
	for (; *s; s++)
		putchar(*s == ';' || *s == ' ' ? '_' : *s);
}

struct foldline {
	char *text;
	uint64_t n;
};

static int fold_cmp(const void *a, const void *b)
{
	return strcmp(((const struct foldline *)a)->text,
		      ((const struct foldline *)b)->text);
}

/* "frame" of @pc, FlameGraph-safe; return addresses named by pc - 1. */
static void fold_frame(FILE *f, struct report *r, uint32_t pid, uint64_t pc,
		       bool kernel, bool ret)
{
	const char *func, *obj, *c;

	sym_resolve(r->sym, pid, ret && pc ? pc - 1 : pc, kernel, &func, &obj);
	fputc(';', f);
	for (c = func; *c; c++)
		fputc(*c == ';' || *c == ' ' ? '_' : *c, f);
	if (kernel)
		fputs("_[k]", f);
}

/* Whole stacks, root to leaf, merged by their text. */
static void print_folded_stacks(struct report *r)
{
	struct foldline *l = xcalloc(r->nstacks, sizeof(*l));
	size_t i, k, n = 0, m, len;
	const struct stackent *e;
	const char *c;
	FILE *f;

	for (i = 0; i < r->stack_slots; i++) {
		e = &r->stacks[i];
		if (!e->n)
			continue;
		f = open_memstream(&l[n].text, &len);
		if (!f) {
			fprintf(stderr, "adprofctl: report: out of memory\n");
			exit(EXIT_FAILURE);
		}
		for (c = name_get(r, e->pid); *c; c++)
			fputc(*c == ';' || *c == ' ' ? '_' : *c, f);
		if (e->flags & (ADPROF_STACK_F_KERNEL_TRUNC |
				ADPROF_STACK_F_USER_TRUNC))
			fputs(";[truncated]", f);
		else if (e->flags & ADPROF_STACK_F_USER_BAD)
			fputs(";[unknown]", f);
		for (k = e->nu; k-- > 0;)
			fold_frame(f, r, e->pid, e->pcs[1 + e->nk + k], false, true);
		for (k = e->nk; k-- > 0;)
			fold_frame(f, r, e->pid, e->pcs[1 + k], true, true);
		fold_frame(f, r, e->pid, e->pcs[0], e->kernel, false);
		fclose(f);
		l[n++].n = e->n;
	}
	qsort(l, n, sizeof(*l), fold_cmp);
	for (i = 0; i < n; i = m) {
		uint64_t sum = 0;

		for (m = i; m < n && !strcmp(l[m].text, l[i].text); m++)
			sum += l[m].n;
		printf("%s %" PRIu64 "\n", l[i].text, sum);
	}
	for (i = 0; i < n; i++)
		free(l[i].text);
	free(l);
}

static void print_folded(struct report *r)
{
	struct funcent *f;
	size_t nf, i;

	if (r->nstacks) {
		print_folded_stacks(r);
		return;
	}
	f = functions(r, true, &nf);
	for (i = 0; i < nf; i++) {
		print_frame(f[i].comm);
		putchar(';');
		print_frame(f[i].func);
		printf("%s %" PRIu64 "\n", f[i].kernel ? "_[k]" : "", f[i].n);
	}
	free(f);
}

int cmd_report(struct adp_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "top", required_argument, NULL, 'n' },
		{ "kallsyms", required_argument, NULL, 'k' },
		{}
	};
	const char *path = "adprof.data", *kallsyms = "/proc/kallsyms";
	enum fmt fmt = ctx->json ? FMT_JSON : FMT_TEXT;
	struct report r = {};
	uint32_t top = 10;
	int c, ret;

	while ((c = getopt_long(argc, argv, ":f:n:k:", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (!strcmp(optarg, "text"))
				fmt = FMT_TEXT;
			else if (!strcmp(optarg, "json"))
				fmt = FMT_JSON;
			else if (!strcmp(optarg, "folded"))
				fmt = FMT_FOLDED;
			else
				return arg_error(ctx, "format", optarg, -EINVAL);
			break;
		case 'n':
			ret = arg_u32(ctx, "count", optarg, 1, UINT32_MAX, &top);
			if (ret)
				return ret;
			break;
		case 'k':
			kallsyms = optarg;
			break;
		default:
			return opt_error(ctx, c, argv);
		}
	}
	if (optind < argc - 1)
		return usage_error(ctx);
	if (optind == argc - 1)
		path = argv[optind];

	r.sym = sym_new(kallsyms);
	ret = load(&r, path);
	if (!ret) {
		if (fmt == FMT_TEXT)
			print_text(&r, path, top);
		else if (fmt == FMT_JSON)
			print_json(&r, path, top);
		else
			print_folded(&r);
	}
	sym_free(r.sym);
	free(r.names);
	free(r.pcs);
	for (size_t i = 0; i < r.stack_slots; i++)
		free(r.stacks[i].pcs);
	free(r.stacks);
	free(r.next_seq);
	return ret ? EXIT_FAILURE : EXIT_SUCCESS;
}

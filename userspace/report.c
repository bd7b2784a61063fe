// SPDX-License-Identifier: GPL-2.0
/*
 * adprofctl report: summarize a file of `adprofctl record` (recfile.h).
 *
 *   text    totals, user/kernel split, top processes, top functions (for
 *           a recording with call stacks with children and self, as
 *           perf report --children), the "irq" group's events of record
 *           --irq; --callers/--callees FUNC, --timeline [INTERVAL]
 *   json    the same as one JSON object
 *   folded  "comm;function count" lines for FlameGraph's flamegraph.pl,
 *           kernel functions suffixed "_[k]" as its colouring expects; for
 *           a recording with call stacks, whole stacks, root to leaf:
 *           "comm;main;a;b;leaf count", with "[truncated]" at the root of
 *           a stack cut at the depth, "[unknown]" where the user walk
 *           gave up (a frame without a frame pointer)
 *
 *   perf-data, pprof  the recording in another tool's format (perfdata.c,
 *           pprof.c), written to -o FILE
 *
 * Functions are counted per (process name, function, object), as perf
 * report's default sort does; see symbols.c for how PCs are named. A count
 * record (a summary session's, ADPROF_SAMPLE_F_COUNT) weighs its count
 * everywhere a sample record weighs 1, in every format.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <linux/adprof.h>

#include "callgraph.h"
#include "cmd.h"
#include "parse.h"
#include "recfile.h"
#include "report.h"
#include "symbols.h"

enum fmt { FMT_TEXT, FMT_JSON, FMT_FOLDED, FMT_PERF, FMT_PPROF };

/* One distinct sampled address of one process. */
struct pcent {
	uint32_t pid;
	bool kernel;
	uint64_t pc;
	uint64_t n;
	uint64_t nflat;		/* of them, samples without a stack */
};

/* One sample, for the timeline. */
struct tsample {
	uint64_t t;
	uint64_t pc;
	uint32_t pid;
	bool kernel;
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


static void __attribute__((noreturn)) oom(void)
{
	fprintf(stderr, "adprofctl: report: out of memory\n");
	exit(EXIT_FAILURE);
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p)
		oom();
	return p;
}

/** report_alloc() - realloc() of @n elements of @size, exiting when out of memory */
void *report_alloc(void *p, size_t n, size_t size)
{
	if (n && size > SIZE_MAX / n)
		oom();
	p = realloc(p, n ? n * size : 1);
	if (!p)
		oom();
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

/** report_comm() - the process name of @pid: its last comm record, or "?" */
const char *report_comm(const struct report *r, uint32_t pid)
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
		     uint64_t w, bool flat)
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
			r->pcs[i].nflat += flat ? w : 0;
			return;
		}
	}
	r->pcs[i] = (struct pcent){ .pid = pid, .pc = pc, .kernel = kernel, .n = w,
				    .nflat = flat ? w : 0 };
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

/* A batch rf_next() has checked: its records are whole. */
static void batch(struct report *r, const void *p, size_t len)
{
	const struct adp_batch *b = p;
	const struct adprof_sample *s;
	size_t off = 0, n = len - sizeof(*b);
	bool bad = false;
	uint64_t w;

	r->msgs++;
	r->lost += b->lost;
	if (b->cpu >= r->ncpus) {
		size_t want = b->cpu + 64;

		r->next_seq = report_alloc(r->next_seq, want, sizeof(*r->next_seq));
		while (r->ncpus < want)
			r->next_seq[r->ncpus++] = -1;
	}
	if (r->next_seq[b->cpu] < 0)
		r->gaps += b->seq;
	else
		r->gaps += (uint32_t)(b->seq - (uint32_t)r->next_seq[b->cpu]);
	r->next_seq[b->cpu] = (int64_t)b->seq + 1;

	while ((s = rec_next(b + 1, n, &off, &bad))) {
		bool kernel = s->flags & ADPROF_SAMPLE_F_KERNEL;

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
		if (kernel)
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
		pc_count(r, s->pid, s->pc, kernel, w,
			 !(s->flags & ADPROF_SAMPLE_F_STACK));
		/* A count record has no time to place it on a timeline. */
		if (r->keep_ts && !(s->flags & ADPROF_SAMPLE_F_COUNT)) {
			if (r->nts == r->ts_cap) {
				r->ts_cap = r->ts_cap ? r->ts_cap * 2 : 4096;
				r->ts = report_alloc(r->ts, r->ts_cap, sizeof(*r->ts));
			}
			r->ts[r->nts++] = (struct tsample){
				.t = s->time_ns, .pc = s->pc, .pid = s->pid,
				.kernel = kernel,
			};
		}
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
}

static void irq_event(struct report *r, const struct adp_irq *e)
{
	if (r->nirqs == r->irq_cap) {
		r->irq_cap = r->irq_cap ? r->irq_cap * 2 : 1024;
		r->irqs = report_alloc(r->irqs, r->irq_cap, sizeof(*r->irqs));
	}
	memcpy(&r->irqs[r->nirqs++], e, sizeof(*e));
}

/* Read @path whole, 8-byte aligned, into r->buf. */
static int read_whole(struct report *r, const char *path)
{
	size_t size, n;
	FILE *f;

	f = fopen(path, "r");
	if (!f || fseek(f, 0, SEEK_END) || (long)(size = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET)) {
		fprintf(stderr, "adprofctl: report: %s: %s\n", path, strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	r->buf = xcalloc(1, size + 8);
	n = fread(r->buf, 1, size, f);
	if (n != size) {
		fprintf(stderr, "adprofctl: report: %s: %s\n", path,
			ferror(f) ? strerror(errno) : "changed while read");
		fclose(f);
		return -1;
	}
	fclose(f);
	r->size = size;
	return 0;
}

/*
 * Read and check the whole file before counting anything: a file that
 * rf_next() refuses anywhere is refused whole, by every output format.
 */
static int load(struct report *r, const char *path)
{
	struct rf_chunk c = {};
	const char *why;
	struct rf f;
	int ret;

	if (read_whole(r, path))
		return -1;
	if (rf_open(&f, r->buf, r->size, &why)) {
		fprintf(stderr, "adprofctl: report: %s: %s\n", path, why);
		return -1;
	}
	while ((ret = rf_next(&f, &c, &why)) > 0)
		;
	if (ret < 0) {
		fprintf(stderr, "adprofctl: report: %s: %s, at byte %zu\n", path,
			why, f.off);
		return -1;
	}
	rf_open(&f, r->buf, r->size, &why);
	r->h = f.h;
	while (rf_next(&f, &c, &why) > 0) {
		switch (c.type) {
		case ADP_CHUNK_BATCH:
			batch(r, c.p, c.len);
			break;
		case ADP_CHUNK_MAPS:
			sym_add_maps(r->sym, ((const struct adp_maps *)c.p)->pid,
				     (const char *)c.p + sizeof(struct adp_maps),
				     c.len - sizeof(struct adp_maps));
			break;
		case ADP_CHUNK_END: {
			const struct adp_end *e = c.p;

			r->overruns = e->overruns;
			/*
			 * The recorder's total also counts what its socket
			 * dropped, which no batch in the file tells.
			 */
			if (e->lost > r->lost)
				r->lost = e->lost;
			r->has_end = true;
			break;
		}
		case ADP_CHUNK_IRQ:
			irq_event(r, c.p);
			break;
		}
	}
	return 0;
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
			p[n].comm = report_comm(r, r->pcs[i].pid);
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
		f[n].comm = report_comm(r, pc->pid);
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

/* What report prints besides the totals: chosen by the command line. */
struct views {
	size_t top;
	bool children;			/* total and self (stacks only) */
	const char *callers, *callees;	/* FUNC of --callers, --callees */
	uint64_t interval_ns;		/* --timeline; 0: none */
};

/* The name of the frame @pc; return addresses are named by pc - 1. */
static uint32_t frame_func(struct cg *g, struct report *r, uint32_t pid,
			   uint64_t pc, bool kernel, bool ret)
{
	const char *func, *obj;

	sym_resolve(r->sym, pid, ret && pc ? pc - 1 : pc, kernel, &func, &obj);
	return cg_func(g, report_comm(r, pid), func, obj, kernel);
}

/*
 * Every sample by function: the stacks of the samples that have one, the
 * leaf alone for those without.
 */
static void build_cg(struct report *r, struct cg *g)
{
	uint32_t frames[1 + 2 * ADPROF_STACK_DEPTH_MAX];
	size_t i;
	uint32_t n, k;

	cg_init(g);
	for (i = 0; i < r->stack_slots; i++) {
		const struct stackent *e = &r->stacks[i];

		if (!e->n)
			continue;
		n = 0;
		for (k = e->nu; k-- > 0;)
			frames[n++] = frame_func(g, r, e->pid, e->pcs[1 + e->nk + k],
						 false, true);
		for (k = e->nk; k-- > 0;)
			frames[n++] = frame_func(g, r, e->pid, e->pcs[1 + k], true, true);
		frames[n++] = frame_func(g, r, e->pid, e->pcs[0], e->kernel, false);
		cg_add(g, frames, n, e->n);
	}
	for (i = 0; i < r->pc_slots; i++) {
		const struct pcent *pc = &r->pcs[i];

		if (!pc->nflat)
			continue;
		frames[0] = frame_func(g, r, pc->pid, pc->pc, pc->kernel, false);
		cg_add(g, frames, 1, pc->nflat);
	}
}

static int cgf_cmp(const void *a, const void *b, void *arg)
{
	const struct cg_func *f = arg, *x = &f[*(const uint32_t *)a],
			     *y = &f[*(const uint32_t *)b];
	int c;

	if (x->total != y->total)
		return x->total < y->total ? 1 : -1;
	if (x->self != y->self)
		return x->self < y->self ? 1 : -1;
	c = strcmp(x->comm, y->comm);
	if (!c)
		c = strcmp(x->name, y->name);
	if (!c)
		c = strcmp(x->obj, y->obj);
	return c;
}

/* Function ids by total, then self, most first. */
static uint32_t *by_total(const struct cg *g)
{
	uint32_t *ids = xcalloc(g->nfuncs, sizeof(*ids));
	uint32_t i;

	for (i = 0; i < g->nfuncs; i++)
		ids[i] = i;
	qsort_r(ids, g->nfuncs, sizeof(*ids), cgf_cmp, g->funcs);
	return ids;
}

static int stack_n_cmp(const void *a, const void *b, void *arg)
{
	const struct cg_stack *s = arg, *x = &s[*(const uint32_t *)a],
			      *y = &s[*(const uint32_t *)b];

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return x->hash < y->hash ? -1 : x->hash > y->hash;
}

/* ---- the "irq" group's events (record --irq) ------------------------------ */

struct devsum {
	uint32_t dev_id;
	uint64_t events, interrupts, faults;
	uint64_t *lat;			/* delivery latencies of its events */
	size_t nlat;
};

static int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The @pct percentile of @n sorted values (nearest rank). */
static uint64_t percentile(const uint64_t *v, size_t n, unsigned int pct)
{
	size_t rank = (n * pct + 99) / 100;

	return n ? v[rank ? rank - 1 : 0] : 0;
}

static uint64_t irq_latency(const struct adp_irq *e)
{
	return e->rx_ns > e->time_ns ? e->rx_ns - e->time_ns : 0;
}

/* Per device, by DEV_ID, of the events @e[0..n); latencies sorted. */
static struct devsum *dev_sums(const struct adp_irq *e, size_t n, size_t *ndev)
{
	struct devsum *d = NULL;
	size_t i, j, nd = 0;

	for (i = 0; i < n; i++) {
		for (j = 0; j < nd && d[j].dev_id != e[i].dev_id; j++)
			;
		if (j == nd) {
			d = report_alloc(d, nd + 1, sizeof(*d));
			memset(&d[nd], 0, sizeof(*d));
			d[nd].dev_id = e[i].dev_id;
			d[nd].lat = xcalloc(n, sizeof(uint64_t));
			nd++;
			/* By DEV_ID: few devices, insertion is enough. */
			for (j = nd - 1; j && d[j - 1].dev_id > d[j].dev_id; j--) {
				struct devsum t = d[j];

				d[j] = d[j - 1];
				d[j - 1] = t;
			}
			for (j = 0; d[j].dev_id != e[i].dev_id; j++)
				;
		}
		d[j].events++;
		if (e[i].kind == ADP_IRQ_DMA_FAULT)
			d[j].faults += e[i].count;
		else
			d[j].interrupts += e[i].count;
		d[j].lat[d[j].nlat++] = irq_latency(&e[i]);
	}
	for (j = 0; j < nd; j++)
		qsort(d[j].lat, d[j].nlat, sizeof(uint64_t), u64_cmp);
	*ndev = nd;
	return d;
}

static void dev_sums_free(struct devsum *d, size_t n)
{
	while (n--)
		free(d[n].lat);
	free(d);
}

static void dev_text(const struct devsum *d)
{
	char a[16], b[16], c[16];

	printf("dev %" PRIu32 ": %" PRIu64 " interrupts in %" PRIu64
	       " events", d->dev_id, d->interrupts, d->events);
	if (d->faults)
		printf(", %" PRIu64 " DMA faults", d->faults);
	printf(", latency p50 %s p99 %s max %s",
	       fmt_ns(a, sizeof(a), percentile(d->lat, d->nlat, 50)),
	       fmt_ns(b, sizeof(b), percentile(d->lat, d->nlat, 99)),
	       fmt_ns(c, sizeof(c), d->nlat ? d->lat[d->nlat - 1] : 0));
}

static void dev_json(struct json *j, const struct devsum *d)
{
	json_open(j, NULL, '{');
	json_u64(j, "dev_id", d->dev_id);
	json_u64(j, "events", d->events);
	json_u64(j, "interrupts", d->interrupts);
	json_u64(j, "dma_faults", d->faults);
	json_u64(j, "latency_p50_ns", percentile(d->lat, d->nlat, 50));
	json_u64(j, "latency_p99_ns", percentile(d->lat, d->nlat, 99));
	json_u64(j, "latency_max_ns", d->nlat ? d->lat[d->nlat - 1] : 0);
	json_close(j, '}');
}

/* ---- the timeline ---------------------------------------------------------- */

/* At most this many intervals: a bound for a file with wild timestamps. */
#define TIMELINE_MAX	100000

struct timeline {
	uint64_t base, interval;
	size_t n;			/* intervals */
	uint64_t *samples;		/* per interval */
	uint64_t *pairs;		/* interval << 32 | function, sorted */
	size_t npairs;
	struct adp_irq *irqs;		/* those inside, by time */
	size_t nirqs;
	uint64_t outside;		/* samples and events outside it */
	struct cg g;			/* the functions named */
};

static int irq_time_cmp(const void *a, const void *b)
{
	const struct adp_irq *x = a, *y = b;

	return x->time_ns < y->time_ns ? -1 : x->time_ns > y->time_ns;
}

/*
 * Intervals from the session's start to its stop (or the last sample or
 * event); samples and events outside are counted apart.
 */
static int timeline_build(struct report *r, uint64_t interval,
			  struct timeline *tl)
{
	uint64_t end, first = UINT64_MAX, last = 0, idx;
	size_t i;

	memset(tl, 0, sizeof(*tl));
	cg_init(&tl->g);
	tl->interval = interval;
	for (i = 0; i < r->nts; i++) {
		first = r->ts[i].t < first ? r->ts[i].t : first;
		last = r->ts[i].t > last ? r->ts[i].t : last;
	}
	for (i = 0; i < r->nirqs; i++) {
		first = r->irqs[i].time_ns < first ? r->irqs[i].time_ns : first;
		last = r->irqs[i].time_ns > last ? r->irqs[i].time_ns : last;
	}
	tl->base = r->h.start_ns ? r->h.start_ns : first;
	if (tl->base == UINT64_MAX)
		tl->base = 0;
	end = r->h.end_ns > tl->base ? r->h.end_ns :
	      last >= tl->base && last < UINT64_MAX ? last + 1 : tl->base + 1;
	if ((end - tl->base - 1) / interval >= TIMELINE_MAX) {
		fprintf(stderr, "adprofctl: report: --timeline: %.3f s in intervals of %.3f s"
			" would be more than %u of them\n", (end - tl->base) / 1e9,
			interval / 1e9, TIMELINE_MAX);
		return -1;
	}
	tl->n = (end - tl->base - 1) / interval + 1;
	tl->samples = xcalloc(tl->n, sizeof(*tl->samples));
	tl->pairs = xcalloc(r->nts, sizeof(*tl->pairs));
	for (i = 0; i < r->nts; i++) {
		const struct tsample *t = &r->ts[i];

		if (t->t < tl->base || (idx = (t->t - tl->base) / interval) >= tl->n) {
			tl->outside++;
			continue;
		}
		tl->samples[idx]++;
		tl->pairs[tl->npairs++] = idx << 32 |
			frame_func(&tl->g, r, t->pid, t->pc, t->kernel, false);
	}
	qsort(tl->pairs, tl->npairs, sizeof(*tl->pairs), u64_cmp);
	tl->irqs = xcalloc(r->nirqs, sizeof(*tl->irqs));
	for (i = 0; i < r->nirqs; i++) {
		if (r->irqs[i].time_ns < tl->base ||
		    (r->irqs[i].time_ns - tl->base) / interval >= tl->n) {
			tl->outside++;
			continue;
		}
		tl->irqs[tl->nirqs++] = r->irqs[i];
	}
	qsort(tl->irqs, tl->nirqs, sizeof(*tl->irqs), irq_time_cmp);
	return 0;
}

static void timeline_free(struct timeline *tl)
{
	free(tl->samples);
	free(tl->pairs);
	free(tl->irqs);
	cg_free(&tl->g);
}

struct tl_top {
	uint32_t func;
	uint64_t n;
};

static int tl_top_cmp(const void *a, const void *b)
{
	const struct tl_top *x = a, *y = b;

	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return x->func < y->func ? -1 : x->func > y->func;
}

/*
 * Interval @k's functions, most samples first, from the sorted pairs at
 * *@pos (free() them); its events from *@ipos, summed by device.
 */
static struct tl_top *tl_interval(const struct timeline *tl, size_t k,
				  size_t *pos, size_t *ntop, size_t *ipos,
				  struct devsum **devs, size_t *ndev)
{
	struct tl_top *top = NULL;
	size_t n = 0, first = *ipos;

	while (*pos < tl->npairs && tl->pairs[*pos] >> 32 == k) {
		uint64_t pair = tl->pairs[*pos], c = 0;

		for (; *pos < tl->npairs && tl->pairs[*pos] == pair; (*pos)++)
			c++;
		top = report_alloc(top, n + 1, sizeof(*top));
		top[n++] = (struct tl_top){ .func = (uint32_t)pair, .n = c };
	}
	if (n)
		qsort(top, n, sizeof(*top), tl_top_cmp);
	while (*ipos < tl->nirqs &&
	       (tl->irqs[*ipos].time_ns - tl->base) / tl->interval == k)
		(*ipos)++;
	*devs = dev_sums(tl->irqs + first, *ipos - first, ndev);
	*ntop = n;
	return top;
}

static void timeline_text(struct report *r, uint64_t interval)
{
	struct timeline tl;
	struct tl_top *top;
	struct devsum *d;
	size_t k, pos = 0, ipos = 0, nd, i, nt;
	char a[16], b[16], fn[64];

	if (timeline_build(r, interval, &tl))
		exit(EXIT_FAILURE);
	printf("\ntimeline (intervals of %.3f s from the session's start;"
	       " interrupts by hard-IRQ time, latency to record's receipt):\n",
	       interval / 1e9);
	printf("%9s %8s  %-44s %s\n", "start s", "samples", "top function",
	       "interrupts");
	for (k = 0; k < tl.n; k++) {
		top = tl_interval(&tl, k, &pos, &nt, &ipos, &d, &nd);
		if (nt) {
			const struct cg_func *f = &tl.g.funcs[top[0].func];

			snprintf(fn, sizeof(fn), "%s %s%s %.0f%%", f->comm, f->name,
				 f->kernel ? " [k]" : "", pct(top[0].n, tl.samples[k]));
		} else {
			snprintf(fn, sizeof(fn), "-");
		}
		printf("%9.3f %8" PRIu64 "  %-44s", k * interval / 1e9,
		       tl.samples[k], fn);
		for (i = 0; i < nd; i++) {
			printf("%sdev %" PRIu32, i ? "; " : " ", d[i].dev_id);
			if (d[i].interrupts || !d[i].faults)
				printf(" %" PRIu64, d[i].interrupts);
			if (d[i].faults)
				printf(" dma_faults %" PRIu64, d[i].faults);
			printf(" (p50 %s max %s)",
			       fmt_ns(a, sizeof(a), percentile(d[i].lat, d[i].nlat, 50)),
			       fmt_ns(b, sizeof(b), d[i].lat[d[i].nlat - 1]));
		}
		putchar('\n');
		dev_sums_free(d, nd);
		free(top);
	}
	if (tl.outside)
		printf("%" PRIu64 " samples or events outside the session's time\n",
		       tl.outside);
	timeline_free(&tl);
}

static void timeline_json(struct json *j, struct report *r, uint64_t interval,
			  size_t max)
{
	struct tl_top *top;
	struct timeline tl;
	struct devsum *d;
	size_t k, pos = 0, ipos = 0, nd, i, nt;

	if (timeline_build(r, interval, &tl))
		exit(EXIT_FAILURE);
	json_open(j, "timeline", '{');
	json_u64(j, "interval_ns", interval);
	json_u64(j, "start_ns", tl.base);
	json_u64(j, "outside", tl.outside);
	json_open(j, "intervals", '[');
	for (k = 0; k < tl.n; k++) {
		top = tl_interval(&tl, k, &pos, &nt, &ipos, &d, &nd);
		json_open(j, NULL, '{');
		json_u64(j, "start_ns", k * interval);
		json_u64(j, "samples", tl.samples[k]);
		json_open(j, "functions", '[');
		for (i = 0; i < nt && i < max; i++) {
			const struct cg_func *f = &tl.g.funcs[top[i].func];

			json_open(j, NULL, '{');
			json_str(j, "comm", f->comm);
			json_str(j, "function", f->name);
			json_str(j, "object", f->obj);
			json_bool(j, "kernel", f->kernel);
			json_u64(j, "samples", top[i].n);
			json_close(j, '}');
		}
		json_close(j, ']');
		json_open(j, "devices", '[');
		for (i = 0; i < nd; i++)
			dev_json(j, &d[i]);
		json_close(j, ']');
		json_close(j, '}');
		dev_sums_free(d, nd);
		free(top);
	}
	json_close(j, ']');
	json_close(j, '}');
	timeline_free(&tl);
}

/* ---- text and JSON ----------------------------------------------------------- */

static void neighbours_text(struct cg *g, const char *name, bool callers,
			    uint64_t samples)
{
	uint64_t matched;
	size_t n, i;
	struct cg_edge *e = cg_neighbours(g, name, callers, &n, &matched);

	printf("\n%s of %s (%" PRIu64 " samples, %.2f%%, have it in their stack):\n",
	       callers ? "callers" : "callees", name, matched, pct(matched, samples));
	printf("%10s %7s  %-16s %-32s %s\n", "samples", "%", "command",
	       callers ? "caller" : "callee", "object");
	for (i = 0; i < n; i++) {
		const struct cg_func *f = e[i].func == CG_NONE ? NULL : &g->funcs[e[i].func];

		printf("%10" PRIu64 " %6.2f%%  %-16s %-32s %s\n", e[i].n,
		       pct(e[i].n, matched), f ? f->comm : "",
		       f ? f->name : callers ? "[root]" : "[self]", f ? f->obj : "");
	}
	free(e);
}

static void neighbours_json(struct json *j, struct cg *g, const char *name,
			    bool callers)
{
	uint64_t matched;
	size_t n, i;
	struct cg_edge *e = cg_neighbours(g, name, callers, &n, &matched);

	json_open(j, callers ? "callers" : "callees", '{');
	json_str(j, "function", name);
	json_u64(j, "samples", matched);
	json_open(j, "entries", '[');
	for (i = 0; i < n; i++) {
		const struct cg_func *f = e[i].func == CG_NONE ? NULL : &g->funcs[e[i].func];

		json_open(j, NULL, '{');
		json_str(j, "comm", f ? f->comm : "");
		json_str(j, "function", f ? f->name : callers ? "[root]" : "[self]");
		json_str(j, "object", f ? f->obj : "");
		json_bool(j, "kernel", f && f->kernel);
		json_u64(j, "samples", e[i].n);
		json_close(j, '}');
	}
	json_close(j, ']');
	json_close(j, '}');
	free(e);
}

static void print_text(struct report *r, const char *path, const struct views *v)
{
	struct procent *p;
	struct funcent *f;
	size_t np, nf, i, nd;
	struct devsum *d;
	struct cg g;

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
	if (r->h.flags & ADP_FILE_F_IRQ) {
		d = dev_sums(r->irqs, r->nirqs, &nd);
		printf("irq group: %zu events\n", r->nirqs);
		for (i = 0; i < nd; i++) {
			printf("  ");
			dev_text(&d[i]);
			putchar('\n');
		}
		dev_sums_free(d, nd);
	}

	p = processes(r, &np);
	printf("\ntop processes:\n%10s %7s %8s  %s\n", "samples", "%", "pid",
	       "command");
	for (i = 0; i < np && i < v->top; i++)
		printf("%10" PRIu64 " %6.2f%% %8" PRIu32 "  %s\n", p[i].n,
		       pct(p[i].n, r->samples), p[i].pid, p[i].comm);
	free(p);

	if (v->children) {
		uint32_t *ids;

		build_cg(r, &g);
		ids = by_total(&g);
		printf("\ntop functions (children: samples with the function in"
		       " their stack; self: as the leaf):\n%10s %7s %10s %7s  %-16s %-32s %s\n",
		       "children", "%", "self", "%", "command", "function", "object");
		for (i = 0; i < g.nfuncs && i < v->top; i++) {
			const struct cg_func *c = &g.funcs[ids[i]];

			printf("%10" PRIu64 " %6.2f%% %10" PRIu64 " %6.2f%%  %-16s %-32s %s\n",
			       c->total, pct(c->total, r->samples), c->self,
			       pct(c->self, r->samples), c->comm, c->name, c->obj);
		}
		free(ids);
		cg_free(&g);
	} else {
		f = functions(r, false, &nf);
		printf("\ntop functions:\n%10s %7s  %-16s %-32s %s\n", "samples", "%",
		       "command", "function", "object");
		for (i = 0; i < nf && i < v->top; i++)
			printf("%10" PRIu64 " %6.2f%%  %-16s %-32s %s\n", f[i].n,
			       pct(f[i].n, r->samples), f[i].comm, f[i].func, f[i].obj);
		free(f);
	}
	if (v->callers || v->callees) {
		build_cg(r, &g);
		if (v->callers)
			neighbours_text(&g, v->callers, true, r->samples);
		if (v->callees)
			neighbours_text(&g, v->callees, false, r->samples);
		cg_free(&g);
	}
	if (v->interval_ns)
		timeline_text(r, v->interval_ns);
}

static void stacks_json(struct json *j, struct report *r, struct cg *g,
			size_t top)
{
	uint32_t *ids = xcalloc(g->nstacks, sizeof(*ids));
	size_t i;
	uint32_t k;

	json_open(j, "stacks", '{');
	json_u64(j, "depth", r->h.depth);
	json_u64(j, "samples", r->stacked);
	json_u64(j, "distinct", r->nstacks);
	json_u64(j, "truncated", r->trunc);
	json_u64(j, "user_bad", r->user_bad);
	for (i = 0; i < g->nstacks; i++)
		ids[i] = i;
	qsort_r(ids, g->nstacks, sizeof(*ids), stack_n_cmp, g->stacks);
	json_open(j, "top", '[');
	for (i = 0; i < g->nstacks && i < top; i++) {
		const struct cg_stack *s = &g->stacks[ids[i]];

		json_open(j, NULL, '{');
		json_str(j, "comm", g->funcs[s->frames[0]].comm);
		json_u64(j, "samples", s->count);
		json_open(j, "frames", '[');
		for (k = 0; k < s->n; k++) {
			const struct cg_func *f = &g->funcs[s->frames[k]];

			json_open(j, NULL, '{');
			json_str(j, "function", f->name);
			json_str(j, "object", f->obj);
			json_bool(j, "kernel", f->kernel);
			json_close(j, '}');
		}
		json_close(j, ']');
		json_close(j, '}');
	}
	json_close(j, ']');
	json_close(j, '}');
	free(ids);
}

static void print_json(struct report *r, const char *path, const struct views *v)
{
	bool stacks = r->h.depth || r->stacked;
	struct procent *p;
	struct funcent *f;
	struct devsum *d;
	size_t np, nf, i, nd;
	struct json j;
	struct cg g;

	build_cg(r, &g);
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
	if (stacks)
		stacks_json(&j, r, &g, v->top);

	p = processes(r, &np);
	json_open(&j, "processes", '[');
	for (i = 0; i < np && i < v->top; i++) {
		json_open(&j, NULL, '{');
		json_u64(&j, "pid", p[i].pid);
		json_str(&j, "comm", p[i].comm);
		json_u64(&j, "samples", p[i].n);
		json_close(&j, '}');
	}
	json_close(&j, ']');
	free(p);

	json_open(&j, "functions", '[');
	if (v->children) {
		uint32_t *ids = by_total(&g);

		for (i = 0; i < g.nfuncs && i < v->top; i++) {
			const struct cg_func *c = &g.funcs[ids[i]];

			json_open(&j, NULL, '{');
			json_str(&j, "comm", c->comm);
			json_str(&j, "function", c->name);
			json_str(&j, "object", c->obj);
			json_bool(&j, "kernel", c->kernel);
			json_u64(&j, "samples", c->self);
			json_u64(&j, "self", c->self);
			json_u64(&j, "total", c->total);
			json_close(&j, '}');
		}
		free(ids);
	} else {
		f = functions(r, false, &nf);
		for (i = 0; i < nf && i < v->top; i++) {
			json_open(&j, NULL, '{');
			json_str(&j, "comm", f[i].comm);
			json_str(&j, "function", f[i].func);
			json_str(&j, "object", f[i].obj);
			json_bool(&j, "kernel", f[i].kernel);
			json_u64(&j, "samples", f[i].n);
			if (stacks) {
				uint32_t id = cg_func(&g, f[i].comm, f[i].func,
						      f[i].obj, f[i].kernel);

				json_u64(&j, "self", g.funcs[id].self);
				json_u64(&j, "total", g.funcs[id].total);
			}
			json_close(&j, '}');
		}
		free(f);
	}
	json_close(&j, ']');
	if (v->callers)
		neighbours_json(&j, &g, v->callers, true);
	if (v->callees)
		neighbours_json(&j, &g, v->callees, false);
	if (r->h.flags & ADP_FILE_F_IRQ) {
		d = dev_sums(r->irqs, r->nirqs, &nd);
		json_open(&j, "irq", '{');
		json_open(&j, "devices", '[');
		for (i = 0; i < nd; i++)
			dev_json(&j, &d[i]);
		json_close(&j, ']');
		json_open(&j, "events", '[');
		for (i = 0; i < r->nirqs; i++) {
			const struct adp_irq *e = &r->irqs[i];

			json_open(&j, NULL, '{');
			json_u64(&j, "dev_id", e->dev_id);
			json_str(&j, "kind", e->kind == ADP_IRQ_DMA_FAULT ?
				 "dma_fault" : "interrupt");
			if (e->kind == ADP_IRQ_DMA_FAULT) {
				json_u64(&j, "iova", e->iova);
				json_str(&j, "access", e->dma_flags & ADPROF_DMA_F_WRITE ?
					 "write" : "read");
			} else {
				json_u64(&j, "vector", e->vector);
				json_u64(&j, "guest_irq", e->guest_irq);
			}
			json_u64(&j, "count", e->count);
			json_u64(&j, "timestamp_ns", e->time_ns);
			json_u64(&j, "latency_ns", irq_latency(e));
			json_close(&j, '}');
		}
		json_close(&j, ']');
		json_close(&j, '}');
		dev_sums_free(d, nd);
	}
	if (v->interval_ns)
		timeline_json(&j, r, v->interval_ns, v->top);
	json_close(&j, '}');
	cg_free(&g);
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
		for (c = report_comm(r, e->pid); *c; c++)
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

/* The format of -f; -1 if unknown. */
static int parse_format(const char *s)
{
	static const char *const names[] = {
		[FMT_TEXT] = "text", [FMT_JSON] = "json", [FMT_FOLDED] = "folded",
		[FMT_PERF] = "perf-data", [FMT_PPROF] = "pprof",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(s, names[i]))
			return i;
	return -1;
}

/* perf-data and pprof: to -o FILE ("-": standard output). */
static int convert(struct report *r, enum fmt fmt, const char *out)
{
	FILE *f = strcmp(out, "-") ? fopen(out, "w") : stdout;
	struct stat st;
	int ret;

	if (!f) {
		fprintf(stderr, "adprofctl: report: %s: %s\n", out, strerror(errno));
		return -1;
	}
	ret = fmt == FMT_PERF ? perf_data_write(r, f) : pprof_write(r, f);
	if (fflush(f) && !ret) {
		fprintf(stderr, "adprofctl: report: %s: %s\n", out, strerror(errno));
		ret = -1;
	}
	if (f != stdout && fclose(f) && !ret) {
		fprintf(stderr, "adprofctl: report: %s: %s\n", out, strerror(errno));
		ret = -1;
	}
	/* Leave no half-written file; never remove what is not one. */
	if (ret && f != stdout && !stat(out, &st) && S_ISREG(st.st_mode))
		unlink(out);
	return ret;
}

enum {
	OPT_NO_CHILDREN = 256,
	OPT_CALLERS,
	OPT_CALLEES,
	OPT_TIMELINE,
};

int cmd_report(struct adp_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "top", required_argument, NULL, 'n' },
		{ "kallsyms", required_argument, NULL, 'k' },
		{ "output", required_argument, NULL, 'o' },
		{ "no-children", no_argument, NULL, OPT_NO_CHILDREN },
		{ "callers", required_argument, NULL, OPT_CALLERS },
		{ "callees", required_argument, NULL, OPT_CALLEES },
		{ "timeline", optional_argument, NULL, OPT_TIMELINE },
		{}
	};
	const char *path = "adprof.data", *kallsyms = "/proc/kallsyms", *out = NULL;
	enum fmt fmt = ctx->json ? FMT_JSON : FMT_TEXT;
	struct views v = { .top = 10 };
	bool no_children = false;
	struct report r = {};
	uint64_t ms = 1000;
	uint32_t top = 10;
	int c, ret;

	while ((c = getopt_long(argc, argv, ":f:n:k:o:", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			ret = parse_format(optarg);
			if (ret < 0)
				return arg_error(ctx, "format", optarg, -EINVAL);
			fmt = ret;
			break;
		case 'n':
			ret = arg_u32(ctx, "count", optarg, 1, UINT32_MAX, &top);
			if (ret)
				return ret;
			v.top = top;
			break;
		case 'k':
			kallsyms = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case OPT_NO_CHILDREN:
			no_children = true;
			break;
		case OPT_CALLERS:
			v.callers = optarg;
			break;
		case OPT_CALLEES:
			v.callees = optarg;
			break;
		case OPT_TIMELINE:
			/* "--timeline 500ms" as well as "--timeline=500ms" */
			if (!optarg && optind < argc - 1 &&
			    !parse_duration_ms(argv[optind], &ms))
				optarg = argv[optind++];
			if (optarg) {
				ret = parse_duration_ms(optarg, &ms);
				if (ret || !ms)
					return arg_error(ctx, "interval", optarg,
							 ret ? ret : -ERANGE);
			}
			v.interval_ns = ms * 1000000ULL;
			break;
		default:
			return opt_error(ctx, c, argv);
		}
	}
	if (optind < argc - 1)
		return usage_error(ctx);
	if (optind == argc - 1)
		path = argv[optind];
	if ((fmt == FMT_PERF || fmt == FMT_PPROF) != !!out) {
		fprintf(stderr, "adprofctl: report: %s\n", out ?
			"-o is for --format perf-data and pprof" :
			"--format perf-data and pprof write to -o FILE");
		return usage_error(ctx);
	}

	r.sym = sym_new(kallsyms);
	r.kallsyms = kallsyms;
	r.keep_ts = v.interval_ns;
	ret = load(&r, path);
	/* Children by default for a recording with stacks, as perf report. */
	v.children = !no_children && (r.h.depth || r.stacked);
	if (!ret) {
		if (fmt == FMT_TEXT)
			print_text(&r, path, &v);
		else if (fmt == FMT_JSON)
			print_json(&r, path, &v);
		else if (fmt == FMT_FOLDED)
			print_folded(&r);
		else
			ret = convert(&r, fmt, out);
	}
	sym_free(r.sym);
	free(r.buf);
	free(r.names);
	free(r.pcs);
	for (size_t i = 0; i < r.stack_slots; i++)
		free(r.stacks[i].pcs);
	free(r.stacks);
	free(r.next_seq);
	free(r.irqs);
	free(r.ts);
	return ret ? EXIT_FAILURE : EXIT_SUCCESS;
}

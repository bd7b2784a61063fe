// SPDX-License-Identifier: GPL-2.0
/*
 * report --format pprof: the recording as a gzipped profile.proto, the
 * format of pprof (go tool pprof) and of the fleet profilers that read it
 * (Pyroscope, Parca, Grafana). Encoded by Debian's libprotobuf-c from
 * profile.proto (pprof's schema); compressed by zlib.
 *
 *   sample_type    samples/count, cpu/nanoseconds (count x period)
 *   period_type    cpu/nanoseconds, period: the sampling interval
 *   sample         one per distinct (process, thread, stack), leaf first,
 *                  labels "comm" (process name), "pid" and "tid"
 *   location       one per distinct (process, address, kernel, return
 *                  address), named by report's symbolizer: one line, its
 *                  function; return addresses are named by address - 1
 *   function       one per (name, object), the object as its file name
 *   mapping        one per object (executable or [kernel.kallsyms]), with
 *                  has_functions, so pprof does not symbolize again
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "parse.h"
#include "profile.pb-c.h"
#include "report.h"
#include "symbols.h"

typedef Perftools__Profiles__Profile Profile;
typedef Perftools__Profiles__Sample Sample;
typedef Perftools__Profiles__Location Location;
typedef Perftools__Profiles__Function Function;
typedef Perftools__Profiles__Mapping Mapping;
typedef Perftools__Profiles__Line Line;
typedef Perftools__Profiles__Label Label;
typedef Perftools__Profiles__ValueType ValueType;

/*
 * One hash table for every kind of key: byte strings to an index, open
 * addressing. The keys are copied.
 */
struct tab {
	struct slot { uint64_t hash; void *key; size_t len; size_t idx; } *s;
	size_t n, cap;
};

static uint64_t fnv(const void *p, size_t len)
{
	const unsigned char *c = p;
	uint64_t h = 0xcbf29ce484222325ULL;

	while (len--)
		h = (h ^ *c++) * 0x100000001b3ULL;
	return h | 1;
}

/* The index of @key, or @next (the count of keys) if it is new; *@isnew. */
static size_t tab_get(struct tab *t, const void *key, size_t len, bool *isnew)
{
	uint64_t h = fnv(key, len);
	size_t i, j;

	if (t->n * 2 >= t->cap) {
		struct slot *old = t->s;
		size_t ocap = t->cap;

		t->cap = ocap ? ocap * 2 : 1024;
		t->s = report_alloc(NULL, t->cap, sizeof(*t->s));
		memset(t->s, 0, t->cap * sizeof(*t->s));
		for (j = 0; j < ocap; j++) {
			if (!old[j].hash)
				continue;
			for (i = old[j].hash % t->cap; t->s[i].hash; i = (i + 1) % t->cap)
				;
			t->s[i] = old[j];
		}
		free(old);
	}
	for (i = h % t->cap; t->s[i].hash; i = (i + 1) % t->cap) {
		if (t->s[i].hash == h && t->s[i].len == len && !memcmp(t->s[i].key, key, len)) {
			*isnew = false;
			return t->s[i].idx;
		}
	}
	t->s[i].hash = h;
	t->s[i].key = report_alloc(NULL, len, 1);
	memcpy(t->s[i].key, key, len);
	t->s[i].len = len;
	t->s[i].idx = t->n++;
	*isnew = true;
	return t->s[i].idx;
}

static void tab_free(struct tab *t)
{
	size_t i;

	for (i = 0; i < t->cap; i++)
		free(t->s[i].key);
	free(t->s);
}

/* A growing array of pointers. */
#define PUSH(arr, n, cap, v) do {					\
		if ((n) == (cap)) {					\
			(cap) = (cap) ? (cap) * 2 : 256;		\
			(arr) = report_alloc((arr), (cap), sizeof(*(arr))); \
		}							\
		(arr)[(n)++] = (v);					\
	} while (0)

struct pp {
	struct report *r;
	Profile p;
	size_t nstr_cap, nsample_cap, nloc_cap, nfunc_cap, nmap_cap;
	struct tab strs, locs, funcs, maps, samples;
	int64_t k_comm, k_pid, k_tid;
	uint64_t period;
};

static void *xzalloc(size_t size)
{
	void *p = report_alloc(NULL, 1, size);

	memset(p, 0, size);
	return p;
}

/* The string table index of @s (0 is ""). */
static int64_t str(struct pp *pp, const char *s)
{
	bool isnew;
	size_t i = tab_get(&pp->strs, s, strlen(s), &isnew);

	if (isnew) {
		char *copy = report_alloc(NULL, strlen(s) + 1, 1);	/* exits if out of memory */

		strcpy(copy, s);
		PUSH(pp->p.string_table, pp->p.n_string_table, pp->nstr_cap, copy);
	}
	return i;
}

static uint64_t mapping(struct pp *pp, const char *obj)
{
	bool isnew;
	size_t i = tab_get(&pp->maps, obj, strlen(obj), &isnew);

	if (isnew) {
		Mapping *m = xzalloc(sizeof(*m));

		perftools__profiles__mapping__init(m);
		m->id = i + 1;
		m->filename = str(pp, obj);
		m->has_functions = 1;
		PUSH(pp->p.mapping, pp->p.n_mapping, pp->nmap_cap, m);
	}
	return i + 1;
}

static uint64_t function(struct pp *pp, const char *name, const char *obj)
{
	size_t ln = strlen(name), lo = strlen(obj);
	char *key = report_alloc(NULL, ln + lo + 2, 1);
	bool isnew;
	size_t i;

	memcpy(key, name, ln + 1);
	memcpy(key + ln + 1, obj, lo + 1);
	i = tab_get(&pp->funcs, key, ln + lo + 2, &isnew);
	free(key);
	if (isnew) {
		Function *f = xzalloc(sizeof(*f));

		perftools__profiles__function__init(f);
		f->id = i + 1;
		f->name = f->system_name = str(pp, name);
		f->filename = str(pp, obj);
		PUSH(pp->p.function, pp->p.n_function, pp->nfunc_cap, f);
	}
	return i + 1;
}

/* The location of @pc in process @pid; a return address is named by pc - 1. */
static uint64_t location(struct pp *pp, uint32_t pid, uint64_t pc, bool kernel,
			 bool ret)
{
	struct { uint64_t pc; uint32_t pid; uint8_t kernel, ret, pad[2]; } key = {
		pc, pid, kernel, ret, { 0, 0 },
	};
	const char *name, *obj;
	bool isnew;
	size_t i = tab_get(&pp->locs, &key, sizeof(key), &isnew);

	if (isnew) {
		Location *l = xzalloc(sizeof(*l));
		Line *line = xzalloc(sizeof(*line));

		sym_resolve(pp->r->sym, pid, ret && pc ? pc - 1 : pc, kernel, &name, &obj);
		perftools__profiles__location__init(l);
		perftools__profiles__line__init(line);
		l->id = i + 1;
		l->address = pc;
		l->mapping_id = mapping(pp, obj);
		line->function_id = function(pp, name, obj);
		l->n_line = 1;
		l->line = report_alloc(NULL, 1, sizeof(*l->line));
		l->line[0] = line;
		PUSH(pp->p.location, pp->p.n_location, pp->nloc_cap, l);
	}
	return i + 1;
}

static Label *label(int64_t key, int64_t s, int64_t num)
{
	Label *l = xzalloc(sizeof(*l));

	perftools__profiles__label__init(l);
	l->key = key;
	l->str = s;
	l->num = num;
	return l;
}

/* Count the sample record @s, or a count record as its count of samples. */
static void sample(struct pp *pp, const struct adprof_sample *s)
{
	uint64_t w = adprof_record_samples(s);
	const struct adprof_stack *st = (const void *)(s + 1);
	bool kernel = s->flags & ADPROF_SAMPLE_F_KERNEL;
	unsigned int i, nk = 0, nu = 0, n = 0;
	uint64_t ids[1 + ADPROF_STACK_DEPTH_MAX + 2];
	size_t idx;
	bool isnew;
	Sample *sm;

	/* key: pid, tid, then the location ids, leaf first */
	ids[n++] = (uint64_t)s->pid << 32 | s->tid;
	ids[n++] = location(pp, s->pid, s->pc, kernel, false);
	if (s->flags & ADPROF_SAMPLE_F_STACK) {
		nk = st->nr_kernel;
		nu = st->nr_user;
	}
	for (i = 0; i < nk + nu; i++)
		ids[n++] = location(pp, s->pid, st->pc[i], i < nk, true);
	idx = tab_get(&pp->samples, ids, n * sizeof(*ids), &isnew);
	if (!isnew) {
		sm = pp->p.sample[idx];
		sm->value[0] += w;
		sm->value[1] += w * pp->period;
		return;
	}
	sm = xzalloc(sizeof(*sm));
	perftools__profiles__sample__init(sm);
	sm->n_location_id = n - 1;
	sm->location_id = report_alloc(NULL, n - 1, sizeof(uint64_t));
	memcpy(sm->location_id, ids + 1, (n - 1) * sizeof(uint64_t));
	sm->n_value = 2;
	sm->value = report_alloc(NULL, 2, sizeof(int64_t));
	sm->value[0] = w;
	sm->value[1] = w * pp->period;
	sm->n_label = 3;
	sm->label = report_alloc(NULL, 3, sizeof(*sm->label));
	sm->label[0] = label(pp->k_comm, str(pp, report_comm(pp->r, s->pid)), 0);
	sm->label[1] = label(pp->k_pid, 0, s->pid);
	sm->label[2] = label(pp->k_tid, 0, s->tid);
	PUSH(pp->p.sample, pp->p.n_sample, pp->nsample_cap, sm);
}

static ValueType *value_type(struct pp *pp, const char *type, const char *unit)
{
	ValueType *v = xzalloc(sizeof(*v));

	perftools__profiles__value_type__init(v);
	v->type = str(pp, type);
	v->unit = str(pp, unit);
	return v;
}

/*
 * pprof takes the first mapping for the profile's main binary ("File:"):
 * the executable with the most samples, not [kernel.kallsyms] because a
 * kernel address came first. Mapping ids stay; only the order changes.
 */
static void main_mapping_first(Profile *p)
{
	uint64_t *n;
	size_t i, best = 0;
	Mapping *m;

	if (!p->n_mapping)
		return;
	n = report_alloc(NULL, p->n_mapping, sizeof(*n));
	memset(n, 0, p->n_mapping * sizeof(*n));
	for (i = 0; i < p->n_sample; i++) {
		const Location *l = p->location[p->sample[i]->location_id[0] - 1];

		n[l->mapping_id - 1] += p->sample[i]->value[0];
	}
	for (i = 0; i < p->n_mapping; i++)
		if (p->string_table[p->mapping[i]->filename][0] != '[' &&
		    (p->string_table[p->mapping[best]->filename][0] == '[' || n[i] > n[best]))
			best = i;
	m = p->mapping[0];
	p->mapping[0] = p->mapping[best];
	p->mapping[best] = m;
	free(n);
}

/* gzip @len bytes of @in to @f. */
static int gzip_out(const uint8_t *in, size_t len, FILE *f)
{
	unsigned char buf[65536];
	z_stream z = {};
	int ret;

	if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
			 Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	z.next_in = (uint8_t *)in;
	z.avail_in = len;	/* a profile is well below 4 GiB: see pprof_write */
	do {
		size_t n;

		z.next_out = buf;
		z.avail_out = sizeof(buf);
		ret = deflate(&z, Z_FINISH);
		n = sizeof(buf) - z.avail_out;
		if (ret == Z_STREAM_ERROR || fwrite(buf, 1, n, f) != n) {
			deflateEnd(&z);
			return -1;
		}
	} while (ret != Z_STREAM_END);
	deflateEnd(&z);
	return 0;
}

static void profile_free(Profile *p)
{
	size_t i, j;

	for (i = 0; i < p->n_sample; i++) {
		for (j = 0; j < p->sample[i]->n_label; j++)
			free(p->sample[i]->label[j]);
		free(p->sample[i]->label);
		free(p->sample[i]->location_id);
		free(p->sample[i]->value);
		free(p->sample[i]);
	}
	for (i = 0; i < p->n_location; i++) {
		free(p->location[i]->line[0]);
		free(p->location[i]->line);
		free(p->location[i]);
	}
	for (i = 0; i < p->n_function; i++)
		free(p->function[i]);
	for (i = 0; i < p->n_mapping; i++)
		free(p->mapping[i]);
	for (i = 0; i < p->n_string_table; i++)
		free(p->string_table[i]);
	for (i = 0; i < p->n_sample_type; i++)
		free(p->sample_type[i]);
	free(p->period_type);
	free(p->sample);
	free(p->location);
	free(p->function);
	free(p->mapping);
	free(p->string_table);
	free(p->sample_type);
}

int pprof_write(struct report *r, FILE *f)
{
	uint64_t freq = r->h.freq ? r->h.freq : ADPROF_FREQ_DEFAULT;
	struct pp pp = { .r = r, .period = 1000000000ULL / freq };
	const struct adprof_sample *s;
	struct rf_chunk c;
	const char *why;
	uint8_t *buf;
	struct rf rf;
	size_t off, len;
	bool bad;
	int ret;

	perftools__profiles__profile__init(&pp.p);
	str(&pp, "");
	pp.p.n_sample_type = 2;
	pp.p.sample_type = report_alloc(NULL, 2, sizeof(*pp.p.sample_type));
	pp.p.sample_type[0] = value_type(&pp, "samples", "count");
	pp.p.sample_type[1] = value_type(&pp, "cpu", "nanoseconds");
	pp.p.period_type = value_type(&pp, "cpu", "nanoseconds");
	pp.p.period = pp.period;
	if (r->h.end_ns > r->h.start_ns)
		pp.p.duration_nanos = r->h.end_ns - r->h.start_ns;
	else if (r->tmax > r->tmin)
		pp.p.duration_nanos = r->tmax - r->tmin;
	pp.k_comm = str(&pp, "comm");
	pp.k_pid = str(&pp, "pid");
	pp.k_tid = str(&pp, "tid");

	rf_open(&rf, r->buf, r->size, &why);
	while (rf_next(&rf, &c, &why) > 0) {
		if (c.type != ADP_CHUNK_BATCH)
			continue;
		off = 0;
		bad = false;
		while ((s = rec_next((const struct adp_batch *)c.p + 1,
				     c.len - sizeof(struct adp_batch), &off, &bad)))
			if (!(s->flags & ADPROF_SAMPLE_F_COMM))
				sample(&pp, s);
	}

	main_mapping_first(&pp.p);
	len = perftools__profiles__profile__get_packed_size(&pp.p);
	buf = report_alloc(NULL, len, 1);
	perftools__profiles__profile__pack(&pp.p, buf);
	ret = len > UINT32_MAX ? -1 : gzip_out(buf, len, f);
	if (ret)
		fprintf(stderr, "adprofctl: report: writing the pprof profile: %s\n",
			len > UINT32_MAX ? "larger than 4 GiB" : "write or compression failed");
	free(buf);
	profile_free(&pp.p);
	tab_free(&pp.strs);
	tab_free(&pp.locs);
	tab_free(&pp.funcs);
	tab_free(&pp.maps);
	tab_free(&pp.samples);
	return ret;
}

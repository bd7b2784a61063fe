// SPDX-License-Identifier: GPL-2.0
/* Call stacks by function; see callgraph.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "callgraph.h"

static void __attribute__((noreturn)) oom(void)
{
	fprintf(stderr, "adprofctl: report: out of memory\n");
	exit(EXIT_FAILURE);
}

static void *cg_alloc(void *p, size_t n, size_t size)
{
	p = realloc(p, (n ? n : 1) * size);
	if (!p)
		oom();
	return p;
}

static uint64_t mix(uint64_t h, uint64_t x)
{
	h ^= x;
	h *= 0x100000001b3ULL;
	h ^= h >> 29;
	return h;
}

static uint64_t str_hash(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = mix(h, (unsigned char)*s);
	return mix(h, 0x100);
}

static uint64_t func_hash(const char *comm, const char *name, const char *obj,
			  bool kernel)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	h = str_hash(h, comm);
	h = str_hash(h, name);
	h = str_hash(h, obj);
	return mix(h, kernel);
}

void cg_init(struct cg *g)
{
	memset(g, 0, sizeof(*g));
}

void cg_free(struct cg *g)
{
	size_t i;

	for (i = 0; i < g->nstacks; i++)
		free(g->stacks[i].frames);
	free(g->stacks);
	free(g->sslots);
	free(g->funcs);
	free(g->fslots);
	memset(g, 0, sizeof(*g));
}

static void func_rehash(struct cg *g)
{
	size_t i, j;

	g->nfslots = g->nfslots ? g->nfslots * 2 : 1024;
	free(g->fslots);
	g->fslots = calloc(g->nfslots, sizeof(*g->fslots));
	if (!g->fslots)
		oom();
	for (i = 0; i < g->nfuncs; i++) {
		const struct cg_func *f = &g->funcs[i];

		for (j = func_hash(f->comm, f->name, f->obj, f->kernel) % g->nfslots;
		     g->fslots[j]; j = (j + 1) % g->nfslots)
			;
		g->fslots[j] = i + 1;
	}
}

/**
 * cg_func() - the id of a function, added if new
 * @g: graph
 * @comm: process name
 * @name: function name
 * @obj: object (file) name
 * @kernel: a kernel function
 *
 * Return: its id, an index into g->funcs.
 */
uint32_t cg_func(struct cg *g, const char *comm, const char *name,
		 const char *obj, bool kernel)
{
	struct cg_func *f;
	size_t j;

	if ((g->nfuncs + 1) * 2 > g->nfslots)
		func_rehash(g);
	for (j = func_hash(comm, name, obj, kernel) % g->nfslots; g->fslots[j];
	     j = (j + 1) % g->nfslots) {
		f = &g->funcs[g->fslots[j] - 1];
		if (f->kernel == kernel && !strcmp(f->name, name) &&
		    !strcmp(f->comm, comm) && !strcmp(f->obj, obj))
			return g->fslots[j] - 1;
	}
	if (g->nfuncs == g->fcap) {
		g->fcap = g->fcap ? g->fcap * 2 : 256;
		g->funcs = cg_alloc(g->funcs, g->fcap, sizeof(*g->funcs));
	}
	f = &g->funcs[g->nfuncs];
	memset(f, 0, sizeof(*f));
	f->comm = comm;
	f->name = name;
	f->obj = obj;
	f->kernel = kernel;
	g->fslots[j] = ++g->nfuncs;
	return g->nfuncs - 1;
}

static uint64_t stack_hash(const uint32_t *frames, uint32_t n)
{
	uint64_t h = mix(0xcbf29ce484222325ULL, n);
	uint32_t i;

	for (i = 0; i < n; i++)
		h = mix(h, frames[i]);
	return h;
}

static void stack_rehash(struct cg *g)
{
	size_t i, j;

	g->nsslots = g->nsslots ? g->nsslots * 2 : 1024;
	free(g->sslots);
	g->sslots = calloc(g->nsslots, sizeof(*g->sslots));
	if (!g->sslots)
		oom();
	for (i = 0; i < g->nstacks; i++) {
		for (j = g->stacks[i].hash % g->nsslots; g->sslots[j];
		     j = (j + 1) % g->nsslots)
			;
		g->sslots[j] = i + 1;
	}
}

/**
 * cg_add() - count @count samples of a stack
 * @g: graph
 * @frames: function ids, root first; @n of them, at least 1
 * @n: frames
 * @count: samples
 */
void cg_add(struct cg *g, const uint32_t *frames, uint32_t n, uint64_t count)
{
	uint64_t h = stack_hash(frames, n);
	struct cg_stack *s;
	uint32_t i;
	size_t j;

	if (!n || !count)
		return;
	g->epoch++;
	g->funcs[frames[n - 1]].self += count;
	for (i = 0; i < n; i++) {
		struct cg_func *f = &g->funcs[frames[i]];

		if (f->seen != g->epoch) {
			f->seen = g->epoch;
			f->total += count;
		}
	}

	if ((g->nstacks + 1) * 2 > g->nsslots)
		stack_rehash(g);
	for (j = h % g->nsslots; g->sslots[j]; j = (j + 1) % g->nsslots) {
		s = &g->stacks[g->sslots[j] - 1];
		if (s->hash == h && s->n == n &&
		    !memcmp(s->frames, frames, n * sizeof(*frames))) {
			s->count += count;
			return;
		}
	}
	if (g->nstacks == g->scap) {
		g->scap = g->scap ? g->scap * 2 : 256;
		g->stacks = cg_alloc(g->stacks, g->scap, sizeof(*g->stacks));
	}
	s = &g->stacks[g->nstacks];
	s->frames = cg_alloc(NULL, n, sizeof(*frames));
	memcpy(s->frames, frames, n * sizeof(*frames));
	s->n = n;
	s->count = count;
	s->hash = h;
	g->sslots[j] = ++g->nstacks;
}

static void edge_add(struct cg_edge **e, size_t *n, uint32_t func,
		     uint64_t count)
{
	size_t i;

	for (i = 0; i < *n; i++) {
		if ((*e)[i].func == func) {
			(*e)[i].n += count;
			return;
		}
	}
	*e = cg_alloc(*e, *n + 1, sizeof(**e));
	(*e)[(*n)++] = (struct cg_edge){ .func = func, .n = count };
}

static int edge_cmp(const void *a, const void *b)
{
	const struct cg_edge *x = a, *y = b;

	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return x->func < y->func ? -1 : x->func > y->func;
}

/**
 * cg_neighbours() - the callers or callees of every function named @name
 * @g: graph
 * @name: function name, of any command and object
 * @callers: callers (the frame nearer the root) rather than callees
 * @nedges: number of edges returned
 * @matched: samples with @name in their stack
 *
 * A sample counts once for each distinct neighbour it has, so under
 * recursion the edges may add up to more than @matched. CG_NONE stands
 * for the root (no caller) or for @name itself being the leaf (no callee).
 *
 * Return: the edges, most samples first; free() them.
 */
struct cg_edge *cg_neighbours(struct cg *g, const char *name, bool callers,
			      size_t *nedges, uint64_t *matched)
{
	struct cg_edge *e = NULL, *mine = NULL;
	size_t i, n = 0, nmine;
	uint32_t k, nb;

	*matched = 0;
	for (i = 0; i < g->nstacks; i++) {
		const struct cg_stack *s = &g->stacks[i];

		nmine = 0;
		for (k = 0; k < s->n; k++) {
			if (strcmp(g->funcs[s->frames[k]].name, name))
				continue;
			if (callers)
				nb = k ? s->frames[k - 1] : CG_NONE;
			else
				nb = k + 1 < s->n ? s->frames[k + 1] : CG_NONE;
			edge_add(&mine, &nmine, nb, 1);
		}
		if (!nmine)
			continue;
		*matched += s->count;
		for (k = 0; k < nmine; k++)
			edge_add(&e, &n, mine[k].func, s->count);
		free(mine);
		mine = NULL;
	}
	if (n)
		qsort(e, n, sizeof(*e), edge_cmp);
	*nedges = n;
	return e;
}

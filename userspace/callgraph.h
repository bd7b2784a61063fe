/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Call stacks by function, for report's children view and its callers and
 * callees views: pure counting, no I/O. A function is (command, name,
 * object, kernel); a stack is the list of its functions, root first, leaf
 * last, with the samples that had it. Identical stacks are merged.
 *
 * self:  samples whose leaf is the function (perf report's "Self")
 * total: samples with the function anywhere in their stack, each sample
 *        counted once however often it recurses (perf's "Children")
 *
 * Strings are not copied: they must outlive the graph.
 */
#ifndef ADPROF_CALLGRAPH_H
#define ADPROF_CALLGRAPH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CG_NONE		UINT32_MAX	/* no caller (root), no callee (leaf) */

struct cg_func {
	const char *comm, *name, *obj;
	bool kernel;
	uint64_t self, total;
	uint64_t seen;		/* internal: last stack that counted it */
};

struct cg_stack {
	uint32_t *frames;	/* function ids, root first */
	uint32_t n;
	uint64_t count;
	uint64_t hash;
};

struct cg {
	struct cg_func *funcs;
	size_t nfuncs, fcap;
	uint32_t *fslots;	/* open addressing: function id + 1, 0 empty */
	size_t nfslots;
	struct cg_stack *stacks;
	size_t nstacks, scap;
	uint32_t *sslots;	/* open addressing: stack index + 1 */
	size_t nsslots;
	uint64_t epoch;
};

/* A caller or callee of the functions a view names, with its samples. */
struct cg_edge {
	uint32_t func;		/* CG_NONE: the root (callers), self (callees) */
	uint64_t n;
};

void cg_init(struct cg *g);
void cg_free(struct cg *g);
uint32_t cg_func(struct cg *g, const char *comm, const char *name,
		 const char *obj, bool kernel);
void cg_add(struct cg *g, const uint32_t *frames, uint32_t n, uint64_t count);
struct cg_edge *cg_neighbours(struct cg *g, const char *name, bool callers,
			      size_t *nedges, uint64_t *matched);

#endif /* ADPROF_CALLGRAPH_H */

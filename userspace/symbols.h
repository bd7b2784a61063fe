/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Address to function names for adprofctl report: kernel addresses with
 * /proc/kallsyms as it reads now, user addresses with the process's maps
 * recorded in the file and the ELF symbols (.symtab, else .dynsym) of the
 * mapped files as they are on disk now, read with libelf.
 */
#ifndef ADPROF_SYMBOLS_H
#define ADPROF_SYMBOLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct symbolizer;

struct symbolizer *sym_new(const char *kallsyms);
void sym_free(struct symbolizer *s);
int sym_add_maps(struct symbolizer *s, uint32_t pid, const char *text,
		 size_t len);
void sym_resolve(struct symbolizer *s, uint32_t pid, uint64_t pc, bool kernel,
		 const char **func, const char **obj);

/* Exposed for the unit tests: one line of /proc/PID/maps. */
struct sym_map {
	uint64_t start, end, pgoff;
	char *path;		/* NULL for an anonymous mapping */
	bool exec;
};

int sym_parse_maps_line(const char *line, struct sym_map *m);

#endif /* ADPROF_SYMBOLS_H */

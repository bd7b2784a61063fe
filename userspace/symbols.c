// SPDX-License-Identifier: GPL-2.0
/*
 * Symbolization for adprofctl report; see symbols.h.
 *
 * Kernel: the text symbols of /proc/kallsyms sorted by address; a PC
 * belongs to the last symbol at or below it. Without permission to read
 * addresses (kptr_restrict) every kernel PC is "[kernel]".
 *
 * User: the executable mapping holding the PC in the newest maps snapshot
 * of its pid that has one gives the file and the file offset
 * (pc - start + pgoff); the PT_LOAD segment holding that offset turns it
 * into the ELF virtual address (off - p_offset + p_vaddr), which handles
 * PIE and shared objects loaded anywhere as well as fixed executables.
 * The function is the FUNC symbol at or below it, if the address falls
 * within its size.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <gelf.h>
#include <libelf.h>

#include "symbols.h"

#define UNKNOWN "[unknown]"

struct ksym {
	uint64_t addr;
	const char *name;
	const char *obj;	/* "[kernel.kallsyms]" or "[module]" */
};

struct esym {
	uint64_t addr, size;
	const char *name;
	int global;
};

struct eload {
	uint64_t off, filesz, vaddr;
};

struct elfinfo {
	char *path;
	bool ok;
	struct eload *loads;
	size_t nloads;
	struct esym *syms;
	size_t nsyms;
	char *strings;		/* names, NUL-separated */
};

/* One maps snapshot of one pid. */
struct snapshot {
	uint32_t pid;
	struct sym_map *maps;
	size_t nmaps;
};

struct symbolizer {
	struct ksym *ksyms;
	size_t nksyms;
	char *kstrings;
	struct snapshot *snaps;
	size_t nsnaps;
	struct elfinfo *elfs;
	size_t nelfs;
};

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fprintf(stderr, "adprofctl: report: out of memory\n");
		exit(EXIT_FAILURE);
	}
	return p;
}

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xrealloc(NULL, n), s, n);
}

static int ksym_cmp(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* Kernel text symbols; names and objects point into one string block. */
static void load_kallsyms(struct symbolizer *s, const char *path)
{
	size_t cap = 0, scap = 0, slen = 0, i;
	char line[512], name[256], mod[128], type;
	const char *obj;
	unsigned long long addr;
	bool any = false;
	FILE *f;
	int n;

	f = fopen(path, "r");
	if (!f)
		return;
	/* Two passes over the strings would cost more than offsets. */
	while (fgets(line, sizeof(line), f)) {
		mod[0] = '\0';
		n = sscanf(line, "%llx %c %255s [%127[^]]]", &addr, &type, name, mod);
		if (n < 3 || (type != 't' && type != 'T' && type != 'w' && type != 'W'))
			continue;
		if (addr)
			any = true;
		if (s->nksyms == cap) {
			cap = cap ? cap * 2 : 65536;
			s->ksyms = xrealloc(s->ksyms, cap * sizeof(*s->ksyms));
		}
		obj = mod[0] ? mod : "kernel.kallsyms";
		/* name, NUL, "[obj]", NUL */
		while (slen + strlen(name) + strlen(obj) + 4 > scap) {
			scap = scap ? scap * 2 : 1 << 20;
			s->kstrings = xrealloc(s->kstrings, scap);
		}
		s->ksyms[s->nksyms].addr = addr;
		/* Offsets for now: the block may move. */
		s->ksyms[s->nksyms].name = (const char *)(uintptr_t)slen;
		slen += sprintf(s->kstrings + slen, "%s", name) + 1;
		s->ksyms[s->nksyms].obj = (const char *)(uintptr_t)slen;
		slen += sprintf(s->kstrings + slen, "[%s]", obj) + 1;
		s->nksyms++;
	}
	fclose(f);
	for (i = 0; i < s->nksyms; i++) {
		s->ksyms[i].name = s->kstrings + (uintptr_t)s->ksyms[i].name;
		s->ksyms[i].obj = s->kstrings + (uintptr_t)s->ksyms[i].obj;
	}
	if (!any) {	/* addresses hidden: useless */
		s->nksyms = 0;
		return;
	}
	qsort(s->ksyms, s->nksyms, sizeof(*s->ksyms), ksym_cmp);
}

/**
 * sym_new() - a symbolizer with the kernel's symbols loaded
 * @kallsyms: path of the kallsyms file, normally /proc/kallsyms
 *
 * Return: the symbolizer; exits when out of memory.
 */
struct symbolizer *sym_new(const char *kallsyms)
{
	struct symbolizer *s = xrealloc(NULL, sizeof(*s));

	memset(s, 0, sizeof(*s));
	elf_version(EV_CURRENT);
	load_kallsyms(s, kallsyms);
	return s;
}

void sym_free(struct symbolizer *s)
{
	size_t i, j;

	if (!s)
		return;
	for (i = 0; i < s->nsnaps; i++) {
		for (j = 0; j < s->snaps[i].nmaps; j++)
			free(s->snaps[i].maps[j].path);
		free(s->snaps[i].maps);
	}
	for (i = 0; i < s->nelfs; i++) {
		free(s->elfs[i].path);
		free(s->elfs[i].loads);
		free(s->elfs[i].syms);
		free(s->elfs[i].strings);
	}
	free(s->snaps);
	free(s->elfs);
	free(s->ksyms);
	free(s->kstrings);
	free(s);
}

/**
 * sym_parse_maps_line() - parse one line of /proc/PID/maps
 * @line: "start-end perms offset dev inode [path]", NUL-terminated
 * @m: result; m->path is allocated (or NULL) on success
 *
 * A path " (deleted)" at its end loses that suffix.
 *
 * Return: 0 or -EINVAL.
 */
int sym_parse_maps_line(const char *line, struct sym_map *m)
{
	unsigned long long start, end, pgoff;
	char perms[8];
	size_t len;
	int pos = 0;

	if (sscanf(line, "%llx-%llx %7s %llx %*s %*s %n", &start, &end, perms,
		   &pgoff, &pos) < 4 || !pos || end <= start)
		return -EINVAL;
	m->start = start;
	m->end = end;
	m->pgoff = pgoff;
	m->exec = strchr(perms, 'x') != NULL;
	m->path = NULL;
	line += pos;
	len = strcspn(line, "\n");
	if (len > 10 && !strncmp(line + len - 10, " (deleted)", 10))
		len -= 10;
	if (len) {
		m->path = xrealloc(NULL, len + 1);
		memcpy(m->path, line, len);
		m->path[len] = '\0';
	}
	return 0;
}

/**
 * sym_add_maps() - add a maps snapshot of a process
 * @s: symbolizer
 * @pid: the process
 * @text: the content of /proc/PID/maps (need not be NUL-terminated)
 * @len: its length
 *
 * Later snapshots of a pid take precedence over earlier ones.
 *
 * Return: 0.
 */
int sym_add_maps(struct symbolizer *s, uint32_t pid, const char *text,
		 size_t len)
{
	struct snapshot *sn;
	char line[4096 + 128];
	struct sym_map m;
	size_t n;

	s->snaps = xrealloc(s->snaps, (s->nsnaps + 1) * sizeof(*s->snaps));
	sn = &s->snaps[s->nsnaps++];
	memset(sn, 0, sizeof(*sn));
	sn->pid = pid;
	while (len) {
		n = 0;
		while (n < len && text[n] != '\n')
			n++;
		if (n < sizeof(line)) {
			memcpy(line, text, n);
			line[n] = '\0';
			if (!sym_parse_maps_line(line, &m)) {
				if (m.exec) {
					sn->maps = xrealloc(sn->maps, (sn->nmaps + 1) *
								      sizeof(*sn->maps));
					sn->maps[sn->nmaps++] = m;
				} else {
					free(m.path);
				}
			}
		}
		if (n < len)
			n++;
		text += n;
		len -= n;
	}
	return 0;
}

static int esym_cmp(const void *a, const void *b)
{
	const struct esym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return y->global - x->global;	/* globals first among aliases */
}

static void elf_read(struct elfinfo *e)
{
	Elf_Scn *scn = NULL, *symscn = NULL;
	size_t i, n, slen = 0, scap = 0;
	GElf_Shdr sh, symsh = {};
	Elf_Data *data;
	GElf_Phdr ph;
	GElf_Sym sym;
	const char *name;
	Elf *elf;
	int fd;

	fd = open(e->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF || elf_getphdrnum(elf, &n))
		goto out;
	for (i = 0; i < n; i++) {
		if (!gelf_getphdr(elf, i, &ph) || ph.p_type != PT_LOAD)
			continue;
		e->loads = xrealloc(e->loads, (e->nloads + 1) * sizeof(*e->loads));
		e->loads[e->nloads++] = (struct eload){
			.off = ph.p_offset, .filesz = ph.p_filesz, .vaddr = ph.p_vaddr,
		};
	}
	/* .symtab when not stripped, else the exported .dynsym. */
	while ((scn = elf_nextscn(elf, scn))) {
		if (!gelf_getshdr(scn, &sh))
			continue;
		if (sh.sh_type == SHT_SYMTAB ||
		    (sh.sh_type == SHT_DYNSYM && !symscn)) {
			symscn = scn;
			symsh = sh;
		}
	}
	if (!symscn || !symsh.sh_entsize)
		goto ok;
	data = elf_getdata(symscn, NULL);
	if (!data)
		goto ok;
	n = symsh.sh_size / symsh.sh_entsize;
	for (i = 0; i < n; i++) {
		if (!gelf_getsym(data, i, &sym) || !sym.st_value ||
		    sym.st_shndx == SHN_UNDEF ||
		    (GELF_ST_TYPE(sym.st_info) != STT_FUNC &&
		     GELF_ST_TYPE(sym.st_info) != STT_GNU_IFUNC))
			continue;
		name = elf_strptr(elf, symsh.sh_link, sym.st_name);
		if (!name || !*name)
			continue;
		while (slen + strlen(name) + 1 > scap) {
			scap = scap ? scap * 2 : 65536;
			e->strings = xrealloc(e->strings, scap);
		}
		e->syms = xrealloc(e->syms, (e->nsyms + 1) * sizeof(*e->syms));
		e->syms[e->nsyms++] = (struct esym){
			.addr = sym.st_value, .size = sym.st_size,
			.name = (const char *)(uintptr_t)slen,
			.global = GELF_ST_BIND(sym.st_info) != STB_LOCAL,
		};
		strcpy(e->strings + slen, name);
		slen += strlen(name) + 1;
	}
	for (i = 0; i < e->nsyms; i++)
		e->syms[i].name = e->strings + (uintptr_t)e->syms[i].name;
	qsort(e->syms, e->nsyms, sizeof(*e->syms), esym_cmp);
ok:
	e->ok = true;
out:
	if (elf)
		elf_end(elf);
	close(fd);
}

static struct elfinfo *elf_get(struct symbolizer *s, const char *path)
{
	struct elfinfo *e;
	size_t i;

	for (i = 0; i < s->nelfs; i++)
		if (!strcmp(s->elfs[i].path, path))
			return &s->elfs[i];
	s->elfs = xrealloc(s->elfs, (s->nelfs + 1) * sizeof(*s->elfs));
	e = &s->elfs[s->nelfs++];
	memset(e, 0, sizeof(*e));
	e->path = xstrdup(path);
	elf_read(e);
	return e;
}

static const char *elf_func(const struct elfinfo *e, uint64_t off)
{
	size_t i, lo = 0, hi;
	uint64_t va = 0;
	bool found = false;

	for (i = 0; i < e->nloads; i++) {
		if (off >= e->loads[i].off &&
		    off < e->loads[i].off + e->loads[i].filesz) {
			va = off - e->loads[i].off + e->loads[i].vaddr;
			found = true;
			break;
		}
	}
	if (!found || !e->nsyms || va < e->syms[0].addr)
		return UNKNOWN;
	/* The last symbol at or below va; the first of equal addresses. */
	hi = e->nsyms;
	while (hi - lo > 1) {
		i = (lo + hi) / 2;
		if (e->syms[i].addr <= va)
			lo = i;
		else
			hi = i;
	}
	while (lo && e->syms[lo - 1].addr == e->syms[lo].addr)
		lo--;
	if (e->syms[lo].size && va >= e->syms[lo].addr + e->syms[lo].size)
		return UNKNOWN;
	return e->syms[lo].name;
}

static void kernel_resolve(struct symbolizer *s, uint64_t pc,
			   const char **func, const char **obj)
{
	size_t lo = 0, hi = s->nksyms, i;

	*func = "[kernel]";
	*obj = "[kernel.kallsyms]";
	if (!s->nksyms || pc < s->ksyms[0].addr)
		return;
	while (hi - lo > 1) {
		i = (lo + hi) / 2;
		if (s->ksyms[i].addr <= pc)
			lo = i;
		else
			hi = i;
	}
	*func = s->ksyms[lo].name;
	*obj = s->ksyms[lo].obj;
}

/**
 * sym_resolve() - name the function and object of a sampled PC
 * @s: symbolizer
 * @pid: process the sample was taken in
 * @pc: the address
 * @kernel: true for a kernel address
 * @func: the function, or "[unknown]" / "[kernel]"
 * @obj: the file, "[kernel.kallsyms]", "[module]", a pseudo-path such as
 *	"[vdso]", or "[unknown]"
 *
 * The strings live as long as @s.
 */
void sym_resolve(struct symbolizer *s, uint32_t pid, uint64_t pc, bool kernel,
		 const char **func, const char **obj)
{
	const struct sym_map *m;
	size_t i, j;

	if (kernel) {
		kernel_resolve(s, pc, func, obj);
		return;
	}
	*func = UNKNOWN;
	*obj = UNKNOWN;
	for (i = s->nsnaps; i-- > 0;) {
		if (s->snaps[i].pid != pid)
			continue;
		for (j = 0; j < s->snaps[i].nmaps; j++) {
			m = &s->snaps[i].maps[j];
			if (pc < m->start || pc >= m->end)
				continue;
			if (!m->path)
				return;
			*obj = m->path;
			if (m->path[0] != '/')	/* [vdso] and the like */
				return;
			*func = elf_func(elf_get(s, m->path), pc - m->start + m->pgoff);
			return;
		}
	}
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of adprofctl report's symbolization; TAP on stdout. The user
 * side resolves this very program (a PIE when the compiler's default is)
 * and the C library through /proc/self/maps, as report does with a
 * recorded snapshot; the kernel side reads a kallsyms file written here.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../symbols.h"
#include "tap.h"

/* A function of known extent to find by address. */
__attribute__((noinline)) int adp_test_target(int x)
{
	int i;

	for (i = 0; i < x; i++)
		__asm__ volatile("" : "+r"(x));
	return x * 3;
}

static void test_maps_line(void)
{
	struct sym_map m;
	int err;

	err = sym_parse_maps_line("55d0c4a00000-55d0c4a21000 r-xp 00002000 fe:01 1234   /usr/bin/x", &m);
	check(!err && m.start == 0x55d0c4a00000ULL && m.end == 0x55d0c4a21000ULL &&
	      m.pgoff == 0x2000 && m.exec && m.path && !strcmp(m.path, "/usr/bin/x"),
	      "maps: executable file mapping");
	free(m.path);
	err = sym_parse_maps_line("7f00-8f00 rw-p 00000000 00:00 0 ", &m);
	check(!err && !m.exec && !m.path, "maps: anonymous mapping has no path");
	err = sym_parse_maps_line("1000-2000 r-xp 00001000 08:01 77 /tmp/a b (deleted)", &m);
	check(!err && m.path && !strcmp(m.path, "/tmp/a b"),
	      "maps: ' (deleted)' dropped, spaces kept (%s)", m.path ? m.path : "NULL");
	free(m.path);
	err = sym_parse_maps_line("7ffd-7ffe r-xp 00000000 00:00 0  [vdso]", &m);
	check(!err && m.path && !strcmp(m.path, "[vdso]"), "maps: pseudo path");
	free(m.path);
	check(sym_parse_maps_line("garbage", &m) == -EINVAL, "maps: garbage refused");
	check(sym_parse_maps_line("2000-1000 r-xp 0 00:00 0", &m) == -EINVAL,
	      "maps: end before start refused");
}

static char *self_maps(size_t *len)
{
	static char buf[1 << 20];
	FILE *f = fopen("/proc/self/maps", "r");

	*len = f ? fread(buf, 1, sizeof(buf), f) : 0;
	if (f)
		fclose(f);
	return buf;
}

static void test_user(void)
{
	struct symbolizer *s = sym_new("/nonexistent");
	const char *func, *obj;
	uint64_t pc = (uintptr_t)adp_test_target + 2;
	char self[4096] = "";
	size_t len;
	char *maps = self_maps(&len);

	if (readlink("/proc/self/exe", self, sizeof(self) - 1) < 0)
		self[0] = '\0';

	check(len > 0, "read /proc/self/maps");
	sym_add_maps(s, 42, maps, len);
	sym_resolve(s, 42, pc, false, &func, &obj);
	check(!strcmp(func, "adp_test_target"), "own function by address (%s)", func);
	check(!strcmp(obj, self), "own object (%s)", obj);

	sym_resolve(s, 42, (uintptr_t)getpid, false, &func, &obj);
	check(strstr(func, "getpid") != NULL, "libc function by address (%s in %s)",
	      func, obj);

	sym_resolve(s, 43, pc, false, &func, &obj);
	check(!strcmp(func, "[unknown]") && !strcmp(obj, "[unknown]"),
	      "another pid's address is unknown");

	/* A later snapshot of the pid wins: here, one without this program. */
	sym_add_maps(s, 42, "1000-2000 r-xp 00000000 00:00 0 /nonexistent\n", 46);
	sym_resolve(s, 42, pc, false, &func, &obj);
	check(!strcmp(func, "adp_test_target"),
	      "older snapshot used when the newest has no mapping there");
	sym_resolve(s, 42, 0x1800, false, &func, &obj);
	check(!strcmp(func, "[unknown]") && !strcmp(obj, "/nonexistent"),
	      "unreadable file: object named, function unknown");
	sym_free(s);
}

static void test_kernel(void)
{
	static const char ks[] =
		"ffffffff81000300 T second\n"
		"ffffffff81000100 t first\n"
		"ffffffff81000200 D not_text\n"
		"ffffffffc0001000 t modfunc\t[edu_mod]\n"
		"ffffffff81000400 W weak_one\n";
	char path[] = "/tmp/adp_kallsymsXXXXXX";
	const char *func, *obj;
	struct symbolizer *s;
	int fd = mkstemp(path);
	FILE *f;

	check(fd >= 0 && write(fd, ks, sizeof(ks) - 1) == sizeof(ks) - 1,
	      "write a kallsyms file");
	close(fd);
	s = sym_new(path);
	sym_resolve(s, 0, 0xffffffff81000150ULL, true, &func, &obj);
	check(!strcmp(func, "first") && !strcmp(obj, "[kernel.kallsyms]"),
	      "kernel: unsorted input sorted (%s)", func);
	sym_resolve(s, 0, 0xffffffff81000250ULL, true, &func, &obj);
	check(!strcmp(func, "first"), "kernel: data symbols ignored (%s)", func);
	sym_resolve(s, 0, 0xffffffff81000300ULL, true, &func, &obj);
	check(!strcmp(func, "second"), "kernel: exact address (%s)", func);
	sym_resolve(s, 0, 0xffffffff81000500ULL, true, &func, &obj);
	check(!strcmp(func, "weak_one"), "kernel: weak text symbol (%s)", func);
	sym_resolve(s, 0, 0xffffffffc0001010ULL, true, &func, &obj);
	check(!strcmp(func, "modfunc") && !strcmp(obj, "[edu_mod]"),
	      "kernel: module symbol (%s %s)", func, obj);
	sym_resolve(s, 0, 0xffffffff80000000ULL, true, &func, &obj);
	check(!strcmp(func, "[kernel]"), "kernel: below the first symbol");
	sym_free(s);

	/* kptr_restrict: every address reads as 0. */
	f = fopen(path, "w");
	fputs("0000000000000000 T first\n0000000000000000 T second\n", f);
	fclose(f);
	s = sym_new(path);
	sym_resolve(s, 0, 0xffffffff81000150ULL, true, &func, &obj);
	check(!strcmp(func, "[kernel]"), "kernel: hidden addresses give [kernel]");
	sym_free(s);
	unlink(path);
}

int main(void)
{
	test_maps_line();
	test_user();
	test_kernel();
	return tap_done();
}

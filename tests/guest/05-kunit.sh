#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# adprof's KUnit suites (kunit/*_test.c with the files of kunit/pure.list)
# as a module in the guest's kernel, when the runner put one in: the debug
# kernel's run (tests/vm/run.sh --debug), where KASAN, lockdep and kmemleak
# watch them. Loading the module runs the suites; one TAP line per case,
# or per parameter of a parameterised case: the lines kunit.py gives.
#
# The cases are read from the kernel log: 6.1 keeps only 512 bytes of each
# case's log for debugfs, which a parameterised case overflows. Each
# suite's verdict is read from debugfs (/sys/kernel/debug/kunit/SUITE/
# results, last line) too, and must agree.
. /tests/lib.sh

[ -f /adprof_kunit.ko ] || exit 0

before=$(dmesg | wc -l)
check "insmod adprof_kunit.ko (runs the suites)" insmod /adprof_kunit.ko
dmesg | tail -n +$((before + 1)) | sed 's/^\[[^]]*\] //' >/tmp/ktap

# "    # Subtest: SUITE", "    1..N", then a result per case at the same
# indent ("ok 1 name" or, before 6.2, "ok 1 - name"). A parameterised case
# has "        # Subtest: CASE" and a result per parameter, each a TAP line
# SUITE.CASE.PARAMETER as kunit.py names them; its own line is then only
# printed when it failed and no parameter did. A failure is followed by
# the lines KUnit printed before it (expectations, values).
awk -v T="$T" '
	function out(line) { print line; fflush() }
	function result(indent,    name) {
		ok = $1 == "ok"
		name = $0
		sub("^" indent "(not )?ok [0-9]+ (- )?", "", name)
		return name
	}
	/^    # Subtest: / { suite = $3; plan[suite] = 0; seen[suite] = 0; diag = ""; np = pfail = 0; next }
	suite != "" && /^    1\.\.[0-9]+$/ { plan[suite] = substr($1, 4); next }
	suite != "" && /^        # Subtest: / { pcase = $3; next }
	suite != "" && /^        (not )?ok [0-9]+ / {
		name = result("        ")
		out((ok ? "ok" : "not ok") " - " T ": " suite "." pcase "." name)
		if (!ok) { printf "%s", diag; pfail = 1 }
		np++
		diag = ""
		next
	}
	suite != "" && /^    (not )?ok [0-9]+ / {
		name = result("    ")
		if (!np || (!ok && !pfail)) {
			out((ok ? "ok" : "not ok") " - " T ": " suite "." name)
			if (!ok) printf "%s", diag
		}
		seen[suite]++
		diag = ""
		np = pfail = 0
		next
	}
	suite != "" && /^    / && !/KTAP version/ { diag = diag "# " $0 "\n" }
	END {
		n = 0
		for (s in plan) {
			n++
			if (seen[s] != plan[s] || plan[s] == 0)
				out("not ok - " T ": " s ": " plan[s] " cases planned, " seen[s] " reported")
		}
		if (n == 0)
			out("not ok - " T ": no KUnit suite in the kernel log")
	}' /tmp/ktap >/tmp/ktap.tap
cat /tmp/ktap.tap
grep -q '^not ok - [^:]*: no KUnit suite' /tmp/ktap.tap && head -20 /tmp/ktap | diag

for r in /sys/kernel/debug/kunit/*/results; do
	[ -r "$r" ] || continue
	s=${r%/results}
	s=${s##*/}
	expect "suite $s passes (debugfs)" '^ok [0-9]+ (- )?'"$s"'( |$)' tail -n 1 "$r"
done
check "rmmod adprof_kunit" rmmod adprof_kunit

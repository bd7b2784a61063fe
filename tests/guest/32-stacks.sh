#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Call stacks (ADPROF_PROF_F_STACK): kernel stacks by the unwinder, user
# stacks by frame pointers. stackprog (built with frame pointers) gives
# known answers: main -> level1 -> level2 -> leaf; a read(2) loop whose
# kernel chain runs from the syscall entry down to /dev/zero's read;
# recursion deeper than the depth; garbage in the frame pointer. And the
# accounting with stacks on: every sample streamed or counted lost.
. /tests/lib.sh

P=/tmp/stk
mkdir -p $P
val() { awk -v k="$1" '$1 == k { print $2; exit }' "$2"; }
# folded FILE: stackprog's lines of the report's folded output.
folded() { adprofctl report --format folded "$1" | grep '^stackprog;'; }
# count FILE [PATTERN]: samples of the folded lines (matching PATTERN).
# (The pattern goes through the environment: -v would eat its backslashes.)
count() { PAT="${2:-}" awk 'ENVIRON["PAT"] == "" || $0 ~ ENVIRON["PAT"] { n += $NF }
			     END { print n + 0 }' "$1"; }

check "insmod" load

# ---- the session's parameters ---------------------------------------------
refuse "STACK_DEPTH without ADPROF_PROF_F_STACK: EINVAL" \
	'^errno=EINVAL .*STACK_DEPTH is for a session' nlraw PROF_START STACK_DEPTH=u32:10
refuse "STACK_DEPTH 0: ERANGE" '^errno=ERANGE .*bad-attr=STACK_DEPTH' \
	nlraw PROF_START PROF_FLAGS=u32:2 STACK_DEPTH=u32:0
refuse "STACK_DEPTH 128 (perf's maximum is 127): ERANGE" '^errno=ERANGE .*bad-attr=STACK_DEPTH' \
	nlraw PROF_START PROF_FLAGS=u32:2 STACK_DEPTH=u32:128
refuse "65536 full-depth records a buffer pass 4 MiB: EINVAL" \
	'^errno=EINVAL .*pass 4 MiB' nlraw PROF_START PROF_FLAGS=u32:2 BUF_SAMPLES=u32:65536
expect "3971 full-depth records a buffer fit" '^ok' \
	nlraw PROF_START PROF_FLAGS=u32:2 BUF_SAMPLES=u32:3971
check "start -g --depth 64 --detach" adprofctl start -g --depth 64 --detach
expect "info shows the depth" '^stack_depth 64$' adprofctl info
expect "PROF_GET_INFO carries PROF_FLAGS 3 (detach, stack) and STACK_DEPTH" \
	'PROF_FLAGS=3 .*STACK_DEPTH=64' nlraw PROF_GET_INFO
check "stop" adprofctl stop

# ---- main -> level1 -> level2 -> leaf ---------------------------------------
adprofctl record -g -F 1000 -o $P/chain.data -- stackprog chain 4 >$P/chain.rec 2>&1
diag $P/chain.rec
folded $P/chain.data >$P/chain.folded
all=$(count $P/chain.folded)
# The user chain exactly, and nothing above leaf but the kernel's frames
# (a sample taken in an interrupt or fault on leaf's behalf: many more on
# the debug kernel, whose interrupts cost more).
chain=$(count $P/chain.folded ';main;level1;level2;leaf(;[^; ]*_\[k\])* [0-9]+$')
# The hot path's samples: those whose innermost user frame is leaf. The
# rest are mostly level2's clock_gettime(), a system call here (the
# guest's HPET clocksource has no vDSO read), which the debug kernel's
# checks make a tenth of the run or more; and start-up and exit.
hot=$(count $P/chain.folded ';leaf(;[^; ]*_\[k\])* [0-9]+$')
echo "# stackprog chain: $chain of $all samples ($hot in leaf) show main;level1;level2;leaf; the most frequent stacks:"
sort -t' ' -k2 -n -r $P/chain.folded | head -5 | sed 's/^/#   /'
check "samples of stackprog chain ($all)" test "$all" -gt 100
check "most samples are in leaf ($hot of $all)" test $((hot * 2)) -gt "$all"
check "at least 90% of leaf's show main;level1;level2;leaf ($chain of $hot)" test $((chain * 10)) -ge $((hot * 9))
# children and self, as perf report --children: main holds (nearly) every
# sample of stackprog, leaf its own; level1's callers are main, level2's
# callees leaf.
adprofctl report -n 30 $P/chain.data >$P/chain.txt
diag $P/chain.txt
# fn NAME COLUMN: children ($1) or self ($3) of stackprog's function NAME
fn() { awk -v f="$1" -v c="$2" '$5 == "stackprog" && $6 == f { print $c; exit }' $P/chain.txt; }
check "report: the functions table has children and self" grep -q '^  children       %       self       %  command' $P/chain.txt
check "report: main's children hold >= 90% of stackprog's samples ($(fn main 1) of $all)" \
	test "$(( $(fn main 1) * 10 ))" -ge $((all * 9))
check "report: main's self is near 0 ($(fn main 3))" test "$(( $(fn main 3) * 10 ))" -lt "$all"
# leaf's children also hold the kernel's samples taken on its behalf (more
# on the debug kernel, whose interrupts cost more): exactly the folded
# stacks' counts, self those that end in leaf.
lself=$(count $P/chain.folded ';leaf [0-9]+$')
lkids=$(count $P/chain.folded ';leaf(;[^ ]*)? [0-9]+$')
check "report: leaf's self and children are the stacks' ($(fn leaf 3)/$(fn leaf 1) vs $lself/$lkids)" \
	test "$(fn leaf 3)/$(fn leaf 1)" = "$lself/$lkids"
check "report: leaf's self is most of its children ($lself of $lkids)" \
	test $((lself * 2)) -gt "$lkids"
check "report: level1's children >= level2's >= leaf's" \
	test "$(fn level1 1)" -ge "$(fn level2 1)" -a "$(fn level2 1)" -ge "$(fn leaf 1)"
adprofctl report --callers level1 --callees level2 $P/chain.data >$P/cc.txt
diag $P/cc.txt
check "report --callers level1: main is its top caller" \
	sh -c "sed -n '/^callers of level1/,/^\$/p' $P/cc.txt | awk 'NR == 3 { exit \$4 != \"main\" }'"
check "report --callees level2: leaf is its top callee" \
	sh -c "sed -n '/^callees of level2/,/^\$/p' $P/cc.txt | awk 'NR == 3 { exit \$4 != \"leaf\" }'"

# ---- a syscall loop: the kernel chain -----------------------------------------
adprofctl record -g -F 1000 -o $P/read.data -- stackprog read 4 >$P/read.rec 2>&1
folded $P/read.data >$P/read.folded
kern=$(count $P/read.folded '_\[k\] [0-9]+$')
entry=$(count $P/read.folded ';entry_SYSCALL_64[a-z_]*_\[k\];.*_\[k\] [0-9]+$')
zero=$(count $P/read.folded ';entry_SYSCALL_64[a-z_]*_\[k\];.*;vfs_read_\[k\];(.*;)?read(_iter)?_zero_\[k\]')
echo "# stackprog read: $kern samples in the kernel, $entry from the syscall entry," \
	"$zero through vfs_read to /dev/zero's read; the most frequent kernel stack:"
grep '_\[k\] [0-9]*$' $P/read.folded | sort -t' ' -k2 -n -r | head -1 | sed 's/^/#   /'
check "samples in the kernel ($kern)" test "$kern" -gt 50
check "at least 80% of them unwind to the syscall entry ($entry of $kern)" \
	test $((entry * 10)) -ge $((kern * 8))
check "the chain entry_SYSCALL_64 ... vfs_read ... read_zero is there ($zero)" test "$zero" -gt 0
check "the user side names main under the kernel chain" \
	grep -q ';main;.*;entry_SYSCALL_64' $P/read.folded

# ---- deeper than the depth ------------------------------------------------------
adprofctl record --depth 32 -F 1000 -o $P/deep.data -- stackprog recurse 100 3 >$P/deep.rec 2>&1
folded $P/deep.data >$P/deep.folded
all=$(count $P/deep.folded)
# Cut at the depth (kernel frames above leaf included) and marked.
cut=$(awk '/^stackprog;\[truncated\];(recurse;)+leaf[; ]/ {
		s = $0; sub(/ [0-9]+$/, "", s)
		if (split(s, f, ";") - 2 >= 32) n += $NF
	} END { print n + 0 }' $P/deep.folded)
# Every sample at the bottom (in leaf, 100 frames down, or in what it
# calls: clock_gettime, and the kernel's clock read when the vDSO falls
# back to a system call, as with the HPET) must be; the others are
# stackprog's start and exit, and the unwinding of the recursion.
bottom=$(count $P/deep.folded ';leaf[; ]')
echo "# stackprog recurse 100 at depth 32: $cut of $bottom samples in leaf or below cut and marked," \
	"$all samples in all; the most frequent of the others:"
grep -Ev ';leaf[; ]' $P/deep.folded | sort -t' ' -k2 -n -r |
	head -3 | awk '{ n = split($1, f, ";"); printf "#   %s (%d frames) ...;%s;%s %s\n", f[1], n - 1, f[n - 1], f[n], $NF }'
check "recursion past the depth: every sample in leaf or below cut at 32 frames and marked ($cut of $bottom)" \
	test "$bottom" -gt 0 -a "$cut" = "$bottom"
check "recursion past the depth: most samples in leaf ($bottom of $all)" \
	test $((bottom * 2)) -gt "$all"

# ---- garbage in the frame pointer -----------------------------------------------
profsub run -g 127 -F 1000 -- stackprog badfp 3 >$P/bad.sub 2>&1
diag $P/bad.sub
check "garbage frame pointer: samples taken ($(val samples $P/bad.sub))" \
	test "$(val samples $P/bad.sub)" -gt 100
check "... the user walk gave up on it, and said so ($(val stack_bad $P/bad.sub))" \
	test "$(val stack_bad $P/bad.sub)" -gt 50
check "... every record whole" test "$(val bad_records $P/bad.sub)" = 0
adprofctl record -g -F 1000 -o $P/bad.data -- stackprog badfp 2 >/dev/null 2>&1
folded $P/bad.data >$P/bad.folded
expect "report names the spinning function under [unknown]" '^stackprog;\[unknown\];badfp [0-9]+$' \
	cat $P/bad.folded

# ---- accounting with stacks on --------------------------------------------------
for hz in 1000 2000 4000; do
	spin -t 2 6 >/dev/null &
	sp=$!
	# The stop is acknowledged once every message is queued to the
	# subscriber, whose window then ends (SIGUSR1): it reads the rest.
	profsub listen -d 120 >$P/acc.$hz 2>&1 &
	li=$!
	sleep 1
	adprofctl start -g -F $hz --detach
	sleep 3
	adprofctl stop
	kill -USR1 $li
	wait $li
	wait $sp
	adprofctl stat >$P/acc.$hz.stat
	s=$(val sample $P/acc.$hz.stat)
	st=$(val stream_samples $P/acc.$hz.stat)
	lost=$(( $(val overflow $P/acc.$hz.stat) + $(val dropbuf_sample $P/acc.$hz.stat) +
		 $(val stream_error_samples $P/acc.$hz.stat) ))
	echo "# $hz Hz with stacks: sample $s, streamed $st, lost $lost; the subscriber got" \
		"$(val records $P/acc.$hz) records, lost $(val lost $P/acc.$hz), $(val stacks $P/acc.$hz) stacks"
	check "$hz Hz with stacks: sample = streamed + still listed ($s)" \
		test "$s" = $((st + $(val stream_error_samples $P/acc.$hz.stat) + $(val onlist_sample $P/acc.$hz.stat)))
	check "$hz Hz: the subscriber got every streamed record ($st)" test "$(val records $P/acc.$hz)" = "$st"
	check "$hz Hz: its LOST is what the kernel counted lost ($lost)" test "$(val lost $P/acc.$hz)" = "$lost"
	check "$hz Hz: no sequence gap, no record cut" \
		test "$(val gaps $P/acc.$hz)$(val bad_records $P/acc.$hz)" = 00
	check "$hz Hz: samples carried stacks" test "$(val stacks $P/acc.$hz)" -gt 0
	adprofctl clear
done

check "rmmod" unload
rm -rf $P
exit 0

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Random and mutated messages to every command; the module must keep
# answering and unload cleanly (the host checks dmesg for the rest).
. /tests/lib.sh

n=10000
seed=1
for a in $(cat /proc/cmdline); do
	case $a in
	adprof.fuzz=*) n=${a#adprof.fuzz=} ;;
	adprof.seed=*) seed=${a#adprof.seed=} ;;
	esac
done

check "insmod adprof.ko" load
check "fuzz $n messages, seed $seed; family still answers" adprof-fuzz -s "$seed" -n "$n"
diag "$OUT"
adprofctl stop >/dev/null 2>&1
expect "PROF_GET_INFO answers after fuzzing" 'version' adprofctl info
check "rmmod after fuzzing" unload
check "nothing left in debugfs" test ! -e /sys/kernel/debug/adprof

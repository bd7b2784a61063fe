#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Load, answer, unload: the module leaves nothing behind.
. /tests/lib.sh

check "insmod adprof.ko" load
check "module is live" grep -qx live /sys/module/adprof/initstate
expect "family resolves and PROF_GET_INFO answers" 'version[": ]+1' adprofctl info
check "debugfs directory exists" test -d /sys/kernel/debug/adprof
check "rmmod adprof" unload
fails "family gone after unload" 'module not loaded' adprofctl info
check "debugfs directory gone after unload" test ! -e /sys/kernel/debug/adprof
check "no module left in sysfs" test ! -e /sys/module/adprof
check "insmod again after unload" load
check "rmmod again" unload

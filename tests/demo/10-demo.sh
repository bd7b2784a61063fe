#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# What make demo shows, inside the guest. Each step prints the command,
# then its output.
step() { echo; echo "\$ $*"; "$@" 2>&1; }

echo "=== adprof demo on $(uname -r), $(nproc) CPUs ==="
step insmod /adprof.ko
step adprofctl info
step ls /sys/kernel/debug/adprof
step rmmod adprof
echo
echo "=== demo done ==="

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# adprof installed as DKMS installs it: the module DKMS built on the host
# (scripts/dkms.sh) at /lib/modules/$KVER/updates/dkms/adprof.ko, indexed
# by depmod, loaded and unloaded by name.
. /tests/lib.sh

K=/lib/modules/$(uname -r)
M=$K/updates/dkms/adprof.ko
if [ ! -f "$M" ]; then
	fail "DKMS-built module at $M (scripts/dkms.sh makes it)"
	exit 0
fi
rmmod adprof 2>/dev/null

check "depmod -a" depmod -a
expect "modules.dep has updates/dkms/adprof.ko" '^(/lib/modules/[^:]*/)?updates/dkms/adprof\.ko:' \
	cat "$K/modules.dep"
want=$(modinfo -F version "$M")
check "DKMS module has a version ($want)" test -n "$want"
check "modprobe adprof" modprobe adprof
check "the module loaded is DKMS's: version $want" \
	sh -c "test \"\$(cat /sys/module/adprof/version)\" = '$want'"
check "the module loaded is DKMS's: srcversion" \
	sh -c "test \"\$(cat /sys/module/adprof/srcversion)\" = \"\$(modinfo -F srcversion $M)\""
expect "adprofctl info answers" 'version[": ]+1' adprofctl info
check "adprofctl -j info is JSON" sh -c 'adprofctl -j info | python3 -m json.tool'
check "modprobe -r adprof" modprobe -r adprof
check "module gone after modprobe -r" test ! -e /sys/module/adprof
fails "family gone after modprobe -r" 'module not loaded' adprofctl info

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Print the kernel build directory to build against, and say on stderr
# which one was picked. With KVER set, that version's headers; else the
# running kernel's build dir when present; else the newest Debian
# linux-headers-6.1.*-amd64, then any linux-headers-*-amd64, whose
# /boot/vmlinuz-* exists (a guest can boot it).
set -eu
if [ "${1:-}" = --kver ]; then
	# The version a build directory belongs to, for the guest's kernel.
	# Nothing to name before 'make deps' has installed any headers.
	[ -n "${2:-}" ] || exit 0
	case $2 in
	/lib/modules/*/build) d=${2%/build}; echo "${d##*/}" ;;
	*/linux-headers-*) echo "${2##*/linux-headers-}" ;;
	*) make -s -C "$2" kernelrelease 2>/dev/null ;;
	esac
	exit 0
fi
if [ -n "${KVER:-}" ]; then
	for d in "/lib/modules/$KVER/build" "/usr/src/linux-headers-$KVER"; do
		[ -f "$d/Makefile" ] && { echo "$d"; exit 0; }
	done
	echo "kdir: no headers for KVER=$KVER" >&2
	exit 1
fi
d=/lib/modules/$(uname -r)/build
if [ -f "$d/Makefile" ]; then
	echo "adprof: building against running kernel $(uname -r) ($d)" >&2
	echo "$d"
	exit 0
fi
# The default series (6.1, linux-headers-amd64) before any other installed
# one, so that installing 6.12 for 'make check KVER=...' changes nothing else.
for d in $(ls -d /usr/src/linux-headers-6.1.*-amd64 2>/dev/null | sort -rV) \
	 $(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -rV); do
	v=${d#/usr/src/linux-headers-}
	if [ -f "/boot/vmlinuz-$v" ] && [ -f "$d/Makefile" ]; then
		echo "adprof: building against $v ($d)" >&2
		echo "$d"
		exit 0
	fi
done
echo "kdir: no kernel headers with a matching /boot/vmlinuz; run 'make deps'" >&2
exit 1

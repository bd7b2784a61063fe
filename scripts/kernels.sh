#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The Debian kernels adprof is tested on: 6.1 (bookworm's default,
# linux-image-amd64) and 6.12 (bookworm's second LTS, versioned packages
# only, installed on demand by scripts/deps.sh).
#
# Usage: scripts/kernels.sh SERIES      print the KVER to use for SERIES
#        scripts/kernels.sh --all       one KVER per supported series
#        scripts/kernels.sh --pkgs KVER Debian packages that provide KVER
#
# For a series, the newest installed kernel that has both headers and a
# /boot/vmlinuz (a guest can boot it) wins; failing that, for 6.12, the
# newest version apt knows with both linux-headers-V and
# linux-image-V-unsigned (so 'make deps-6.12' installs a matching pair).
set -euo pipefail

series_list=(6.1 6.12)

installed() {
	local s=$1 d v
	for d in $(ls -d /usr/src/linux-headers-"$s".*-amd64 2>/dev/null | sort -rV); do
		v=${d#/usr/src/linux-headers-}
		case $v in *-cloud-amd64|*-rt-amd64) continue ;; esac
		if [ -f "/boot/vmlinuz-$v" ] && [ -f "$d/Makefile" ]; then
			echo "$v"
			return 0
		fi
	done
	return 1
}

# Newest V with both packages in apt's lists (apt-get update first).
available() {
	local s=$1 v
	for v in $(apt-cache pkgnames "linux-headers-$s." 2>/dev/null |
		   sed -n "s/^linux-headers-\($s\.[0-9]*+deb[0-9]*-amd64\)$/\1/p" | sort -rV); do
		apt-cache show "linux-image-$v-unsigned" >/dev/null 2>&1 && { echo "$v"; return 0; }
	done
	return 1
}

case ${1:-} in
--all)
	for s in "${series_list[@]}"; do
		"$0" "$s" || exit 1
	done
	;;
--pkgs)
	v=${2:?KVER}
	# 6.1's image is the signed one from linux-image-amd64; 6.12 ships
	# in bookworm as versioned -unsigned packages.
	case $v in
	*+deb*-amd64) echo "linux-headers-$v linux-image-$v-unsigned" ;;
	*-amd64) echo "linux-headers-$v linux-image-$v" ;;
	*) echo "kernels: $v is not a Debian amd64 kernel" >&2; exit 1 ;;
	esac
	;;
6.1|6.12)
	installed "$1" && exit 0
	if [ "$1" != 6.1 ] && available "$1"; then
		exit 0
	fi
	echo "kernels: no $1 kernel installed or available (make deps-$1)" >&2
	exit 1
	;;
*)
	sed -n '3,14p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
	;;
esac

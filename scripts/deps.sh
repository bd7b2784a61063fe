#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install, idempotently, every Debian package adprof needs to build, test
# and demo. Does nothing (and needs no network) when all are present.
#
# The second LTS kernel (6.12: headers and an -unsigned image, ~150 MB) is
# installed only when asked: KVER names a kernel that is not installed
# (make check KVER=6.12.117+deb12-amd64), or ADPROF_KERNELS lists a series
# (make deps-6.12, make check-all). A plain 'make check' stays on 6.1.
set -euo pipefail

pkgs=(
	build-essential bc bison flex libelf-dev libssl-dev kmod cpio xz-utils
	linux-headers-amd64 linux-image-amd64 linux-source-6.1 linux-source-6.12
	qemu-system-x86 busybox-static
	libnl-3-dev libnl-genl-3-dev libcap2-bin util-linux
	sparse python3 python3-yaml python3-jsonschema python3-docutils
	linux-perf bpftrace
	libprotobuf-c-dev protobuf-c-compiler zlib1g-dev golang-go
	dkms groff man-db
)
pkgs+=(${ADPROF_EXTRA_PKGS:-})

here=$(dirname "$0")
want_kver() {
	[ -f "/boot/vmlinuz-$1" ] && [ -f "/usr/src/linux-headers-$1/Makefile" ] && return 0
	# shellcheck disable=SC2207
	pkgs+=($("$here/kernels.sh" --pkgs "$1"))
}
if [ -n "${KVER:-}" ]; then
	want_kver "$KVER"
fi
for s in ${ADPROF_KERNELS:-}; do
	if ! v=$("$here/kernels.sh" "$s" 2>/dev/null); then
		# apt's lists may predate the version; read them once more.
		[ "$(id -u)" -eq 0 ] && apt-get update -qq
		v=$("$here/kernels.sh" "$s") || exit 1
	fi
	want_kver "$v"
done

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "==> installing: ${missing[*]}" >&2
[ "$(id -u)" -eq 0 ] || { echo "deps: need root to install ${missing[*]}" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

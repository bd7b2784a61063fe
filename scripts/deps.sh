#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install, idempotently, every Debian package adprof needs to build, test
# and demo. Does nothing (and needs no network) when all are present.
set -euo pipefail

pkgs=(
	build-essential bc bison flex libelf-dev libssl-dev kmod cpio xz-utils
	linux-headers-amd64 linux-image-amd64 linux-source-6.1 linux-source-6.12
	qemu-system-x86 busybox-static
	libnl-3-dev libnl-genl-3-dev libcap2-bin util-linux
	sparse python3 python3-yaml python3-jsonschema python3-docutils
	linux-perf
)
pkgs+=(${ADPROF_EXTRA_PKGS:-})

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

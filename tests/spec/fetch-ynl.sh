#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Extract the YNL schemas (Documentation/netlink/) and tools
# (tools/net/ynl/) of Debian's linux-source-6.12 into
# $ADPROF_CACHE/linux-source-6.12-ynl, once. Idempotent: an existing,
# complete tree is kept; a partial one never appears (we extract into a
# temporary directory and rename it into place).
#
# Usage: tests/spec/fetch-ynl.sh [--print]   (--print: only echo the path)
set -euo pipefail
. "$(dirname "$0")/../../scripts/common.sh"

tarball=${ADPROF_YNL_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
dest=$ADPROF_CACHE/linux-source-6.12-ynl
stamp=$dest/.complete

if [ "${1:-}" = --print ]; then
	echo "$dest"
	exit 0
fi
[ -r "$tarball" ] || die "$tarball missing (Debian package linux-source-6.12: make deps)"
# The stamp names the tarball it came from, so a new package version re-extracts.
id=$(stat -c '%s %Y' "$tarball")
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$id" ]; then
	exit 0
fi

mkdir -p "$ADPROF_CACHE"
tmp=$(mktemp -d "$ADPROF_CACHE/.linux-source-6.12-ynl.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
top=linux-source-6.12
log "extracting YNL schemas and tools from $tarball"
tar -C "$tmp" -xJf "$tarball" --strip-components=1 --wildcards \
	"$top/Documentation/netlink/*" "$top/tools/net/ynl/*"
for f in Documentation/netlink/genetlink-legacy.yaml tools/net/ynl/cli.py \
	 tools/net/ynl/lib/ynl.py; do
	[ -f "$tmp/$f" ] || die "$f not found in $tarball"
done
echo "$id" >"$tmp/.complete"
# Replace an old tree (e.g. from an older tarball) only once the new one is whole.
if [ -e "$dest" ]; then
	old=$(mktemp -d "$ADPROF_CACHE/.linux-source-6.12-ynl.old.XXXXXX")
	mv "$dest" "$old/"
	mv "$tmp" "$dest"
	rm -rf "$old"
else
	mv "$tmp" "$dest"
fi
chmod 755 "$dest"
trap - EXIT

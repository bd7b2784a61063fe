#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build adprof with DKMS, as a user's `dkms install` would, but in a
# private DKMS tree under build/: nothing is registered in /var/lib/dkms,
# nothing is installed into this host's /lib/modules, no signing key is
# made. The module DKMS built is left as build/dkms/adprof-$KVER.ko for
# tests/vm/run.sh, which puts it at DKMS's place in the guest
# (/lib/modules/$KVER/updates/dkms/) for tests/guest/95-dkms.sh.
#
# Usage: scripts/dkms.sh [--tap FILE]     (KVER as for make; default 6.1)
set -uo pipefail
. "$(dirname "$0")/common.sh"

tap_open "$@"

KVER=${KVER:-$("$ADPROF_TOP/scripts/kdir.sh" --kver "$("$ADPROF_TOP/scripts/kdir.sh" 2>/dev/null)")}
[ -n "$KVER" ] || die "no kernel to build for"
kdir=$(KVER=$KVER "$ADPROF_TOP/scripts/kdir.sh") || die "no headers for $KVER"
d=$ADPROF_BUILD/dkms
log=$d/dkms-$KVER.log
out=$d/adprof-$KVER.ko
mkdir -p "$d"
: >"$tap"
: >"$log"

ok() { echo "ok - dkms: $*" >>"$tap"; }
nok() {
	echo "not ok - dkms: $*" >>"$tap"
	tail -15 "$log" | sed 's/^/# /' >>"$tap"
}

ver=$(cat "$ADPROF_TOP/VERSION" 2>/dev/null)
# dkms.conf is shell: read it as dkms does, in a subshell.
# shellcheck disable=SC1091,SC2154
conf_ver=$(kernel_source_dir=$kdir kernelver=$KVER; . "$ADPROF_TOP/dkms.conf" && echo "$PACKAGE_VERSION")
if [ -n "$ver" ] && [ "$conf_ver" = "$ver" ]; then
	ok "dkms.conf PACKAGE_VERSION is VERSION ($ver)"
else
	nok "dkms.conf PACKAGE_VERSION '$conf_ver' is not VERSION '$ver'"
	exit 1
fi

# The source tree a package would ship: what git tracks or would track
# (so new files count before their first commit), without build products.
rm -rf "$d/tree" "$d/source" "$d/install" "$out"
src=$d/source/adprof-$ver
mkdir -p "$src" "$d/tree" "$d/install"
if git -C "$ADPROF_TOP" rev-parse --git-dir >/dev/null 2>&1; then
	(cd "$ADPROF_TOP" && git ls-files -co --exclude-standard -z -- Kbuild Makefile VERSION dkms.conf \
		kernel uapi scripts | xargs -0 -r cp --parents -t "$src")
else
	(cd "$ADPROF_TOP" && cp -r --parents Kbuild Makefile VERSION dkms.conf kernel uapi scripts "$src")
	find "$src" \( -name '*.o' -o -name '*.ko' -o -name '*.mod*' -o -name '.*.cmd' \) -delete
fi

dkms=(dkms --dkmstree "$d/tree" --sourcetree "$d/source" --installtree "$d/install")
# sign_file reaches dkms from the environment: a missing one means "do not
# sign", so dkms does not make a key pair in /var/lib/dkms.
export sign_file=/nonexistent
if "${dkms[@]}" add -m adprof -v "$ver" >>"$log" 2>&1; then
	ok "dkms add adprof/$ver (private tree)"
else
	nok "dkms add adprof/$ver"
	exit 1
fi
if "${dkms[@]}" build -m adprof -v "$ver" -k "$KVER" --kernelsourcedir "$kdir" >>"$log" 2>&1; then
	ok "dkms build adprof/$ver for $KVER"
else
	nok "dkms build adprof/$ver for $KVER"
	sed -n '$p' "$d/tree/adprof/$ver/build/make.log" 2>/dev/null | sed 's/^/# /' >>"$tap"
	exit 1
fi
st=$("${dkms[@]}" status -m adprof -v "$ver" -k "$KVER" 2>>"$log")
if echo "$st" | grep -q "^adprof/$ver, $KVER, [^:]*: built$"; then
	ok "dkms status says built for $KVER"
else
	echo "$st" >>"$log"
	nok "dkms status: '$st'"
fi

# DKMS compresses the module as the kernel's own are (6.12: xz).
m=$(ls "$d/tree/adprof/$ver/$KVER"/*/module/adprof.ko* 2>/dev/null | head -1)
case $m in
*.ko.xz) xz -dc "$m" >"$out" ;;
*.ko.zst) zstd -qdc "$m" >"$out" ;;
*.ko) cp "$m" "$out" ;;
esac
if [ -s "$out" ] && modinfo -F vermagic "$out" | grep -q "^$KVER " &&
   [ "$(modinfo -F version "$out")" = "$ver" ]; then
	ok "built ${m##*/}: vermagic $KVER, version $ver"
else
	rm -f "$out"
	nok "no module for $KVER with version $ver in the DKMS tree (${m:-none})"
	exit 1
fi
[ -z "$(ls -A "$d/install")" ] && [ ! -e /var/lib/dkms/adprof ] &&
	ok "nothing installed outside build/" || nok "dkms wrote outside its private tree"
exit 0

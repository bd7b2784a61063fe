#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install adprof as a user would, without touching this host: a DKMS build
# in a private tree (scripts/dkms.sh; its module is what the guest's
# 95-dkms.sh loads), 'make install' into a staging DESTDIR, and the man
# page rendered without a warning and naming every command and option.
#
# Usage: scripts/install-check.sh [--tap FILE]     (KVER as for make)
set -uo pipefail
. "$(dirname "$0")/common.sh"
cd "$ADPROF_TOP" || exit 1

tap_open "$@"
KVER=${KVER:-$(scripts/kdir.sh --kver "$(scripts/kdir.sh 2>/dev/null)")}
export KVER
: >"$tap"
ok() { echo "ok - $*" >>"$tap"; }
nok() { echo "not ok - $*" >>"$tap"; }
diag() { sed 's/^/# /' "$@" >>"$tap"; }

# ---- DKMS
t=$(mktemp)
scripts/dkms.sh --tap "$t" >/dev/null 2>&1 || grep -q '^not ok' "$t" || echo "not ok - dkms: scripts/dkms.sh failed" >>"$t"
cat "$t" >>"$tap"
rm -f "$t"

# ---- make install into a staging tree
d=$ADPROF_BUILD/destdir
log=$ADPROF_BUILD/install.log
rm -rf "$d"
dep=/lib/modules/$KVER/modules.dep
before=$(stat -c %Y "$dep" 2>/dev/null)
if make -s install DESTDIR="$d" KVER="$KVER" >"$log" 2>&1; then
	ok "install: make install DESTDIR=... KVER=$KVER"
else
	nok "install: make install DESTDIR=... KVER=$KVER"
	tail -15 "$log" | diag
fi
m=$(ls "$d/lib/modules/$KVER/updates/kernel/adprof.ko"* 2>/dev/null | head -1)
if [ -n "$m" ] && modinfo -F vermagic "$m" | grep -q "^$KVER "; then
	ok "install: module in \$DESTDIR/lib/modules/$KVER/updates/ (${m#"$d"/})"
else
	nok "install: no module for $KVER under \$DESTDIR/lib/modules/$KVER/updates/"
	find "$d" | diag
fi
if [ -x "$d/usr/local/bin/adprofctl" ] && "$d/usr/local/bin/adprofctl" --help >/dev/null; then
	ok "install: \$DESTDIR/usr/local/bin/adprofctl runs"
else
	nok "install: \$DESTDIR/usr/local/bin/adprofctl missing or broken"
fi
page=$d/usr/local/share/man/man8/adprofctl.8
if [ -f "$page" ] && cmp -s "$page" Documentation/adprofctl.8; then
	ok "install: man page in \$DESTDIR/usr/local/share/man/man8"
else
	nok "install: man page not installed"
fi
if [ "$(stat -c %Y "$dep" 2>/dev/null)" = "$before" ] && [ ! -e "/lib/modules/$KVER/updates/kernel/adprof.ko" ]; then
	ok "install: DESTDIR left the host's /lib/modules/$KVER alone (no depmod)"
else
	nok "install: DESTDIR install touched /lib/modules/$KVER"
fi

# ---- the man page
w=$(mktemp)
groff -man -Tutf8 -ww -z Documentation/adprofctl.8 2>"$w"
if [ ! -s "$w" ]; then
	ok "man: adprofctl.8 renders with groff -man -ww without a warning"
else
	nok "man: groff -man -ww warns"
	head -20 "$w" | diag
fi
MANWIDTH=80 man --warnings -l Documentation/adprofctl.8 >"$w.txt" 2>"$w"
if [ -s "$w.txt" ] && [ ! -s "$w" ]; then
	ok "man: man -l renders it ($(wc -l <"$w.txt") lines), no warning"
else
	nok "man: man -l failed or warned"
	head -20 "$w" | diag
fi
# Every subcommand (from the tool's own help), every long option (from
# its getopt tables) and every section a man page needs.
miss=
for c in $(userspace/adprofctl --help | sed -n '/^commands:/,$p' | awk 'NR > 1 { print $1 }'); do
	grep -qE "^ {7}$c( |$)" "$w.txt" || miss="$miss $c"
done
for o in $(grep -ho '{ "[a-z-]*", \(no\|required\)_argument' userspace/*.c userspace/*.h |
	   sed 's/{ "\([a-z-]*\)".*/\1/' | sort -u); do
	grep -q -- "--$o" "$w.txt" || miss="$miss --$o"
done
for s in NAME SYNOPSIS DESCRIPTION OPTIONS COMMANDS JSON "EXIT STATUS" EXAMPLES "SEE ALSO"; do
	grep -q "^$s\$" "$w.txt" || miss="$miss [$s]"
done
if [ -z "$miss" ]; then
	ok "man: every command, long option and section is in adprofctl.8"
else
	nok "man: adprofctl.8 lacks:$miss"
fi
rm -f "$w" "$w.txt"
grep -q '^not ok' "$tap" && exit 1
exit 0

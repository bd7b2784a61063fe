# SPDX-License-Identifier: GPL-2.0
# Sourced by every guest test: TAP helpers. Each check prints one line,
# "ok - TEST: what" or "not ok - TEST: what", and on failure the output
# of the command as "# " comments.

T=${ADPROF_TEST:-test}
OUT=/tmp/out.$$

pass() { echo "ok - $T: $*"; }
fail() { echo "not ok - $T: $*"; }
diag() { sed 's/^/# /' "$@"; }

# check DESC CMD...: CMD must succeed.
check() {
	d=$1; shift
	if "$@" >"$OUT" 2>&1; then pass "$d"; else fail "$d (exit $?)"; diag "$OUT"; fi
}

# A kernel refusal with its extended ack message, as the two clients
# print it: adprofctl "adprofctl: WHO: MESSAGE (STRERROR)", nlraw
# 'extack="MESSAGE"'. Without a message adprofctl prints only
# "adprofctl: WHO: STRERROR", which does not match.
KMSG='^adprofctl: [^:]+: [^ (].* \([^()]+\)$|extack="[^"]+"'

# refuse DESC WANT CMD...: the kernel refuses CMD: it must exit non-zero,
# print WANT (a grep -E pattern, e.g. an errno text) and a non-empty
# kernel message (KMSG).
refuse() {
	d=$1 want=$2; shift 2
	if "$@" >"$OUT" 2>&1; then
		fail "$d (succeeded)"; diag "$OUT"
	elif ! grep -Eq -- "$want" "$OUT"; then
		fail "$d (wanted /$want/)"; diag "$OUT"
	elif ! grep -Eq -- "$KMSG" "$OUT"; then
		fail "$d (no kernel message)"; diag "$OUT"
	else
		pass "$d"
	fi
}

# fails DESC WANT CMD...: CMD must exit non-zero and print WANT. For
# refusals that carry no kernel message: sysfs writes, group joins, the
# clients' own checks.
fails() {
	d=$1 want=$2; shift 2
	if "$@" >"$OUT" 2>&1; then
		fail "$d (succeeded)"; diag "$OUT"
	elif grep -Eq -- "$want" "$OUT"; then
		pass "$d"
	else
		fail "$d (wanted /$want/)"; diag "$OUT"
	fi
}

# expect DESC WANT CMD...: CMD must succeed and print WANT.
expect() {
	d=$1 want=$2; shift 2
	if "$@" >"$OUT" 2>&1 && grep -Eq -- "$want" "$OUT"; then
		pass "$d"
	else
		fail "$d (wanted /$want/)"; diag "$OUT"
	fi
}

load() { insmod /adprof.ko "$@"; }

# The kernel log from a mark on. Tests never clear the ring (dmesg -c):
# the host scans the whole of it after the last test (tests/vm/run.sh),
# and a clear would hide every warning logged before it.
klog_mark() { KLOG_MARK=$(dmesg | wc -l); }
klog_since() { dmesg | tail -n +$((KLOG_MARK + 1)); }
# klog_has PATTERN: a line since the mark matches the grep -E PATTERN.
klog_has() { klog_since | grep -qE "$1"; }
unload() { rmmod adprof; }

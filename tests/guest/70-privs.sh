#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The privilege matrix: every command of the family (the 16 do-commands
# and the DEV_GET and DMA_GET dumps) and both multicast joins, tried by processes that
# hold no capability, only CAP_NET_ADMIN, only CAP_PERFMON, only
# CAP_SYS_ADMIN, all of them (root), and by uid 65534 (nobody). Each cell
# is "allowed" or "EPERM": the requests are valid and run in an order that
# makes them succeed (edu assigned as 7 with INTx, virtio-rng as 8 for the
# MSI-X commands), so a cell that fails for another reason still counts as
# allowed and shows its errno.
#
# Expected, from design.md and the kernel's rules:
#   assignment commands, DEV_GET do and dump   CAP_SYS_ADMIN
#   DMA_MAP, DMA_UNMAP, DMA_GET do and dump     CAP_SYS_ADMIN
#   PROF_START, PROF_STOP, PROF_CLEAR          CAP_PERFMON or CAP_SYS_ADMIN
#   PROF_GET_INFO, PROF_GET_STAT               anyone
#   join irq (GENL_MCAST_CAP_NET_ADMIN)        CAP_NET_ADMIN, and only it
#   join samples (GENL_MCAST_CAP_SYS_ADMIN)    CAP_SYS_ADMIN
# Commands are checked with netlink_capable(): the socket's opener and the
# sender must both hold the capability in the initial user namespace.
# Joins are checked by genl_bind() with ns_capable(net->user_ns, CAP): the
# task calling setsockopt(NETLINK_ADD_MEMBERSHIP) or bind(), in the user
# namespace owning the socket's netns (adprof is not netns-aware, so the
# initial one). Capabilities do not imply each other there: CAP_SYS_ADMIN
# alone may not join "irq".
#
# One TAP line per cell, and the table as markdown on the console between
# "# FILE-BEGIN privileges.md" and "# FILE-END", which tests/vm/run.sh
# saves (make privileges: tests/results/privileges.md).
. /tests/lib.sh

SYS=/sys/bus/pci/devices
COLS="none net perfmon sysadmin root nobody"
ROWS="DEV_ASSIGN DEV_DEASSIGN DEV_GET DEV_GET_DUMP IRQ_ASSIGN IRQ_DEASSIGN
MSIX_SET_NR MSIX_SET_ENTRY IRQ_ACK DMA_MAP DMA_UNMAP DMA_GET DMA_GET_DUMP
PROF_GET_INFO PROF_START PROF_STOP PROF_GET_STAT PROF_CLEAR JOIN_IRQ
JOIN_SAMPLES"
RES=/tmp/privs.res

if ! command -v nlraw >/dev/null || ! command -v nobody >/dev/null; then
	fail "nlraw and nobody in the guest (tests/tools)"
	exit 0
fi
EDU=$(edu find 1234:11e8)
VRNG=$(edu find 1af4:1005)
if [ -z "$EDU" ] || [ -z "$VRNG" ]; then
	fail "edu and virtio-rng present (edu=$EDU virtio-rng=$VRNG)"
	exit 0
fi

# 0000:00:04.0 -> PCI_SEGMENT=u16:0 PCI_BUS=u8:0 PCI_DEVFN=u8:32
pciattrs() {
	local seg=${1%%:*} rest=${1#*:} bus dev fn
	bus=${rest%%:*}
	dev=${rest#*:}
	fn=${dev#*.}
	dev=${dev%.*}
	echo "PCI_SEGMENT=u16:$((0x$seg)) PCI_BUS=u8:$((0x$bus))" \
		"PCI_DEVFN=u8:$(((0x$dev << 3) | fn))"
}

# Column heading and how a column runs nlraw.
heading() {
	case $1 in
	none) echo "no capability" ;;
	net) echo "CAP_NET_ADMIN only" ;;
	perfmon) echo "CAP_PERFMON only" ;;
	sysadmin) echo "CAP_SYS_ADMIN only" ;;
	root) echo "root (all)" ;;
	nobody) echo "uid 65534" ;;
	esac
}

as() {
	local col=$1
	shift
	case $col in
	none) nlraw --drop-caps "$@" ;;
	net) nlraw --drop-caps=CAP_NET_ADMIN "$@" ;;
	perfmon) nlraw --drop-caps=CAP_PERFMON "$@" ;;
	sysadmin) nlraw --drop-caps=CAP_SYS_ADMIN "$@" ;;
	root) nlraw "$@" ;;
	nobody) nobody nlraw "$@" ;;
	esac
}

# What design.md promises: allowed or EPERM.
expected() {
	local row=$1 col=$2
	[ "$col" = root ] && { echo allowed; return; }
	case $row in
	PROF_GET_INFO | PROF_GET_STAT) echo allowed ;;
	PROF_START | PROF_STOP | PROF_CLEAR)
		case $col in perfmon | sysadmin) echo allowed ;; *) echo EPERM ;; esac ;;
	JOIN_IRQ)
		case $col in net) echo allowed ;; *) echo EPERM ;; esac ;;
	*)	# assignment commands and join samples
		case $col in sysadmin) echo allowed ;; *) echo EPERM ;; esac ;;
	esac
}

# cell COL ROW NLRAW-ARGS...: run one request, record what came back:
# ok, an errno name, or "tool:" and what went wrong locally.
cell() {
	local col=$1 row=$2 got
	shift 2
	as "$col" "$@" >/tmp/privs.out 2>&1
	case $row in
	JOIN_*)
		got=$(sed -n 's/^join [a-z]*: \(ok\)$/\1/p
			s/^join [a-z]*: errno=\([A-Z0-9]*\) .*/\1/p' /tmp/privs.out) ;;
	*)
		got=$(sed -n 's/^errno=\([A-Z0-9]*\) .*/\1/p' /tmp/privs.out | head -1)
		[ -n "$got" ] || ! grep -q '^ok' /tmp/privs.out || got=ok ;;
	esac
	[ -n "$got" ] || got="tool:$(head -1 /tmp/privs.out | tr -s ' |' ' ')"
	echo "$col $row $got" >>"$RES"
	sed 's/^/#   /' /tmp/privs.out >"/tmp/privs.$col.$row"
}

# helper COL NLRAW-ARGS...: a set-up step with the column's privileges.
helper() {
	as "$@" >/dev/null 2>&1
}

# Leave nothing behind whatever the column was allowed to do.
cleanup() {
	nlraw PROF_STOP >/dev/null 2>&1
	nlraw DEV_DEASSIGN DEV_ID=u32:7 >/dev/null 2>&1
	nlraw DEV_DEASSIGN DEV_ID=u32:8 >/dev/null 2>&1
}

check "insmod adprof.ko" load
# virtio-rng must be driverless to be assigned; the end restores it.
VRNG_DRV=
if [ -e "$SYS/$VRNG/driver" ]; then
	VRNG_DRV=$(basename "$(readlink "$SYS/$VRNG/driver")")
	echo "$VRNG" >"$SYS/$VRNG/driver/unbind"
fi
EDU_AT=$(pciattrs "$EDU")
VRNG_AT=$(pciattrs "$VRNG")
rm -f "$RES"

for col in $COLS; do
	cell $col JOIN_IRQ --join irq
	cell $col JOIN_SAMPLES --join samples
	cell $col PROF_GET_INFO PROF_GET_INFO
	# The session ends with nlraw's socket (NETLINK_URELEASE).
	cell $col PROF_START PROF_START FREQ=u32:100
	cell $col PROF_GET_STAT PROF_GET_STAT
	cell $col PROF_STOP PROF_STOP
	cell $col PROF_CLEAR PROF_CLEAR
	cell $col DEV_ASSIGN DEV_ASSIGN DEV_ID=u32:7 $EDU_AT
	cell $col DEV_GET DEV_GET DEV_ID=u32:7
	cell $col DEV_GET_DUMP DEV_GET --dump
	cell $col IRQ_ASSIGN IRQ_ASSIGN DEV_ID=u32:7 IRQ_FLAGS=u32:0x101 GUEST_IRQ=u32:10
	cell $col IRQ_ACK IRQ_ACK DEV_ID=u32:7
	cell $col IRQ_DEASSIGN IRQ_DEASSIGN DEV_ID=u32:7 IRQ_FLAGS=u32:0x101
	# Past the privilege check these meet a device without a domain
	# (EOPNOTSUPP, on any machine): the cell shows where they stopped.
	cell $col DMA_MAP DMA_MAP DEV_ID=u32:7 VADDR=u64:0x10000 IOVA=u64:0x100000 \
		SIZE=u64:4096 DMA_FLAGS=u32:3
	cell $col DMA_UNMAP DMA_UNMAP DEV_ID=u32:7 IOVA=u64:0x100000 SIZE=u64:4096
	cell $col DMA_GET DMA_GET DEV_ID=u32:7 IOVA=u64:0x100000
	cell $col DMA_GET_DUMP DMA_GET --dump
	helper $col DEV_ASSIGN DEV_ID=u32:8 $VRNG_AT
	cell $col MSIX_SET_NR MSIX_SET_NR DEV_ID=u32:8 MSIX_NR=u32:1
	cell $col MSIX_SET_ENTRY MSIX_SET_ENTRY DEV_ID=u32:8 MSIX_ENTRY=u32:0 GSI=u32:50
	helper $col DEV_DEASSIGN DEV_ID=u32:8
	cell $col DEV_DEASSIGN DEV_DEASSIGN DEV_ID=u32:7
	cleanup
done

# got COL ROW: the recorded answer.
got() { awk -v c="$1" -v r="$2" '$1 == c && $2 == r { $1 = $2 = ""; sub(/^ +/, ""); print; exit }' "$RES"; }

# verdict ANSWER: allowed, EPERM, or broken (the tool itself failed).
verdict() {
	case $1 in
	EPERM) echo EPERM ;;
	tool:* | "") echo broken ;;
	*) echo allowed ;;
	esac
}

label() {
	case $1 in
	DEV_GET) echo "DEV_GET (do)" ;;
	DEV_GET_DUMP) echo "DEV_GET (dump)" ;;
	DMA_GET) echo "DMA_GET (do)" ;;
	DMA_GET_DUMP) echo "DMA_GET (dump)" ;;
	JOIN_IRQ) echo "join \`irq\`" ;;
	JOIN_SAMPLES) echo "join \`samples\`" ;;
	*) echo "$1" ;;
	esac
}

for row in $ROWS; do
	for col in $COLS; do
		a=$(got $col $row)
		v=$(verdict "$a")
		want=$(expected $row $col)
		d="$(label $row) with $(heading $col): $want"
		[ "$v" = allowed ] && [ "$a" != ok ] && d="$d (answer $a)"
		if [ "$v" = "$want" ]; then
			pass "$d"
		else
			fail "$d, got $v${a:+ ($a)}"
			cat "/tmp/privs.$col.$row" 2>/dev/null
		fi
	done
done

# The table, for tests/results/privileges.md.
{
	echo "# Privileges of the adprof generic netlink family"
	echo
	echo "Measured by \`tests/guest/70-privs.sh\` on Linux $(uname -r) (QEMU guest);"
	echo "regenerate with \`make privileges\`. Each cell is what a process with the"
	echo "column's capabilities got for a valid request: **EPERM**, or allowed"
	echo "(the request then succeeded, or failed with the errno shown for another"
	echo "reason). The columns other than root and uid 65534 are uid 0 with every"
	echo "other capability dropped from all sets (\`nlraw --drop-caps=CAP\`) before"
	echo "the socket is opened."
	echo
	printf '| command |'
	for col in $COLS; do printf ' %s |' "$(heading $col)"; done
	echo
	printf '| --- |'
	for col in $COLS; do printf ' --- |'; done
	echo
	for row in $ROWS; do
		printf '| %s |' "$(label $row)"
		for col in $COLS; do
			a=$(got $col $row)
			case $(verdict "$a") in
			EPERM) printf ' **EPERM** |' ;;
			broken) printf ' test broken |' ;;
			*) [ "$a" = ok ] && printf ' allowed |' || printf ' allowed (%s) |' "$a" ;;
			esac
		done
		echo
	done
	echo
	echo "The rules behind it:"
	echo
	echo "- Commands: \`pre_doit\` (and the DEV_GET dump callback itself) check"
	echo "  \`netlink_capable()\`: the socket's opener and the sender must both hold"
	echo "  the capability in the initial user namespace. Assignment commands and"
	echo "  DEV_GET need CAP_SYS_ADMIN; PROF_START, PROF_STOP and PROF_CLEAR"
	echo "  CAP_PERFMON or CAP_SYS_ADMIN; PROF_GET_INFO and PROF_GET_STAT nothing."
	echo "- Joins: \`genl_bind()\` checks \`ns_capable(net->user_ns, CAP)\` for the"
	echo "  task calling \`setsockopt(NETLINK_ADD_MEMBERSHIP)\` or \`bind()\`, in the"
	echo "  user namespace owning the socket's network namespace (adprof is not"
	echo "  netns-aware: the initial one). \`irq\` is GENL_MCAST_CAP_NET_ADMIN,"
	echo "  \`samples\` GENL_MCAST_CAP_SYS_ADMIN. One capability never stands in for"
	echo "  another there: CAP_SYS_ADMIN alone cannot join \`irq\`."
} >/tmp/privileges.md
echo "# FILE-BEGIN privileges.md"
sed 's/^/# /; s/ $//' /tmp/privileges.md
echo "# FILE-END"

check "nothing left assigned" sh -c '[ "$(adprofctl -j list)" = "[]" ]'
check "rmmod adprof" unload
if [ -n "$VRNG_DRV" ]; then
	check "virtio-rng back to $VRNG_DRV" sh -c \
		"echo $VRNG >/sys/bus/pci/drivers/$VRNG_DRV/bind"
fi
grep -q '^adprof ' /proc/modules && unload
exit 0

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The adprof family against bad input and missing privilege, command by
# command, with nlraw (tests/tools/nlraw.c) sending what adprofctl never
# would. Expected errnos are what Linux 6.1's lib/nlattr.c gives for the
# policies of kernel/netlink.c:
#   wrong length for a fixed-size type     EINVAL "invalid attribute length"
#   NLA_POLICY_MIN/MAX/RANGE violated      ERANGE "integer out of range"
#   NLA_POLICY_MASK: unknown bit           EINVAL "reserved bit set"
#   NLA_BINARY longer than .len            ERANGE
#   NLA_NUL_STRING without NUL / too long  EINVAL
#   attribute > ADPROF_A_MAX               EINVAL "Unknown attribute type"
#   attribute not in the command's policy  EINVAL "Unsupported attribute"
# each with the offending attribute in the extended ack (nlraw prints it
# as bad-attr=NAME). A missing required attribute is EINVAL with
# NLMSGERR_ATTR_MISS_TYPE and a message (adprof_nl_require; nlraw:
# miss-attr=NAME).
# Privilege: assignment commands need CAP_SYS_ADMIN, PROF_START/STOP/CLEAR
# CAP_PERFMON or CAP_SYS_ADMIN, joining "irq" CAP_NET_ADMIN and "samples"
# CAP_SYS_ADMIN; PROF_GET_INFO and PROF_GET_STAT need nothing.
. /tests/lib.sh

UNKNOWN=4242			# a device id nobody assigned
NODEV="PCI_SEGMENT=u16:0 PCI_BUS=u8:0 PCI_DEVFN=u8:0xff"	# 00:1f.7: none on QEMU pc or q35

# pol DESC ERRNO ATTR NLRAW-ARGS...: refused by the policy, naming ATTR.
pol() {
	local desc=$1 err=$2 attr=$3
	shift 3
	refuse "$desc: $err naming $attr" \
		"^errno=$err \([0-9]+\) extack=\"[^\"]+\" bad-attr=$attr( |\$)" \
		nlraw "$@"
}

# miss CMD ATTR NLRAW-ARGS...: CMD without its required ATTR.
miss() {
	local cmd=$1 attr=$2
	shift 2
	refuse "$cmd without $attr: EINVAL with a message, naming it (miss-attr)" \
		"^errno=EINVAL \([0-9]+\) extack=\"[^\"]+\" miss-attr=$attr( |\$)" \
		nlraw "$cmd" "$@"
}

# unknown CMD NLRAW-ARGS...: attribute 200 (> ADPROF_A_MAX) is refused.
unknown() {
	local cmd=$1
	shift
	pol "$cmd with attribute 200" EINVAL 200 "$cmd" "$@" 200=u32:1
}

# eperm DESC KEEP NLRAW-ARGS...: refused for lack of privilege.
eperm() {
	local desc=$1 keep=$2
	shift 2
	refuse "$desc: EPERM with a message" '^errno=EPERM \([0-9]+\) extack="[^"]+"' \
		nlraw --drop-caps${keep:+=$keep} "$@"
}

# allowed DESC KEEP NLRAW-ARGS...: the privilege check lets it through
# (whatever the handler answers next).
allowed() {
	local desc=$1 keep=$2
	shift 2
	nlraw --drop-caps${keep:+=$keep} "$@" >"$OUT" 2>&1
	if grep -Eq '^(ok|reply|errno=)' "$OUT" && ! grep -q '^errno=EPERM' "$OUT"; then
		pass "$desc: past the privilege check"
	else
		fail "$desc: past the privilege check"
		diag "$OUT"
	fi
}

# joins DESC WANT KEEP GROUP: NETLINK_ADD_MEMBERSHIP answers WANT (ok,
# EPERM) for a process keeping the capabilities KEEP ("" none, "root" all).
joins() {
	local desc=$1 want=$2 keep=$3 group=$4 caps=--drop-caps${3:+=$3}
	[ "$keep" = root ] && caps=
	nlraw $caps --join "$group" >"$OUT" 2>&1
	if grep -Eq "^join $group: (errno=)?$want" "$OUT"; then
		pass "$desc"
	else
		fail "$desc (wanted $want)"
		diag "$OUT"
	fi
}

if ! command -v nlraw >/dev/null; then
	fail "nlraw missing from the guest (tests/tools)"
	exit 0
fi
check "insmod adprof.ko" load
expect "nlraw --drop-caps leaves no capability" \
	'Prm=0000000000000000 Eff=0000000000000000 Bnd=0000000000000000' \
	nlraw --drop-caps --caps
expect "nlraw --drop-caps=CAP_SYS_ADMIN keeps just that one" \
	'Eff=0000000000200000 Bnd=0000000000200000' \
	nlraw --drop-caps=CAP_SYS_ADMIN --caps

# ---------------------------------------------------------- DEV_ASSIGN
miss DEV_ASSIGN DEV_ID $NODEV
miss DEV_ASSIGN PCI_BUS DEV_ID=u32:7 PCI_SEGMENT=u16:0 PCI_DEVFN=u8:0xff
miss DEV_ASSIGN PCI_DEVFN DEV_ID=u32:7 PCI_SEGMENT=u16:0 PCI_BUS=u8:0
pol "DEV_ASSIGN DEV_ID as u8" EINVAL DEV_ID DEV_ASSIGN DEV_ID=u8:7 $NODEV
pol "DEV_ASSIGN PCI_BUS as u32" EINVAL PCI_BUS DEV_ASSIGN DEV_ID=u32:7 \
	PCI_SEGMENT=u16:0 PCI_BUS=u32:0 PCI_DEVFN=u8:0xff
pol "DEV_ASSIGN PCI_SEGMENT as u8" EINVAL PCI_SEGMENT DEV_ASSIGN DEV_ID=u32:7 \
	PCI_SEGMENT=u8:0 PCI_BUS=u8:0 PCI_DEVFN=u8:0xff
pol "DEV_ASSIGN DEV_ID 0" ERANGE DEV_ID DEV_ASSIGN DEV_ID=u32:0 $NODEV
pol "DEV_ASSIGN DEV_FLAGS with an undefined bit" EINVAL DEV_FLAGS \
	DEV_ASSIGN DEV_ID=u32:7 $NODEV DEV_FLAGS=u32:2
unknown DEV_ASSIGN DEV_ID=u32:7 $NODEV
pol "DEV_ASSIGN with IRQ_FLAGS (not its attribute)" EINVAL IRQ_FLAGS \
	DEV_ASSIGN DEV_ID=u32:7 $NODEV IRQ_FLAGS=u32:0x101

# -------------------------------------------------------- DEV_DEASSIGN
miss DEV_DEASSIGN DEV_ID
pol "DEV_DEASSIGN DEV_ID as u64" EINVAL DEV_ID DEV_DEASSIGN DEV_ID=u64:1
pol "DEV_DEASSIGN DEV_ID 0" ERANGE DEV_ID DEV_DEASSIGN DEV_ID=u32:0
unknown DEV_DEASSIGN DEV_ID=u32:$UNKNOWN
pol "DEV_DEASSIGN with PCI_BUS" EINVAL PCI_BUS DEV_DEASSIGN \
	DEV_ID=u32:$UNKNOWN PCI_BUS=u8:0

# ------------------------------------------------------------- DEV_GET
miss DEV_GET DEV_ID
pol "DEV_GET DEV_ID as u16" EINVAL DEV_ID DEV_GET DEV_ID=u16:1
pol "DEV_GET DEV_ID 0" ERANGE DEV_ID DEV_GET DEV_ID=u32:0
unknown DEV_GET DEV_ID=u32:$UNKNOWN
pol "DEV_GET with GSI" EINVAL GSI DEV_GET DEV_ID=u32:$UNKNOWN GSI=u32:1
pol "DEV_GET dump with DEV_ID as u8" EINVAL DEV_ID DEV_GET --dump DEV_ID=u8:1
pol "DEV_GET dump with attribute 200" EINVAL 200 DEV_GET --dump 200=u32:1
expect "DEV_GET dump with nothing assigned: empty" '^ok \(dump, 0 messages\)' \
	nlraw DEV_GET --dump

# ---------------------------------------------------------- IRQ_ASSIGN
miss IRQ_ASSIGN DEV_ID IRQ_FLAGS=u32:0x101 GUEST_IRQ=u32:5
miss IRQ_ASSIGN IRQ_FLAGS DEV_ID=u32:$UNKNOWN GUEST_IRQ=u32:5
pol "IRQ_ASSIGN IRQ_FLAGS as u16" EINVAL IRQ_FLAGS IRQ_ASSIGN \
	DEV_ID=u32:$UNKNOWN IRQ_FLAGS=u16:0x101
pol "IRQ_ASSIGN GUEST_IRQ as u8" EINVAL GUEST_IRQ IRQ_ASSIGN \
	DEV_ID=u32:$UNKNOWN IRQ_FLAGS=u32:0x101 GUEST_IRQ=u8:5
pol "IRQ_ASSIGN DEV_ID 0" ERANGE DEV_ID IRQ_ASSIGN DEV_ID=u32:0 IRQ_FLAGS=u32:0x101
for bits in 0x8 0x80 0x800 0x10000 0x80000000; do
	pol "IRQ_ASSIGN IRQ_FLAGS $bits (undefined bit)" EINVAL IRQ_FLAGS \
		IRQ_ASSIGN DEV_ID=u32:$UNKNOWN IRQ_FLAGS=u32:$bits
done
unknown IRQ_ASSIGN DEV_ID=u32:$UNKNOWN IRQ_FLAGS=u32:0x101
pol "IRQ_ASSIGN with MSIX_NR" EINVAL MSIX_NR IRQ_ASSIGN \
	DEV_ID=u32:$UNKNOWN IRQ_FLAGS=u32:0x101 MSIX_NR=u32:1

# -------------------------------------------------------- IRQ_DEASSIGN
miss IRQ_DEASSIGN DEV_ID IRQ_FLAGS=u32:0x101
miss IRQ_DEASSIGN IRQ_FLAGS DEV_ID=u32:$UNKNOWN
pol "IRQ_DEASSIGN IRQ_FLAGS as u8" EINVAL IRQ_FLAGS IRQ_DEASSIGN \
	DEV_ID=u32:$UNKNOWN IRQ_FLAGS=u8:1
pol "IRQ_DEASSIGN DEV_ID 0" ERANGE DEV_ID IRQ_DEASSIGN DEV_ID=u32:0 IRQ_FLAGS=u32:0x101
pol "IRQ_DEASSIGN IRQ_FLAGS 0x1000 (undefined bit)" EINVAL IRQ_FLAGS \
	IRQ_DEASSIGN DEV_ID=u32:$UNKNOWN IRQ_FLAGS=u32:0x1000
unknown IRQ_DEASSIGN DEV_ID=u32:$UNKNOWN IRQ_FLAGS=u32:0x101
pol "IRQ_DEASSIGN with GUEST_IRQ (assign only)" EINVAL GUEST_IRQ IRQ_DEASSIGN \
	DEV_ID=u32:$UNKNOWN IRQ_FLAGS=u32:0x101 GUEST_IRQ=u32:5

# --------------------------------------------------------- MSIX_SET_NR
miss MSIX_SET_NR DEV_ID MSIX_NR=u32:2
miss MSIX_SET_NR MSIX_NR DEV_ID=u32:$UNKNOWN
pol "MSIX_SET_NR MSIX_NR as u8" EINVAL MSIX_NR MSIX_SET_NR \
	DEV_ID=u32:$UNKNOWN MSIX_NR=u8:2
pol "MSIX_SET_NR MSIX_NR 0" ERANGE MSIX_NR MSIX_SET_NR DEV_ID=u32:$UNKNOWN MSIX_NR=u32:0
pol "MSIX_SET_NR MSIX_NR 256" ERANGE MSIX_NR MSIX_SET_NR DEV_ID=u32:$UNKNOWN MSIX_NR=u32:256
pol "MSIX_SET_NR DEV_ID 0" ERANGE DEV_ID MSIX_SET_NR DEV_ID=u32:0 MSIX_NR=u32:2
unknown MSIX_SET_NR DEV_ID=u32:$UNKNOWN MSIX_NR=u32:2
pol "MSIX_SET_NR with GSI" EINVAL GSI MSIX_SET_NR DEV_ID=u32:$UNKNOWN \
	MSIX_NR=u32:2 GSI=u32:1

# ------------------------------------------------------ MSIX_SET_ENTRY
miss MSIX_SET_ENTRY DEV_ID MSIX_ENTRY=u32:0 GSI=u32:1
miss MSIX_SET_ENTRY MSIX_ENTRY DEV_ID=u32:$UNKNOWN GSI=u32:1
miss MSIX_SET_ENTRY GSI DEV_ID=u32:$UNKNOWN MSIX_ENTRY=u32:0
pol "MSIX_SET_ENTRY MSIX_ENTRY as u16" EINVAL MSIX_ENTRY MSIX_SET_ENTRY \
	DEV_ID=u32:$UNKNOWN MSIX_ENTRY=u16:0 GSI=u32:1
pol "MSIX_SET_ENTRY GSI as u64" EINVAL GSI MSIX_SET_ENTRY \
	DEV_ID=u32:$UNKNOWN MSIX_ENTRY=u32:0 GSI=u64:1
pol "MSIX_SET_ENTRY MSIX_ENTRY 2048" ERANGE MSIX_ENTRY MSIX_SET_ENTRY \
	DEV_ID=u32:$UNKNOWN MSIX_ENTRY=u32:2048 GSI=u32:1
pol "MSIX_SET_ENTRY DEV_ID 0" ERANGE DEV_ID MSIX_SET_ENTRY \
	DEV_ID=u32:0 MSIX_ENTRY=u32:0 GSI=u32:1
unknown MSIX_SET_ENTRY DEV_ID=u32:$UNKNOWN MSIX_ENTRY=u32:0 GSI=u32:1
pol "MSIX_SET_ENTRY with MSIX_NR" EINVAL MSIX_NR MSIX_SET_ENTRY \
	DEV_ID=u32:$UNKNOWN MSIX_ENTRY=u32:0 GSI=u32:1 MSIX_NR=u32:1

# ------------------------------------------------------------- IRQ_ACK
miss IRQ_ACK DEV_ID
pol "IRQ_ACK DEV_ID as flag" EINVAL DEV_ID IRQ_ACK DEV_ID=flag
pol "IRQ_ACK DEV_ID 0" ERANGE DEV_ID IRQ_ACK DEV_ID=u32:0
unknown IRQ_ACK DEV_ID=u32:$UNKNOWN
pol "IRQ_ACK with IRQ_FLAGS" EINVAL IRQ_FLAGS IRQ_ACK DEV_ID=u32:$UNKNOWN \
	IRQ_FLAGS=u32:0x101

# ------------------------------------------------------------- DMA_MAP
M="VADDR=u64:0x10000 IOVA=u64:0x100000 SIZE=u64:4096 DMA_FLAGS=u32:3"
miss DMA_MAP DEV_ID $M
miss DMA_MAP VADDR DEV_ID=u32:$UNKNOWN IOVA=u64:0 SIZE=u64:4096 DMA_FLAGS=u32:3
miss DMA_MAP IOVA DEV_ID=u32:$UNKNOWN VADDR=u64:0 SIZE=u64:4096 DMA_FLAGS=u32:3
miss DMA_MAP SIZE DEV_ID=u32:$UNKNOWN VADDR=u64:0 IOVA=u64:0 DMA_FLAGS=u32:3
miss DMA_MAP DMA_FLAGS DEV_ID=u32:$UNKNOWN VADDR=u64:0 IOVA=u64:0 SIZE=u64:4096
pol "DMA_MAP IOVA as u32" EINVAL IOVA DMA_MAP DEV_ID=u32:$UNKNOWN VADDR=u64:0 \
	IOVA=u32:0 SIZE=u64:4096 DMA_FLAGS=u32:3
pol "DMA_MAP SIZE as u32" EINVAL SIZE DMA_MAP DEV_ID=u32:$UNKNOWN VADDR=u64:0 \
	IOVA=u64:0 SIZE=u32:4096 DMA_FLAGS=u32:3
pol "DMA_MAP DMA_FLAGS 4 (undefined bit)" EINVAL DMA_FLAGS DMA_MAP \
	DEV_ID=u32:$UNKNOWN VADDR=u64:0 IOVA=u64:0 SIZE=u64:4096 DMA_FLAGS=u32:4
pol "DMA_MAP DEV_ID 0" ERANGE DEV_ID DMA_MAP DEV_ID=u32:0 $M
unknown DMA_MAP DEV_ID=u32:$UNKNOWN $M
pol "DMA_MAP with IRQ_FLAGS" EINVAL IRQ_FLAGS DMA_MAP DEV_ID=u32:$UNKNOWN $M \
	IRQ_FLAGS=u32:0x101

# ----------------------------------------------------------- DMA_UNMAP
miss DMA_UNMAP DEV_ID IOVA=u64:0 SIZE=u64:4096
miss DMA_UNMAP IOVA DEV_ID=u32:$UNKNOWN SIZE=u64:4096
miss DMA_UNMAP SIZE DEV_ID=u32:$UNKNOWN IOVA=u64:0
pol "DMA_UNMAP IOVA as u8" EINVAL IOVA DMA_UNMAP DEV_ID=u32:$UNKNOWN IOVA=u8:0 SIZE=u64:4096
unknown DMA_UNMAP DEV_ID=u32:$UNKNOWN IOVA=u64:0 SIZE=u64:4096
pol "DMA_UNMAP with VADDR (map only)" EINVAL VADDR DMA_UNMAP \
	DEV_ID=u32:$UNKNOWN IOVA=u64:0 SIZE=u64:4096 VADDR=u64:0

# ------------------------------------------------------------- DMA_GET
miss DMA_GET DEV_ID IOVA=u64:0
miss DMA_GET IOVA DEV_ID=u32:$UNKNOWN
pol "DMA_GET IOVA as u16" EINVAL IOVA DMA_GET DEV_ID=u32:$UNKNOWN IOVA=u16:0
unknown DMA_GET DEV_ID=u32:$UNKNOWN IOVA=u64:0
pol "DMA_GET with SIZE" EINVAL SIZE DMA_GET DEV_ID=u32:$UNKNOWN IOVA=u64:0 SIZE=u64:1
pol "DMA_GET dump with DEV_ID as u8" EINVAL DEV_ID DMA_GET --dump DEV_ID=u8:1
pol "DMA_GET dump with attribute 200" EINVAL 200 DMA_GET --dump 200=u32:1
expect "DMA_GET dump with nothing mapped: empty" '^ok \(dump, 0 messages\)' \
	nlraw DMA_GET --dump
expect "DMA_GET dump of an unknown DEV_ID: empty" '^ok \(dump, 0 messages\)' \
	nlraw DMA_GET --dump DEV_ID=u32:$UNKNOWN

# ------------------------------------- commands without attributes
for c in PROF_GET_INFO PROF_STOP PROF_GET_STAT PROF_CLEAR; do
	unknown $c
	pol "$c with DEV_ID (takes none)" EINVAL DEV_ID $c DEV_ID=u32:1
	pol "$c with FREQ as u8 (takes none)" EINVAL FREQ $c FREQ=u8:1
done

# ---------------------------------------------------------- PROF_START
pol "PROF_START FREQ as u8" EINVAL FREQ PROF_START FREQ=u8:100
pol "PROF_START BUF_SAMPLES as u16" EINVAL BUF_SAMPLES PROF_START BUF_SAMPLES=u16:64
pol "PROF_START MAX_BUFS as u64" EINVAL MAX_BUFS PROF_START MAX_BUFS=u64:4
pol "PROF_START PROF_FLAGS as u8" EINVAL PROF_FLAGS PROF_START PROF_FLAGS=u8:0
pol "PROF_START BACKEND without NUL" EINVAL BACKEND PROF_START BACKEND=strn:cpu-clock
pol "PROF_START CPUMASK as a nest" EINVAL CPUMASK PROF_START CPUMASK=nest
pol "PROF_START FREQ 0" ERANGE FREQ PROF_START FREQ=u32:0
pol "PROF_START FREQ 100001" ERANGE FREQ PROF_START FREQ=u32:100001
pol "PROF_START BUF_SAMPLES 15" ERANGE BUF_SAMPLES PROF_START BUF_SAMPLES=u32:15
pol "PROF_START BUF_SAMPLES 65537" ERANGE BUF_SAMPLES PROF_START BUF_SAMPLES=u32:65537
pol "PROF_START MAX_BUFS 0" ERANGE MAX_BUFS PROF_START MAX_BUFS=u32:0
pol "PROF_START MAX_BUFS 1025" ERANGE MAX_BUFS PROF_START MAX_BUFS=u32:1025
pol "PROF_START PROF_FLAGS 4 (undefined bit)" EINVAL PROF_FLAGS PROF_START PROF_FLAGS=u32:4
pol "PROF_START STACK_DEPTH as u16" EINVAL STACK_DEPTH PROF_START PROF_FLAGS=u32:2 STACK_DEPTH=u16:8
pol "PROF_START PROF_FLAGS 0x80000000 (undefined bit)" EINVAL PROF_FLAGS \
	PROF_START PROF_FLAGS=u32:0x80000000
pol "PROF_START BACKEND of 32 characters" EINVAL BACKEND \
	PROF_START BACKEND=str:abcdefghijklmnopqrstuvwxyz012345
zeros=$(printf '%2050s' '' | tr ' ' 0)
pol "PROF_START CPUMASK of 1025 bytes" ERANGE CPUMASK PROF_START CPUMASK=bin:$zeros
unknown PROF_START
pol "PROF_START with DEV_ID" EINVAL DEV_ID PROF_START DEV_ID=u32:1
# The policy's own bounds pass it (handlers: the session ends with nlraw).
expect "PROF_START at the lower bounds (FREQ 1, BUF_SAMPLES 16, MAX_BUFS 1)" '^ok' \
	nlraw PROF_START FREQ=u32:1 BUF_SAMPLES=u32:16 MAX_BUFS=u32:1 PROF_FLAGS=u32:0
expect "PROF_START at the upper bounds (BUF_SAMPLES 65536, MAX_BUFS 1024)" '^ok' \
	nlraw PROF_START FREQ=u32:10 BUF_SAMPLES=u32:65536 MAX_BUFS=u32:1024 \
	BACKEND=str:cpu-clock CPUMASK=bin:01
refuse "PROF_START BACKEND of 31 characters passes the policy: unknown backend ENOENT" \
	'^errno=ENOENT \([0-9]+\) extack="[^"]+"' \
	nlraw PROF_START BACKEND=str:abcdefghijklmnopqrstuvwxyz01234
expect "PROF_STOP after the sessions" '^ok' nlraw PROF_STOP

# ------------------------------------------------- unknown device id
for c in "DEV_GET" "DEV_DEASSIGN" "IRQ_ACK" "IRQ_ASSIGN IRQ_FLAGS=u32:0x101 GUEST_IRQ=u32:5" \
	 "IRQ_DEASSIGN IRQ_FLAGS=u32:0x101" "MSIX_SET_NR MSIX_NR=u32:2" \
	 "MSIX_SET_ENTRY MSIX_ENTRY=u32:0 GSI=u32:1" "DMA_MAP $M" \
	 "DMA_UNMAP IOVA=u64:0 SIZE=u64:4096" "DMA_GET IOVA=u64:0"; do
	set -- $c
	name=$1
	shift
	refuse "$name on unknown DEV_ID $UNKNOWN: ENODEV with a message" \
		'^errno=ENODEV \([0-9]+\) extack="[^"]+"' \
		nlraw "$name" DEV_ID=u32:$UNKNOWN "$@"
done

# ----------------------------------------------------------- privilege
# Well-formed requests, so that only the privilege check can refuse them.
for c in "DEV_ASSIGN DEV_ID=u32:7 $NODEV" "DEV_DEASSIGN DEV_ID=u32:$UNKNOWN" \
	 "DEV_GET DEV_ID=u32:$UNKNOWN" "DEV_GET --dump" \
	 "IRQ_ASSIGN DEV_ID=u32:$UNKNOWN IRQ_FLAGS=u32:0x101" \
	 "IRQ_DEASSIGN DEV_ID=u32:$UNKNOWN IRQ_FLAGS=u32:0x101" \
	 "MSIX_SET_NR DEV_ID=u32:$UNKNOWN MSIX_NR=u32:2" \
	 "MSIX_SET_ENTRY DEV_ID=u32:$UNKNOWN MSIX_ENTRY=u32:0 GSI=u32:1" \
	 "IRQ_ACK DEV_ID=u32:$UNKNOWN" "DMA_MAP DEV_ID=u32:$UNKNOWN $M" \
	 "DMA_UNMAP DEV_ID=u32:$UNKNOWN IOVA=u64:0 SIZE=u64:4096" \
	 "DMA_GET DEV_ID=u32:$UNKNOWN IOVA=u64:0" "DMA_GET --dump"; do
	set -- $c
	eperm "$1${2:+ $2} unprivileged" "" "$@"
	eperm "$1${2:+ $2} with CAP_NET_ADMIN,CAP_PERFMON" CAP_NET_ADMIN,CAP_PERFMON "$@"
	allowed "$1${2:+ $2} with CAP_SYS_ADMIN only" CAP_SYS_ADMIN "$@"
done
for c in PROF_START PROF_STOP PROF_CLEAR; do
	eperm "$c unprivileged" "" $c
	eperm "$c with CAP_NET_ADMIN only" CAP_NET_ADMIN $c
	allowed "$c with CAP_PERFMON only" CAP_PERFMON $c
	allowed "$c with CAP_SYS_ADMIN only" CAP_SYS_ADMIN $c
done
nlraw PROF_STOP >/dev/null 2>&1
expect "PROF_STOP with CAP_PERFMON only" '^ok' nlraw --drop-caps=CAP_PERFMON PROF_STOP
expect "PROF_CLEAR with CAP_PERFMON only" '^ok' nlraw --drop-caps=CAP_PERFMON PROF_CLEAR
allowed "PROF_GET_INFO unprivileged" "" PROF_GET_INFO
allowed "PROF_GET_STAT unprivileged" "" PROF_GET_STAT
expect "PROF_GET_INFO unprivileged answers version 1" '^reply PROF_GET_INFO .*VERSION=1( |$)' \
	nlraw --drop-caps PROF_GET_INFO
expect "PROF_GET_STAT unprivileged answers the statistics" '^reply PROF_GET_STAT .*STATS\{.* SAMPLE=' \
	nlraw --drop-caps PROF_GET_STAT

joins "join samples unprivileged: EPERM" EPERM "" samples
joins "join samples with CAP_NET_ADMIN only: EPERM" EPERM CAP_NET_ADMIN samples
joins "join samples with CAP_SYS_ADMIN only: ok" ok CAP_SYS_ADMIN samples
joins "join irq unprivileged: EPERM" EPERM "" irq
joins "join irq with CAP_PERFMON,CAP_SYS_ADMIN but not CAP_NET_ADMIN: EPERM" EPERM \
	CAP_PERFMON,CAP_SYS_ADMIN irq
joins "join irq with CAP_NET_ADMIN only: ok" ok CAP_NET_ADMIN irq
joins "join samples as root: ok" ok root samples
joins "join irq as root: ok" ok root irq

check "rmmod adprof" unload

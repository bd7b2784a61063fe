#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Device assignment end to end: QEMU's edu (INTx, MSI) and virtio-rng
# (MSI-X, vectors=4). Interrupts are raised through the device's BAR, as a
# consumer would, and counted three ways that must agree: /proc/interrupts
# (the kernel's own count, used to pace), the events on the "irq" group
# (irqwatch) and the per-vector counters of DEV_GET.
. /tests/lib.sh

SYS=/sys/bus/pci/devices
DBG=/sys/kernel/debug/adprof/devices

EDU=$(edu find 1234:11e8)
VRNG=$(edu find 1af4:1005)
if [ -z "$EDU" ] || [ -z "$VRNG" ]; then
	fail "edu and virtio-rng present (edu=$EDU virtio-rng=$VRNG)"
	exit 0
fi
pass "edu at $EDU, virtio-rng at $VRNG"

# ---- helpers ----------------------------------------------------------------

drv() { basename "$(readlink "$SYS/$1/driver" 2>/dev/null)" 2>/dev/null; }

# wait_for SECONDS CMD...: poll CMD every 0.1 s until it succeeds.
wait_for() {
	n=$(($1 * 10)); shift
	while ! "$@" >/dev/null 2>&1; do
		n=$((n - 1))
		[ $n -gt 0 ] || return 1
		sleep 0.1
	done
}

# watch_start OUT ARGS...: irqwatch in the background, subscribed on return.
watch_start() {
	wout=$1; shift
	rm -f /tmp/irqwatch.ready
	irqwatch -r /tmp/irqwatch.ready "$@" >"$wout" 2>&1 &
	WPID=$!
	wait_for 10 test -e /tmp/irqwatch.ready
}

# Fields of irqwatch's summary line and of vector 0 in `adprofctl list ID`.
summary() { sed -n "s/^summary .*$1 \([0-9]*\).*/\1/p" "$2"; }
events_in() { grep -c '^event ' "$1"; }
vec0() { adprofctl list "$1" | sed -n "s/^.vector 0 .*$2 \([0-9]*\).*/\1/p"; }
has_events() { [ "$(events_in "$1")" -ge "$2" ]; }
count_gt() { c=$(vec0 "$1" count); [ -n "$c" ] && [ "$c" -gt "$2" ]; }
eq() { [ "$1" = "$2" ]; }

# ---- set-up -------------------------------------------------------------------

# The guest's init may or may not have loaded virtio_pci: the EBUSY case
# needs virtio-rng bound to it. The end restores what was found.
VRNG_DRV=$(drv "$VRNG")
[ -n "$VRNG_DRV" ] || modprobe virtio_pci 2>/dev/null
wait_for 10 test -e "$SYS/$VRNG/driver"
expect "virtio-rng starts bound to virtio-pci" '^virtio-pci$' drv "$VRNG"

cat "$SYS/$EDU/config" >/tmp/edu.cfg
expect "edu config space read as root is 256 bytes" '^256$' sh -c 'wc -c </tmp/edu.cfg'
check "edu registers reachable before assignment" edu check "$EDU"

check "insmod" load

# ---- refusals before anything is assigned ------------------------------------

refuse "unknown PCI address: ENODEV" 'no PCI device.*No such device' \
	adprofctl assign 9 0000:00:1f.7
refuse "host bridge 00:00.0: EINVAL" 'host bridge.*Invalid argument' \
	adprofctl assign 9 0000:00:00.0
# The ISA bridge is 00:01.0 on QEMU's pc, 00:1f.0 on q35.
ISA=
for d in $SYS/*; do
	[ "$(cat "$d/class")" = 0x060100 ] && { ISA=${d##*/}; break; }
done
refuse "ISA bridge $ISA: EINVAL" 'bridge cannot be assigned.*Invalid argument' \
	adprofctl assign 9 "$ISA"
refuse "device bound to a host driver: EBUSY naming it" \
	'host driver virtio-pci.*busy' adprofctl assign 2 "$VRNG"
expect "a refused device keeps its driver" '^virtio-pci$' drv "$VRNG"
refuse "deassign of an unknown DEV_ID: ENODEV" 'No such device' adprofctl deassign 7
refuse "DEV_GET of an unknown DEV_ID: ENODEV" 'No such device' adprofctl list 7
refuse "IRQ_ASSIGN on an unknown DEV_ID: ENODEV" 'No such device' \
	adprofctl irq 7 host=msi guest=msi
expect "dump of an empty registry" '^\[\]$' adprofctl -j list

# ---- assign edu ---------------------------------------------------------------

check "assign edu as 1" adprofctl assign 1 "$EDU"
expect "edu is bound to adprof" '^adprof$' drv "$EDU"
expect "edu driver_override is adprof" '^adprof$' cat "$SYS/$EDU/driver_override"
expect "DEV_GET shows address and ids" "^1 $EDU 1234:11e8 host=none guest=none" \
	adprofctl list 1
refuse "DEV_ID in use: EEXIST" 'DEV_ID is in use.*File exists' \
	adprofctl assign 1 "$VRNG"
refuse "DEV_ID in use and no such device: EEXIST first, as KVM" \
	'DEV_ID is in use.*File exists' adprofctl assign 1 0000:00:1f.7
refuse "device assigned under another DEV_ID: EEXIST" \
	'already assigned as DEV_ID 1.*File exists' adprofctl assign 3 "$EDU"
check "edu registers reachable through resource0 while assigned" edu check "$EDU"
expect "debugfs devices lists edu" "^1 $EDU 1234:11e8 host=none guest=none" cat "$DBG"

refuse "IRQ_ACK without host INTx: EINVAL" 'no host INTx.*Invalid argument' \
	adprofctl ack 1
refuse "MSIX_SET_NR on a device without MSI-X: EOPNOTSUPP" \
	'no MSI-X capability.*not supported' adprofctl msix 1 nr 1
refuse "host MSI-X on a device without MSI-X: EOPNOTSUPP" \
	'no MSI-X capability.*not supported' adprofctl irq 1 host=msix guest=msix
refuse "IRQ_DEASSIGN with nothing assigned: ENXIO" 'no IRQ.*No such device or address' \
	adprofctl irq 1 --deassign host=msi
refuse "two host types: EINVAL" 'at most one.*Invalid argument' adprofctl irq 1 3
refuse "no type at all: EINVAL" 'Invalid argument' adprofctl irq 1 0

# ---- MSI ------------------------------------------------------------------------

check "host MSI to guest MSI 42" adprofctl irq 1 host=msi guest=msi --guest-irq 42
refuse "host side assigned twice: EEXIST" 'already assigned.*File exists' \
	adprofctl irq 1 host=intx
refuse "guest side assigned twice: EEXIST" 'already assigned.*File exists' \
	adprofctl irq 1 guest=intx
expect "vector named in /proc/interrupts" 'MSI.*adprof:1:0$' grep adprof:1:0 /proc/interrupts

N=200
watch_start /tmp/w.msi -c $N -t 300 -d 1 -l
check "raise $N MSIs, each taken by the CPU before the next" \
	edu raise "$EDU" $N -p adprof:1:0
wait $WPID
expect "events on the irq group add up to $N interrupts" "^summary events [0-9]+ count $N " \
	cat /tmp/w.msi
E=$(summary events /tmp/w.msi)
expect "every event names dev 1, vector 0, gsi 42" "^$E\$" \
	grep -c '^event dev 1 vec 0 gsi 42 count [1-9]' /tmp/w.msi
expect "DEV_GET counts $N on vector 0, coalesced = $N - events" \
	"vector 0 irq [0-9]+ count $N coalesced $((N - E))\$" adprofctl list 1
echo "# MSI latency, hard IRQ to irqwatch (ns, TCG): $(grep '^summary' /tmp/w.msi)"

# Unpaced: the APIC may merge interrupts, but whatever the kernel counts
# must reach the listener.
watch_start /tmp/w.burst -i 3000 -t 120 -d 1 -q
check "raise 500 MSIs back to back" edu raise "$EDU" 500
wait $WPID
B=$(summary count /tmp/w.burst)
check "a burst delivers what it counted (events $B, DEV_GET $(vec0 1 count))" \
	eq "$(vec0 1 count)" $((N + B))
check "a burst counts at most what was raised" test "$B" -le 500 -a "$B" -gt 0

# Rate limit: 1 event per second, bursts of 1. The excess is coalesced
# into later events, never dropped.
C0=$(vec0 1 coalesced)
check "set irq_rate to 1" sh -c 'echo 1 >/sys/module/adprof/parameters/irq_rate'
watch_start /tmp/w.rate -c 100 -t 120 -d 1
check "raise 100 MSIs under the rate limit" edu raise "$EDU" 100 -p adprof:1:0
wait $WPID
expect "rate-limited events still add up to 100" "^summary events [0-9]+ count 100 " \
	cat /tmp/w.rate
R=$(summary events /tmp/w.rate)
check "rate limit coalesced them into fewer events ($R)" test "$R" -lt 100
check "DEV_GET coalesced grew by 100 - events" \
	eq "$(vec0 1 coalesced)" $((C0 + 100 - R))
check "DEV_GET count is every interrupt" eq "$(vec0 1 count)" $((N + B + 100))
check "restore irq_rate" sh -c 'echo 10000 >/sys/module/adprof/parameters/irq_rate'
expect "debugfs shows MSI counts" "^1 $EDU 1234:11e8 host=msi guest=msi guest_irq=42 .*count:$((N + B + 100)),.*unheard:0,lost:0" \
	cat "$DBG"

# adprofctl watch-irq: it has no "subscribed" signal, so interrupts are
# raised in rounds until it has seen its COUNT.
watch_irq() {
	out=$1; shift
	adprofctl "$@" >"$out" 2>&1 &
	wi=$!
	i=0
	while kill -0 $wi 2>/dev/null && [ $i -lt 100 ]; do
		edu raise "$EDU" 5 -p adprof:1:0 >/dev/null || break
		i=$((i + 1))
	done
	wait $wi
}
check "watch-irq -c 50 --latency" watch_irq /tmp/wi.txt watch-irq -c 50 -t 300 --latency
expect "watch-irq prints 50 events of dev 1" '^50$' \
	grep -c '^dev 1 vector 0 guest_irq 42 count [1-9][0-9]* ts [0-9]* latency [0-9]*ns$' /tmp/wi.txt
expect "watch-irq summary" '^events 50 interrupts [0-9]+ overruns 0 dma_faults 0$' cat /tmp/wi.txt
expect "watch-irq percentiles" '^p50 [0-9.]+[mun]?s p99 [0-9.]+[mun]?s max ' cat /tmp/wi.txt
echo "# watch-irq --latency (TCG):"
sed -n '/^latency/,$p' /tmp/wi.txt | sed 's/^/#   /'
check "watch-irq -j -c 5 --latency" watch_irq /tmp/wi.json -j watch-irq -c 5 -t 300 --latency
expect "watch-irq JSON events" '^5$' \
	grep -c '^{"dev_id":1,"vector":0,"guest_irq":42,"count":[0-9]*,"timestamp_ns":[0-9]*,"latency_ns":[0-9]*}$' /tmp/wi.json
expect "watch-irq JSON summary" '^\{"events":5,"interrupts":[0-9]+,"overruns":0,"dma_faults":0,"latency":\{"p50_ns":' \
	cat /tmp/wi.json
fails "watch-irq -c not reached in time: exit 1" '0 of 3 events' \
	adprofctl watch-irq -c 3 -t 1

# Interrupts the rate limit holds back get their event when the vector goes.
check "set irq_rate to 1 again" sh -c 'echo 1 >/sys/module/adprof/parameters/irq_rate'
watch_start /tmp/w.tear -c 30 -t 120 -d 1
check "raise 30 MSIs under the rate limit" edu raise "$EDU" 30 -p adprof:1:0
check "IRQ_DEASSIGN both sides" adprofctl irq 1 --deassign host=msi guest=msi
wait $WPID
expect "IRQ_DEASSIGN sent what the rate limit held back" "^summary events [0-9]+ count 30 " \
	cat /tmp/w.tear
check "restore irq_rate again" sh -c 'echo 10000 >/sys/module/adprof/parameters/irq_rate'
check "vector gone from /proc/interrupts" sh -c '! grep -q adprof: /proc/interrupts'
refuse "IRQ_DEASSIGN again: ENXIO" 'No such device or address' \
	adprofctl irq 1 --deassign host=msi guest=msi

# ---- INTx: masked from the interrupt to IRQ_ACK -------------------------------

check "host INTx to guest INTx 5" adprofctl irq 1 host=intx guest=intx --guest-irq 5
expect "INTx line named in /proc/interrupts" 'IO-APIC.*adprof:1:0$' grep adprof:1:0 /proc/interrupts
watch_start /tmp/w.intx -t 120 -d 1
check "raise INTx #1" edu raise "$EDU" 1 -p adprof:1:0
check "event for INTx #1" wait_for 30 has_events /tmp/w.intx 1
expect "line masked until IRQ_ACK" 'intx_masked 1' adprofctl list 1
check "consumer acks the device (line low)" edu ack "$EDU"
check "raise INTx #2 while the line is masked" edu raise "$EDU" 1
sleep 1
check "INTx #2 not taken before IRQ_ACK" eq "$(vec0 1 count)" 1
check "no event for INTx #2 before IRQ_ACK" eq "$(events_in /tmp/w.intx)" 1
check "IRQ_ACK" adprofctl ack 1
check "INTx #2 delivered after IRQ_ACK" wait_for 30 has_events /tmp/w.intx 2
check "DEV_GET counts 2" eq "$(vec0 1 count)" 2
check "consumer acks the device" edu ack "$EDU"
check "IRQ_ACK #2" adprofctl ack 1
expect "line unmasked" 'intx_masked 0' adprofctl list 1
check "an idle IRQ_ACK is harmless" adprofctl ack 1
sleep 0.5
kill $WPID 2>/dev/null
wait $WPID 2>/dev/null
check "exactly 2 INTx events, gsi 5" eq "$(grep -c '^event dev 1 vec 0 gsi 5 count 1 ' /tmp/w.intx)" 2
expect "debugfs shows the INTx bookkeeping" 'host=intx .*intx_masks=2 .*intx_acks=2 intx_idle_acks=1' \
	cat "$DBG"
check "IRQ_DEASSIGN INTx" adprofctl irq 1 --deassign host=intx guest=intx

# Released while masked: the line must work for the next assignment.
check "host INTx again" adprofctl irq 1 host=intx guest=intx
check "raise INTx, left masked" edu raise "$EDU" 1 -p adprof:1:0
expect "line masked" 'intx_masked 1' adprofctl list 1
check "IRQ_DEASSIGN INTx while masked" adprofctl irq 1 --deassign host=intx guest=intx
check "consumer acks the device" edu ack "$EDU"
check "host INTx once more" adprofctl irq 1 host=intx guest=intx
watch_start /tmp/w.intx2 -c 1 -t 60 -d 1
check "raise INTx" edu raise "$EDU" 1 -p adprof:1:0
wait $WPID
expect "the line works after a release while masked" '^summary events 1 count 1 ' \
	cat /tmp/w.intx2
check "ack device and line" sh -c "edu ack $EDU && adprofctl ack 1"
check "IRQ_DEASSIGN INTx" adprofctl irq 1 --deassign host=intx guest=intx

# ---- give edu back ------------------------------------------------------------

check "deassign 1" adprofctl deassign 1
check "edu unbound" test -z "$(drv "$EDU")"
expect "edu driver_override cleared" '^\(null\)$' cat "$SYS/$EDU/driver_override"
check "edu config space as found, byte for byte" cmp /tmp/edu.cfg "$SYS/$EDU/config"
refuse "deassign again: ENODEV" 'No such device' adprofctl deassign 1

# ---- virtio-rng: MSI-X ----------------------------------------------------------

check "unbind virtio-rng from virtio-pci" sh -c "echo $VRNG >$SYS/$VRNG/driver/unbind"
cat "$SYS/$VRNG/config" >/tmp/vrng.cfg
check "assign virtio-rng as 2" adprofctl assign 2 "$VRNG"
expect "virtio-rng is bound to adprof" '^adprof$' drv "$VRNG"
refuse "host MSI-X before the table: EINVAL" 'MSIX_SET_NR and entries first.*Invalid argument' \
	adprofctl irq 2 host=msix guest=msix
refuse "host MSI on a device without MSI: EOPNOTSUPP" 'no MSI capability.*not supported' \
	adprofctl irq 2 host=msi guest=msi
refuse "MSIX_SET_ENTRY before MSIX_SET_NR: EINVAL" 'MSIX_SET_NR first' \
	adprofctl msix 2 entry 0 gsi 100
refuse "MSIX_NR above the table size: EINVAL" 'table size \(4\).*Invalid argument' \
	adprofctl msix 2 nr 5
check "MSIX_SET_NR 4" adprofctl msix 2 nr 4
refuse "MSIX_SET_NR twice: EINVAL" 'already set.*Invalid argument' adprofctl msix 2 nr 4
refuse "MSI-X entry beyond the device table: EINVAL" 'beyond.*Invalid argument' \
	adprofctl msix 2 entry 4 gsi 9
for e in 3 2 1; do
	check "MSI-X entry $e to gsi $((100 + e))" adprofctl msix 2 entry $e gsi $((100 + e))
done
refuse "host MSI-X with the table incomplete: EINVAL" 'entries first' \
	adprofctl irq 2 host=msix guest=msix
check "MSI-X entry 0 to gsi 7" adprofctl msix 2 entry 0 gsi 7
check "MSI-X entry 0 updated to gsi 100" adprofctl msix 2 entry 0 gsi 100
expect "DEV_GET shows the table in slot order" 'msix nr 4 table 3=103 2=102 1=101 0=100$' \
	adprofctl list 2
check "host MSI-X to guest MSI-X" adprofctl irq 2 host=msix guest=msix
expect "4 MSI-X vectors in /proc/interrupts" '^4$' grep -c 'adprof:2:[0-3]$' /proc/interrupts
expect "the device unmasked all 4 entries" '^0:0 1:0 2:0 3:0$' edu msixmask "$VRNG"
expect "DEV_GET lists 4 vectors" '^4$' sh -c 'adprofctl list 2 | grep -c "vector [0-3] irq [0-9]* count 0"'
check "IRQ_DEASSIGN host MSI-X" adprofctl irq 2 --deassign host=msix
check "MSI-X vectors gone from /proc/interrupts" sh -c '! grep -q adprof: /proc/interrupts'
check "the table went with host MSI-X" sh -c '! adprofctl list 2 | grep -q "msix nr"'
expect "the device masked all entries again" '^0:1 1:1 2:1 3:1$' edu msixmask "$VRNG"
check "MSIX_SET_NR 2 after the release" adprofctl msix 2 nr 2
fails "several entries, one malformed: usage, nothing sent" 'Usage|usage' \
	adprofctl msix 2 entry 3 gsi 1 entry 1 gsi
fails "... or one out of range" "GSI '4294967296' out of range" \
	adprofctl msix 2 entry 3 gsi 1 entry 1 gsi 4294967296
check "... and the table is still empty" sh -c '! adprofctl list 2 | grep -q "msix nr 2 table [0-9]"'
refuse "entries 3, 1 and 0 in one call, a table of 2: the third refused, named" \
	'^adprofctl: msix: entry 0: .*every slot.*No space left' \
	adprofctl msix 2 entry 3 gsi 1 entry 1 gsi 2 entry 0 gsi 3
expect "... the two before it set" 'msix nr 2 table 3=1 1=2$' adprofctl list 2
refuse "guest MSI-X kept its side: EEXIST" 'already assigned.*File exists' \
	adprofctl irq 2 host=msix guest=msix
check "host MSI-X alone, on entries 3 and 1" adprofctl irq 2 host=msix
expect "2 MSI-X vectors in /proc/interrupts" '^2$' grep -c 'adprof:2:[01]$' /proc/interrupts
expect "exactly the device entries named are unmasked" '^0:1 1:0 2:1 3:0$' edu msixmask "$VRNG"
check "IRQ_DEASSIGN host MSI-X again" adprofctl irq 2 --deassign host=msix guest=msix

# ---- both assigned: dump, sysfs unbind, foreign binds ----------------------------

check "assign edu as 1 again" adprofctl assign 1 "$EDU"
expect "DEV_GET dump lists both" '^2$' sh -c "adprofctl list | grep -cE '^(1 $EDU|2 $VRNG) '"
expect "JSON dump lists both" '"id": ?1,.*"id": ?2,' sh -c 'adprofctl -j list | tr -d "\n"'
expect "debugfs lists both" '^2$' grep -cE '^(1 .* 1234:11e8|2 .* 1af4:1005) ' "$DBG"
# KVM's rule: host INTx is not shared. Here both sit on one line.
if [ "$(cat "$SYS/$EDU/irq")" = "$(cat "$SYS/$VRNG/irq")" ]; then
	check "host INTx on edu" adprofctl irq 1 host=intx
	refuse "host INTx on a line another device holds: EBUSY" 'shared.*busy' \
		adprofctl irq 2 host=intx
	check "nothing half-assigned after the refusal" sh -c '! adprofctl list 2 | grep -q "host=intx"'
	check "IRQ_DEASSIGN host INTx of edu" adprofctl irq 1 --deassign host=intx
fi
check "sysfs unbind of adprof releases edu" sh -c "echo $EDU >/sys/bus/pci/drivers/adprof/unbind"
refuse "DEV_ID 1 is gone after the unbind" 'No such device' adprofctl list 1
expect "sysfs unbind cleared driver_override" '^\(null\)$' cat "$SYS/$EDU/driver_override"
check "edu config space as found after the unbind" cmp /tmp/edu.cfg "$SYS/$EDU/config"
fails "new_id cannot give adprof ids" 'Invalid argument' \
	sh -c 'echo "1234 11e8" >/sys/bus/pci/drivers/adprof/new_id'
check "driver_override set to adprof by hand" sh -c "echo adprof >$SYS/$EDU/driver_override"
fails "adprof refuses a bind DEV_ASSIGN did not ask for" 'No such device' \
	sh -c "echo $EDU >/sys/bus/pci/drivers/adprof/bind"
check "edu stays unbound" test -z "$(drv "$EDU")"
refuse "DEV_ASSIGN of a device with a driver_override: EBUSY" \
	'driver_override.*busy' adprofctl assign 1 "$EDU"
check "driver_override cleared by hand" sh -c "echo >$SYS/$EDU/driver_override"
check "deassign 2" adprofctl deassign 2
check "virtio-rng config space as found" cmp /tmp/vrng.cfg "$SYS/$VRNG/config"

# ---- max_devs -------------------------------------------------------------------

check "rmmod" unload
check "insmod max_devs=1" load max_devs=1
check "assign edu under max_devs=1" adprofctl assign 1 "$EDU"
refuse "a second device over max_devs: ENOSPC" 'max_devs=1.*No space left' \
	adprofctl assign 2 "$VRNG"
check "rmmod with a device assigned" unload
check "edu unbound by rmmod" test -z "$(drv "$EDU")"
expect "rmmod cleared driver_override" '^\(null\)$' cat "$SYS/$EDU/driver_override"

# ---- rmmod while interrupts fire --------------------------------------------------

check "insmod" load
check "assign edu and virtio-rng" sh -c "adprofctl assign 1 $EDU && adprofctl assign 2 $VRNG"
check "edu host MSI" adprofctl irq 1 host=msi guest=msi --guest-irq 1
check "virtio-rng host MSI-X" sh -c 'adprofctl msix 2 nr 4 &&
	for e in 0 1 2 3; do adprofctl msix 2 entry $e gsi $e || exit 1; done &&
	adprofctl irq 2 host=msix guest=msix'
watch_start /tmp/w.fire -t 300 -q
edu raise "$EDU" 100000000 -m >/tmp/raise.out 2>&1 &
RPID=$!
check "interrupts are firing" wait_for 30 count_gt 1 100
check "rmmod while edu fires MSIs" unload
check "the raiser stopped when MSI went away" wait_for 30 grep -q '^raised' /tmp/raise.out
wait $RPID
kill $WPID 2>/dev/null
wait $WPID 2>/dev/null
check "consumer acks edu" edu ack "$EDU"
echo "# $(cat /tmp/raise.out)"
check "no adprof vector left in /proc/interrupts" sh -c '! grep -q adprof /proc/interrupts'
check "both devices unbound" test -z "$(drv "$EDU")$(drv "$VRNG")"
check "edu config space as found after rmmod" cmp /tmp/edu.cfg "$SYS/$EDU/config"
check "virtio-rng config space as found after rmmod" cmp /tmp/vrng.cfg "$SYS/$VRNG/config"
check "virtio-pci takes virtio-rng back" sh -c "echo $VRNG >/sys/bus/pci/drivers/virtio-pci/bind"
expect "virtio-rng is bound to virtio-pci again" '^virtio-pci$' drv "$VRNG"

[ -n "$VRNG_DRV" ] || echo "$VRNG" >"$SYS/$VRNG/driver/unbind"

# Whatever failed above, leave the module unloaded.
grep -q '^adprof ' /proc/modules && unload
exit 0

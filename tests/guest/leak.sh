# SPDX-License-Identifier: GPL-2.0
# Sourced by the guest tests that look for leaks (80-stress, 85-unload):
# slab objects in use per cache, and vmalloc memory, before insmod and after
# rmmod.
#
# adprof allocates with kmalloc (and kvmalloc, which is kmalloc below
# 8 KiB), and tests/vm/run.sh boots with slub_debug=Z,kmalloc-*: SLUB never
# gives a debug cache per-CPU slabs, so /proc/slabinfo counts those caches
# exactly. Other caches count the free objects of per-CPU slabs as in use:
# every cache is shrunk (flushing them) before counting, and such a cache
# may still differ by two slabs per CPU, which its tolerance allows.
# vmap_area is left out (vfree() releases areas lazily); VmallocUsed is
# exact and may grow by 1 MiB at most. So is radix_tree_node: every
# xarray of the kernel takes its nodes there (the page cache of the
# tests' own files in /tmp, the pid idr that every process of a test
# moves), and up to 21 per CPU sit in radix_tree_preload()'s per-CPU
# pools, counted in use. In a run of the whole suite it stood 104
# objects up after 85-unload's cycles (its tolerance was 61) and 40 up
# three seconds later. adprof's one xarray (the devices by id) is
# checked on the debug kernel instead: its nodes are kmemleak's to find
# once the module and its xarray are gone.

# slab_snapshot FILE: "cache in-use objects-per-slab exact" per cache
# (exact: a SLUB debug cache), then "kB:NAME: kB" for vmalloc and
# unreclaimable slab (kmalloc above 8 KiB included) memory.
#
# Every cache is shrunk, so that the objects its per-CPU slabs hold free
# no longer count, after drop_caches freed what it can. But every open of
# a sysfs file (each shrink file here) allocates a kernfs_open_node that
# its close frees with kfree_rcu(): kmalloc-96 objects that 6.1 and 6.12
# free in a batch 5 s later, after a grace period. So the count waits for
# that batch (5.5 s), then for the grace periods (rcusync) and the worker
# that frees after them.
slab_snapshot() {
	sync
	echo 2 >/proc/sys/vm/drop_caches
	for f in /sys/kernel/slab/*/shrink; do echo 1 >"$f"; done 2>/dev/null
	sleep 5.5
	rcusync 2
	sleep 0.5
	{
		awk -v exact="$slab_exact" '
		BEGIN { n = split(exact, e, " "); for (i = 1; i <= n; i++) x[e[i]] = 1 }
		NR > 2 { print $1, $2, $5, ($1 in x) }' /proc/slabinfo
		awk '$1 ~ /^(SUnreclaim|VmallocUsed):$/ { print "kB:" $1, $2 }' /proc/meminfo
	} >"$1"
}

# The kmalloc caches that are SLUB debug caches, read once: reading sysfs
# while counting would itself allocate dentries and inodes. One grep for
# every file: a process per file took two minutes on the debug kernel
# under TCG. Only kmalloc's: on q35-amd every cache is a debug cache
# (tests/vm/run.sh), and the others (dentries, inodes, the page cache's
# nodes) move with what the tests do, not with adprof.
slab_exact=$(grep -l '^1$' /sys/kernel/slab/kmalloc-*/red_zone /sys/kernel/slab/kmalloc-*/poison \
	/sys/kernel/slab/kmalloc-*/sanity_checks /sys/kernel/slab/kmalloc-*/store_user 2>/dev/null |
	sed 's|^/sys/kernel/slab/||; s|/[^/]*$||' | sort -u | tr '\n' ' ')

# slab_usable: can this guest count slab objects at all?
slab_usable() {
	[ -r /proc/slabinfo ] && [ -d /sys/kernel/slab ]
}

# The snapshot opens files: the caches of struct file and of its LSM blob,
# and any SLUB merged with them (shared_policy_node on 6.12), refill a
# per-CPU slab while it reads, up to a slab of objects counted in use.
# adprof opens no file: these are left out.
# Every alias ("name target") listed at once: a readlink per entry
# costs as much as a cat.
slab_alias=$(ls -l /sys/kernel/slab | sed -n 's/.* \([^ ]*\) -> \([^ ]*\)$/\1 \2/p')
slab_perfile=
for c in filp lsm_file_cache; do
	t=$(echo "$slab_alias" | awk -v c=$c '$1 == c { print $2 }')
	[ -n "$t" ] || t=$c
	slab_perfile="$slab_perfile $t $(echo "$slab_alias" | awk -v t="$t" '$2 == t { printf "%s ", $1 }')"
done
slab_ncpu=$(grep -c '^processor' /proc/cpuinfo)

# slab_leaks TOL BEFORE AFTER: what grew beyond its tolerance: TOL objects
# in an exact cache, two slabs per CPU more in another, 1 MiB of vmalloc.
slab_leaks() {
	awk -v tol="$1" -v ncpu="$slab_ncpu" -v skip="$slab_perfile vmap_area radix_tree_node" '
		BEGIN { n = split(skip, s, " "); for (i = 1; i <= n; i++) x[s[i]] = 1 }
		NR == FNR { b[$1] = $2; next }
		$1 == "kB:VmallocUsed:" && $2 - b[$1] > 1024 { printf "%s +%d kB\n", $1, $2 - b[$1] }
		$1 ~ /^kB:/ || ($1 in x) { next }
		{ t = $4 ? tol : tol + 2 * $3 * ncpu }
		$2 - b[$1] > t { printf "%s +%d (tolerance %d)\n", $1, $2 - b[$1], t }' "$2" "$3"
}

# slab_growth BEFORE AFTER: the five caches that grew most, and the memory.
slab_growth() {
	awk 'NR == FNR { b[$1] = $2; next } { print $2 - b[$1], $1 }' "$1" "$2" |
		sort -rn | awk '$1 != 0 && $2 !~ /^kB:/ { printf " %s%+d", $2, $1; if (++n == 5) exit }'
	awk 'NR == FNR { b[$1] = $2; next } $1 ~ /^kB:/ { printf " %s%+dkB", substr($1, 4), $2 - b[$1] }' "$1" "$2"
}

# slab_callers LEAKS: where the objects of each cache in LEAKS were
# allocated, when SLUB stores it (slub_debug=U for that cache, e.g.
# VM_APPEND=slub_debug=ZU,kmalloc-* for tests/vm/run.sh).
slab_callers() {
	local c t
	for c in $(awk '{ print $1 }' "$1"); do
		t=/sys/kernel/debug/slab/$c/alloc_traces
		[ -r "$t" ] || continue
		grep -E '^ *[0-9]+ ' "$t" | sort -rn | head -5 |
			sed "s/^ */# $c allocated by: /"
	done
}

# slab_check WHAT TOL BEFORE AFTER: one TAP line, and the growth as a
# comment. AFTER is taken again, up to three times 3 s apart, while
# something is beyond tolerance: frees deferred by RCU or to a worker may
# lag behind under TCG, a leak stays.
slab_check() {
	local what=$1 tol=$2 exact try=0
	while slab_leaks "$tol" "$3" "$4" >/tmp/leaks && [ -s /tmp/leaks ] &&
	      [ $try -lt 3 ]; do
		try=$((try + 1))
		echo "# beyond tolerance $what, counting again in 3 s:" $(cat /tmp/leaks)
		slab_callers /tmp/leaks
		sleep 3
		slab_snapshot "$4"
	done
	exact=$(awk '$4 == 1 { n++ } END { print n + 0 }' "$4")
	if [ ! -s /tmp/leaks ] && [ "$(wc -l <"$4")" -gt 20 ]; then
		pass "no leak $what: slab caches within $tol objects ($exact counted exactly), vmalloc within 1 MiB"
	else
		fail "leak $what: slab or vmalloc grew beyond tolerance ($exact caches counted exactly)"
		diag /tmp/leaks
		slab_callers /tmp/leaks
	fi
	echo "# slab growth $what:$(slab_growth "$3" "$4")"
	echo "# not counted: vmap_area radix_tree_node, and per open file:$slab_perfile"
}

# SPDX-License-Identifier: GPL-2.0
# Shared settings for adprof's scripts. Source it; do not run it.

ADPROF_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ADPROF_CACHE=${ADPROF_CACHE:-/var/cache/adprof}
ADPROF_BUILD=${ADPROF_BUILD:-$ADPROF_TOP/build}

die() { echo "$(basename "$0"): $*" >&2; exit 1; }
log() { echo "==> $*" >&2; }

# tap_open "$@": the only option of a TAP-writing script, --tap FILE, into
# $tap; without it the TAP lines go to standard output at exit.
tap_open() {
	tap=
	while [ $# -gt 0 ]; do
		case $1 in
		--tap) tap=$2; shift ;;
		*) die "unknown argument $1" ;;
		esac
		shift
	done
	if [ -z "$tap" ]; then
		tap=$(mktemp)
		# shellcheck disable=SC2064 # $tap is fixed now
		trap "cat '$tap'; rm -f '$tap'" EXIT
	fi
}

# SPDX-License-Identifier: GPL-2.0
# Shared settings for adprof's scripts. Source it; do not run it.

ADPROF_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ADPROF_CACHE=${ADPROF_CACHE:-/var/cache/adprof}
ADPROF_BUILD=${ADPROF_BUILD:-$ADPROF_TOP/build}

die() { echo "$(basename "$0"): $*" >&2; exit 1; }
log() { echo "==> $*" >&2; }

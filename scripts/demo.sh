#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make demo: install what is missing, build, boot the guest and show adprof.
set -euo pipefail
. "$(dirname "$0")/common.sh"
cd "$ADPROF_TOP"
scripts/deps.sh
make -s all
make -s -C userspace adprofctl.static
tests/vm/run.sh --demo --tap "$ADPROF_BUILD/demo.tap"

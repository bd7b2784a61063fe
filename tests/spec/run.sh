#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The spec stage of make check: extract the 6.12 YNL schemas and tools once
# (fetch-ynl.sh), check the spec against schema, header, kernel policies and
# admin guide (check.py), then check that check.py catches known defects
# (selftest.sh). TAP on stdout; exit status non-zero on any failure.
#
# Usage: tests/spec/run.sh [--tap FILE]   (FILE also gets the TAP lines)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# Debian's python3, with the python3-yaml and python3-jsonschema deps.sh installs.
PYTHON=${PYTHON:-$(command -v /usr/bin/python3 || command -v python3)}
export PYTHON
tap=/dev/null
if [ "${1:-}" = --tap ]; then
	tap=$2
fi

{
	if ! "$here/fetch-ynl.sh" >&2; then
		echo "not ok - spec: linux-source-6.12 YNL tree extracted (tests/spec/fetch-ynl.sh)"
		exit 1
	fi
	rc=0
	"$PYTHON" "$here/check.py" --ynl "$("$here/fetch-ynl.sh" --print)" || rc=1
	"$here/selftest.sh" || rc=1
	exit $rc
} | tee "$tap"
exit "${PIPESTATUS[0]}"

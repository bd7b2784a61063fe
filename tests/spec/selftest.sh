#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/spec/check.py must be able to fail: run it on copies of the tree,
# each with one known defect, and expect the check that covers it to fail.
# One TAP line per defect.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
files=(Documentation/netlink/specs/adprof.yaml Documentation/adprof.rst
       uapi/linux/adprof.h kernel/netlink.c userspace/adprofctl.c)
failed=0
PYTHON=${PYTHON:-$(command -v /usr/bin/python3 || command -v python3)}

fresh() {
	rm -rf "$tmp/t"
	for f in "${files[@]}"; do
		mkdir -p "$tmp/t/$(dirname "$f")"
		cp "$top/$f" "$tmp/t/$f"
	done
}

# mutant DESC WANT FILE PYTHON-EXPR: apply s = EXPR to FILE's text s; the
# check must exit 1 with a "not ok" line matching WANT (an ERE).
mutant() {
	local desc=$1 want=$2 file=$3 expr=$4 out
	fresh
	"$PYTHON" - "$tmp/t/$file" "$expr" <<'EOF' || { echo "not ok - spec-selftest: $desc (mutation did not apply)"; failed=1; return; }
import sys
p, expr = sys.argv[1], sys.argv[2]
s = open(p).read()
t = eval(expr, {'s': s, 're': __import__('re')})
if t == s:
    sys.exit(1)
open(p, 'w').write(t)
EOF
	out=$("$PYTHON" "$here/check.py" --top "$tmp/t" 2>&1)
	if [ $? -eq 1 ] && grep -Eq "^not ok - spec: .*$want" <<<"$out"; then
		echo "ok - spec-selftest: $desc is caught"
	else
		echo "not ok - spec-selftest: $desc is caught (wanted /$want/)"
		sed 's/^/# /' <<<"$out" | grep '^# not ok' | head -5
		failed=1
	fi
}

fresh
if "$PYTHON" "$here/check.py" --top "$tmp/t" >/dev/null 2>&1; then
	echo "ok - spec-selftest: an unchanged copy passes"
else
	echo "not ok - spec-selftest: an unchanged copy passes"
	failed=1
fi

mutant "spec: a key the schema does not know" "validates against" \
	Documentation/netlink/specs/adprof.yaml \
	"s.replace('kernel-policy: per-op', 'kernel-policy: per-op\nfoo: 1')"
mutant "spec: freq-max 100001" "definitions|prof-start" \
	Documentation/netlink/specs/adprof.yaml \
	"s.replace('value: 100000', 'value: 100001')"
mutant "spec: prof-clear missing" "commands match" \
	Documentation/netlink/specs/adprof.yaml \
	"re.sub(r'    -\n      name: prof-clear\n(.*\n)*?(?=    -\n)', '', s)"
mutant "spec: msix-nr without its max check" "msix-set-nr" \
	Documentation/netlink/specs/adprof.yaml \
	"s.replace('          max: msix-max\n', '')"
mutant "spec: irq-flags guest-intx at bit 9" "definitions" \
	Documentation/netlink/specs/adprof.yaml \
	"s.replace('        name: guest-intx\n        value: 8', '        name: guest-intx\n        value: 9')"
mutant "header: a new attribute before __ADPROF_A_MAX" "attribute set main|every name" \
	uapi/linux/adprof.h \
	"s.replace('\tADPROF_A_SAMPLES,\n', '\tADPROF_A_SAMPLES,\n\tADPROF_A_NEW,\n')"
mutant "header: pc before time_ns in struct adprof_sample" "struct definitions" \
	uapi/linux/adprof.h \
	"s.replace('\t\t\tunion {\n\t\t\t\t__u64 time_ns;\n\t\t\t\t__u64 count;\n\t\t\t};\n\t\t\t__u64 pc;', '\t\t\t__u64 pc;\n\t\t\tunion {\n\t\t\t\t__u64 time_ns;\n\t\t\t\t__u64 count;\n\t\t\t};')"
mutant "header: struct adprof_stack grows a member before pc[]" "struct definitions" \
	uapi/linux/adprof.h \
	"s.replace('__u16 reserved;\n\t__u64 pc[];', '__u16 reserved;\n\t__u32 more;\n\t__u64 pc[];')"
mutant "spec: the stack struct's doc forgets pc[]" "struct definitions" \
	Documentation/netlink/specs/adprof.yaml \
	"s.replace('then pc[], nr-kernel', 'then nr-kernel')"
mutant "header: a new define" "every name in the header" \
	uapi/linux/adprof.h \
	"s.replace('#define ADPROF_COMM_LEN', '#define ADPROF_NEW_LIMIT 7\n#define ADPROF_COMM_LEN')"
mutant "netlink.c: MSIX_NR up to 254" "msix-set-nr" kernel/netlink.c \
	"s.replace('NLA_POLICY_RANGE(NLA_U32, 1, ADPROF_MSIX_MAX)', 'NLA_POLICY_RANGE(NLA_U32, 1, 254)')"
mutant "netlink.c: IRQ_ACK admits GSI" "irq-ack" kernel/netlink.c \
	"s.replace('/* DEV_DEASSIGN, DEV_GET, IRQ_ACK */\nstatic const struct nla_policy adprof_dev_id_policy[ADPROF_A_MAX + 1] = {\n', '/* DEV_DEASSIGN, DEV_GET, IRQ_ACK */\nstatic const struct nla_policy adprof_dev_id_policy[ADPROF_A_MAX + 1] = {\n\t[ADPROF_A_GSI] = { .type = NLA_U32 },\n')"
mutant "netlink.c: PROF_GET_STAT needs CAP_PERFMON" "prof-get-stat" kernel/netlink.c \
	"s.replace('.doit = adprof_nl_prof_get_stat,\n\t\t.policy = adprof_none_policy,\n\t\t.maxattr = ADPROF_A_MAX,\n', '.doit = adprof_nl_prof_get_stat,\n\t\t.policy = adprof_none_policy,\n\t\t.maxattr = ADPROF_A_MAX,\n\t\t.internal_flags = ADPROF_NL_F_PERFMON,\n')"
mutant "rst: IRQ_ACK undocumented" "documents every operation" Documentation/adprof.rst \
	"s.replace('\`\`IRQ_ACK\`\` (\`\`irq-ack\`\`)', 'IRQ acknowledgement')"
mutant "rst: GSI missing from MSIX_SET_ENTRY" "attributes as the spec" Documentation/adprof.rst \
	"s.replace(', \`\`GSI\`\` (u32, required)', '')"
mutant "rst: adprofctl record undocumented" "adprofctl subcommand" Documentation/adprof.rst \
	"s.replace('\`\`adprofctl record\`\`', 'Recording')"
if "$PYTHON" -c 'import docutils' 2>/dev/null; then
	mutant "rst: a malformed table" "valid reStructuredText" Documentation/adprof.rst \
		"s.replace('\`\`ADPROF_IRQ_GUEST_INTX\`\`  0x0100', '\`\`ADPROF_IRQ_GUEST_INTX_X\`\` 0x0100')"
fi
exit $failed

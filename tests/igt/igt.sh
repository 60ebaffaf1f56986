# SPDX-License-Identifier: GPL-2.0
# Upstream IGT tests on the driver under test, when an IGT build is on
# the payload (host: IGT_DIR=<install prefix> make check). Each subtest is
# reported as igt/<test>@<subtest>; the drm-ci style lists in
# tests/igt/expectations/ (copied to the payload) name the subtests known
# to fail or flake on a driver: those are reported as skips with the
# reason, and an unlisted failure fails. No IGT build: skip.
. /run/payload/lib.sh
bin=$P/igt/libexec/igt-gpu-tools
[ -d "$bin" ] || skip "no IGT build on the payload (set IGT_DIR on the host)"
exp=$P/tests/igt-expectations
load_driver || fail "driver did not load"
export IGT_FORCE_DRIVER=virtio_gpu LD_LIBRARY_PATH=$P/igt/lib:$P/igt/lib/x86_64-linux-gnu
bad=0
for t in $(grep -v '^#' $P/tests/igt-tests.txt); do
	[ -x "$bin/$t" ] || { report_case "igt/$t" skip "not in this IGT build"; continue; }
	timeout 600 "$bin/$t" 2>&1 | sed -n 's/^Subtest \([^:]*\): \([A-Z]*\).*/\1 \2/p' |
	while read -r sub res; do
		name="$t@$sub"
		listed=$(grep -h "^$name,$DRIVER," "$exp"/*.txt 2>/dev/null | head -n1)
		case $res in
		SUCCESS) report_case "igt/$name" pass ;;
		SKIP) report_case "igt/$name" skip "IGT skipped it" ;;
		*)
			if [ -n "$listed" ]; then
				report_case "igt/$name" skip "expected: $listed"
			else
				report_case "igt/$name" fail "$res"
				echo "$name" >>/tmp/igt-unexpected
			fi ;;
		esac
	done
done
[ -s /tmp/igt-unexpected ] && fail "unexpected failures: $(tr '\n' ' ' </tmp/igt-unexpected)"
exit 0

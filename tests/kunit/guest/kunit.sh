# SPDX-License-Identifier: GPL-2.0
# Run vgpu's KUnit suites (vgpu_test.ko) and report every case to the host
# as kunit/<suite>/<case>. Fails if a case fails or no case ran.
. /run/payload/lib.sh
[ -f $P/extra/vgpu_test.ko ] || skip "no vgpu_test.ko on the payload"
[ -d /sys/kernel/debug/kunit ] || skip "kernel without KUnit"
[ -d /sys/module/vgpu ] || load_driver || fail "cannot load vgpu"
# The tests count the module's command buffers: the guest's own GPU must
# not send any meanwhile. Its console is idle but for the cursor blink,
# which is turned off. (Unbinding the GPU instead would hand the console
# to the fake device's fbdev, and fbcon's takeover on Linux 6.1 reads out
# of bounds in fbcon_prepare_logo.)
echo 0 >/sys/class/graphics/fbcon/cursor_blink 2>/dev/null

start=$(dmesg | wc -l)
insmod $P/extra/vgpu_test.ko || fail "insmod vgpu_test.ko failed"
dmesg | tail -n +$((start + 1)) | sed 's/^\[[^]]*\] //' >/tmp/ktap
rmmod vgpu_test

# KTAP: a suite's cases are the result lines at the indentation of its
# "# Subtest:" header; deeper lines are parameters, shallower ones close it.
awk '
function indent(s) { match(s, /^ */); return RLENGTH }
/^ *# Subtest: / {
	if (suite == "") { suite = $NF; depth = indent($0) }
	next
}
/^ *(not )?ok [0-9]+ / {
	if (suite == "") next
	d = indent($0)
	if (d < depth) { suite = ""; next }
	if (d > depth) next
	line = $0
	sub(/^ *(not )?ok [0-9]+ (- )?/, "", line)
	name = line; sub(/ .*/, "", name)
	status = ($0 ~ /^ *not ok/) ? "fail" : (line ~ /# SKIP/ ? "skip" : "pass")
	print suite "/" name, status
}' /tmp/ktap >/tmp/kunit-results

total=$(wc -l </tmp/kunit-results)
failed=$(grep -c ' fail$' /tmp/kunit-results)
while read -r name status; do
	report_case "kunit/$name" "$status"
done </tmp/kunit-results
cat /tmp/ktap
echo "kunit: $total cases, $failed failed"
[ "$total" -gt 0 ] || fail "no KUnit case ran"
[ "$failed" = 0 ] || fail "$failed KUnit cases failed"

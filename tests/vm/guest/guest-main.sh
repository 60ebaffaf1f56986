#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest entry point on the payload disk: install the module under test,
# run each test in $TESTS, report on the second serial port.
P=/run/payload
. $P/config.env
R=/dev/ttyS1
stty -F $R raw -echo 2>/dev/null
report() { echo "$*" >$R; }

kver=$(uname -r)
echo "vgpu rig: driver $DRIVER profile $PROFILE edid $EDID kernel $kver"

for t in $TESTS; do
	echo "=== $t"
	out=$(cd /tmp && timeout 300 sh $P/tests/$t.sh 2>&1)
	rc=$?
	echo "$out"
	case $rc in
	0) res=pass ;;
	77) res=skip ;;
	*) res=fail ;;
	esac
	why=$(echo "$out" | grep -E '^(FAIL|SKIP):' | head -n1 | cut -d: -f2-)
	report "RESULT $t $res$why"
	if [ $res = fail ]; then
		echo "$out" | tail -n 15 | sed 's/^/LOG   /' >$R
	fi
done
report DONE

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
# A test kernel brings its own modules on the payload.
if [ -d $P/modules/lib/modules/$kver ] && [ ! -d /lib/modules/$kver ]; then
	# the sid userspace has no kernel, nor a /lib/modules to copy into
	mkdir -p /lib/modules
	cp -a $P/modules/lib/modules/$kver /lib/modules/
	depmod -a $kver
fi
# Another suite's Debian kernel brings its modules on a third disk.
if [ ! -d /lib/modules/$kver ] && [ -b /dev/vdc ]; then
	mkdir -p /run/kmods /lib/modules/$kver
	mount -o ro /dev/vdc /run/kmods && mount --bind /run/kmods/$kver /lib/modules/$kver
fi
echo "vgpu rig: driver $DRIVER profile $PROFILE edid $EDID kernel $kver"

for t in $TESTS; do
	echo "=== $t"
	# a test's own budget (TIMEOUT_<test>, e.g. igt's), else TEST_TIMEOUT
	eval "tmo=\${TIMEOUT_$t:-\${TEST_TIMEOUT:-300}}"
	t0=$(cut -d. -f1 /proc/uptime)
	# the host's watchdog (tests/vm/vm.py) stops a guest stuck past it
	report "BUDGET $t $tmo"
	out=$(cd /tmp && timeout "$tmo" sh $P/tests/$t.sh 2>&1)
	rc=$?
	echo "$out"
	# where a run's time goes (make check's budget)
	echo "=== $t: $(($(cut -d. -f1 /proc/uptime) - t0))s"
	if [ $rc = 124 ]; then
		# timed out: what the blocked tasks and the CPUs were doing
		echo "test $t timed out"
		echo w >/proc/sysrq-trigger
		echo l >/proc/sysrq-trigger
	fi
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
# On a kernel with kmemleak, whatever the tests leaked fails the run.
if [ -w /sys/kernel/debug/kmemleak ]; then
	echo scan >/sys/kernel/debug/kmemleak
	sleep 6
	echo scan >/sys/kernel/debug/kmemleak
	leaks=$(grep -c '^unreferenced object' /sys/kernel/debug/kmemleak)
	if [ "$leaks" = 0 ]; then
		report "RESULT kmemleak pass"
	else
		report "RESULT kmemleak fail $leaks unreferenced objects"
		head -n 40 /sys/kernel/debug/kmemleak | sed 's/^/LOG   /' >$R
		head -n 80 /sys/kernel/debug/kmemleak
	fi
fi
report DONE

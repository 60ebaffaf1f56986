# SPDX-License-Identifier: GPL-2.0
# Helpers for guest tests. A test exits 0 (pass), 77 (skip) or other (fail);
# its first "FAIL:"/"SKIP:" line is the reason the host prints.
P=/run/payload
BIN=$P/bin
. $P/config.env
PATH=$BIN:$PATH

if [ "$DRIVER" = vgpu ]; then
	MOD=vgpu
	OTHER=virtio_gpu
else
	MOD=virtio_gpu
	OTHER=vgpu
fi

fail() { echo "FAIL: $*"; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }

# wait_for PATH SECONDS: wait until PATH exists
wait_for() {
	n=$(($2 * 10))
	while [ ! -e "$1" ] && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
	[ -e "$1" ]
}

# wait_gone PATH SECONDS: wait until PATH is gone
wait_gone() {
	n=$(($2 * 10))
	while [ -e "$1" ] && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
	[ ! -e "$1" ]
}

# Load the driver under test (nothing to do when it is loaded). vgpu.ko is not in the guest's modules.dep
# (a depmod of the whole tree takes half a minute in TCG): its
# dependencies, as modinfo lists them, are loaded with modprobe first.
load_driver() {
	if [ -d /sys/module/$MOD ]; then
		wait_for /dev/dri/card0 30 && wait_for /dev/dri/renderD128 10
		return
	fi
	if [ "$MOD" = vgpu ]; then
		deps=$(modinfo -F depends $P/vgpu.ko | tr , ' ')
		[ -z "$deps" ] || modprobe -a $deps || return 1
		insmod $P/vgpu.ko $VGPU_PARAMS || return 1
	else
		modprobe "$MOD" || return 1
	fi
	wait_for /dev/dri/card0 30 && wait_for /dev/dri/renderD128 10
}

# Benchmarks: the drivers a round runs, each loaded in turn. vgpu_base is
# an older vgpu.ko (make bench's BENCH_BASE, in extra/): the same phases,
# for before-and-after figures of a change from one guest.
bench_drivers() {
	echo vgpu
	[ ! -f $P/extra/vgpu.ko ] || echo vgpu_base
	echo virtio_gpu
}

# bench_load DRIVER / bench_unload DRIVER: one of bench_drivers.
bench_load() {
	case $1 in
	vgpu) load_driver ;;
	vgpu_base)
		[ -d /sys/module/vgpu ] || insmod $P/extra/vgpu.ko $VGPU_PARAMS || return 1
		wait_for /dev/dri/card0 30 && wait_for /dev/dri/renderD128 10
		;;
	*)
		modprobe "$1" || return 1
		wait_for /dev/dri/card0 30 && wait_for /dev/dri/renderD128 10
		;;
	esac
}

bench_unload() {
	case $1 in
	virtio_gpu) rmmod virtio_gpu ;;
	*) rmmod vgpu ;;
	esac || return 1
	wait_gone /dev/dri/card0 10
}

# bench_rounds FUNCTION: "FUNCTION DRIVER ROUND" for each driver of each of
# BENCH_ROUNDS rounds (default 5), the driver loaded for it alone.
bench_rounds() {
	r=1
	while :; do
		for d in $(bench_drivers); do
			bench_load $d || fail "$d did not load"
			"$1" $d $r
			bench_unload $d || fail "$d did not unload"
		done
		[ $r -lt "${BENCH_ROUNDS:-5}" ] || break
		r=$((r + 1))
	done
}

# The virtio device of the GPU (device id 0x0010).
gpu_virtio_dev() {
	for d in /sys/bus/virtio/devices/*; do
		[ "$(cat "$d/device")" = 0x0010 ] && { echo "$d"; return 0; }
	done
	return 1
}

# debugfs_value FILE KEY: the value after "KEY:" (vgpu) or "KEY :" (in-tree)
debugfs_value() {
	sed -n "s/^$2[[:space:]]*:[[:space:]]*//p" "$1" | head -n1
}

# module_holders: what keeps the driver's module in use, for a failed
# unload's report: its count, the DRM clients and open nodes, the dma-bufs
# alive (an exported buffer holds its exporter's module) and the tasks
# stuck in an uninterruptible sleep, with their kernel stacks
module_holders() {
	echo "module $MOD refcnt $(cat /sys/module/$MOD/refcnt 2>/dev/null)"
	card_holders
	[ -r /sys/kernel/debug/dma_buf/bufinfo ] &&
		grep -v '^$' /sys/kernel/debug/dma_buf/bufinfo | head -n 20
	for s in /proc/[0-9]*/stat; do
		p=${s#/proc/}
		p=${p%/stat}
		case $(cut -d' ' -f3 "$s" 2>/dev/null) in
		D)
			echo "pid $p ($(tr '\0' ' ' </proc/$p/cmdline 2>/dev/null)) in D:"
			sed 's/^/    /' /proc/$p/stack 2>/dev/null | head -n 12 ;;
		esac
	done
}

# unload_driver [SECONDS]: rmmod the driver, retried for up to SECONDS (5)
# while releases deferred past their files' close (a dma-buf's last fput
# from a worker) finish; on failure module_holders says why
unload_driver() {
	n=$((${1:-5} * 10))
	while ! rmmod $MOD 2>/tmp/rmmod.err; do
		n=$((n - 1))
		if [ $n -le 0 ]; then
			cat /tmp/rmmod.err
			module_holders
			return 1
		fi
		sleep 0.1
	done
}

# card_holders: who has the DRM nodes open (debugfs "clients", with the
# master flag, and each process with a node open), for a failure's report
card_holders() {
	[ -e /sys/kernel/debug/dri ] || mount -t debugfs none /sys/kernel/debug 2>/dev/null
	for c in /sys/kernel/debug/dri/*/clients; do
		[ -e "$c" ] && echo "$c:" && cat "$c"
	done
	for f in /proc/[0-9]*/fd/*; do
		case $(readlink "$f" 2>/dev/null) in
		/dev/dri/*)
			p=${f#/proc/}
			p=${p%%/*}
			echo "pid $p ($(tr '\0' ' ' </proc/$p/cmdline 2>/dev/null)) $(readlink "$f")"
			;;
		esac
	done
}

# hold_start MODE: start "vgpu_hold MODE" in the background (output in
# /tmp/MODE.out, pid in $hold_pid) and wait until it is set up (10 s)
hold_start() {
	# no earlier client's READY may be read as this one's: the child
	# truncates the file only once it runs
	rm -f "/tmp/$1.out"
	vgpu_hold "$1" >"/tmp/$1.out" 2>&1 &
	hold_pid=$!
	n=100
	while ! grep -q READY "/tmp/$1.out" && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
	grep -q READY "/tmp/$1.out" || {
		card_holders
		fail "$1 client not ready: $(cat "/tmp/$1.out")"
	}
}

# hold_count PID MODE: how far a vgpu_hold loop has got (asked with SIGUSR1)
hold_count() {
	before=$(grep -c COUNT "/tmp/$2.out")
	kill -USR1 "$1"
	n=50
	while [ "$(grep -c COUNT "/tmp/$2.out")" = "$before" ] && [ $n -gt 0 ]; do
		sleep 0.1
		n=$((n - 1))
	done
	grep COUNT "/tmp/$2.out" | tail -n1 | cut -d' ' -f2
}

# The recovery tests (reset, suspend): a flipping and a rendering client
# live through an event; the display must come back by itself.
# recovery_start: load, start both clients, note the host's error count
# (vgpu's debugfs; the in-tree driver has no such count).
recovery_start() {
	load_driver || fail "driver did not load"
	dbg=/sys/kernel/debug/dri/0
	[ -e $dbg ] || mount -t debugfs none /sys/kernel/debug 2>/dev/null
	if [ "$DRIVER" = vgpu ]; then
		[ -e $dbg/vgpu_info ] || fail "no $dbg/vgpu_info"
		virgl=$(debugfs_value $dbg/vgpu_info virgl)
	else
		virgl=$EXPECT_VIRGL
	fi
	hold_start flip
	flip=$hold_pid
	# a failing check must not leave a client (the master) to later tests
	trap 'kill -TERM $flip $render 2>/dev/null; wait' EXIT
	hold_start render
	render=$hold_pid
	sleep 1
	[ "$DRIVER" = vgpu ] && errors=$(debugfs_value $dbg/vgpu_info host_errors)
	return 0
}

# recovery_round NAME COMMAND...: COMMAND must succeed and flips go on after it
recovery_round() {
	what=$1
	shift
	f0=$(hold_count $flip flip)
	"$@" >/tmp/round 2>&1 || fail "$what: $(tr '\n' ' ' </tmp/round)"
	sleep 1
	f1=$(hold_count $flip flip)
	[ -n "$f1" ] && [ "$f1" -gt "$f0" ] || fail "no flips after $what ($f0 then $f1)"
	echo "$what: flips $f0 -> $f1"
}

# recovery_rounds NAME N COMMAND...: recovery_round "NAME <i>" COMMAND, N times
recovery_rounds() {
	rounds_name=$1
	rounds_n=$2
	shift 2
	rounds_i=0
	while [ $rounds_i -lt "$rounds_n" ]; do
		recovery_round "$rounds_name $rounds_i" "$@"
		rounds_i=$((rounds_i + 1))
	done
}

# recovery_finish ERRNOS: the flipping client never failed; new clients
# modeset, flip and (virgl) render. On vgpu also: the device is back with
# nothing lost on the host, and a 3D client stopped with one of ERRNOS (a
# regex); the in-tree driver's 3D client may end either way, but not hang.
recovery_finish() {
	v() { debugfs_value $dbg/vgpu_info "$1"; }
	if [ "$DRIVER" = vgpu ]; then
		[ "$(v reset_failed)" = 0 ] || fail "the device did not come back"
		[ "$(v restore_errors)" = 0 ] ||
			fail "resources not made again: $(v restore_errors) ($(dmesg | grep -m1 'not made again'))"
		[ "$(v host_errors)" = "$errors" ] ||
			fail "host errors: $errors -> $(v host_errors) (last $(v last_host_error), to command $(v last_host_error_cmd))"
	fi
	kill -TERM $flip $render
	wait $flip || fail "flip client: $(tr '\n' ' ' </tmp/flip.out)"
	wait $render || fail "render client: $(tr '\n' ' ' </tmp/render.out)"
	grep -q STOPPED /tmp/flip.out && fail "flip client: $(grep STOPPED /tmp/flip.out)"
	grep -q "^MAPPING ok" /tmp/flip.out || fail "flip client's mapping: $(grep MAPPING /tmp/flip.out)"
	grep -q "^AFTER card ok render ok mmap ok" /tmp/flip.out ||
		fail "flip client afterwards: $(grep AFTER /tmp/flip.out)"
	if [ "$virgl" = yes ] && [ "$DRIVER" = vgpu ]; then
		grep -Eq "^STOPPED (resource_create|execbuffer|wait) ($1)" /tmp/render.out ||
			fail "3D client: wanted $1, got: $(grep -E 'STOPPED|COUNT' /tmp/render.out | tail -n1)"
		echo "3D client: $(grep STOPPED /tmp/render.out)"
	elif [ "$virgl" = yes ]; then
		echo "3D client: $(grep -E 'STOPPED' /tmp/render.out || echo 'no error')"
	else
		grep -q STOPPED /tmp/render.out && fail "2D client: $(grep STOPPED /tmp/render.out)"
	fi
	vgpu_kms modeset flip_events >/tmp/after 2>&1 ||
		fail "display afterwards: $(grep -m1 fail /tmp/after)"
	if [ "$virgl" = yes ]; then
		timeout 120 kmscube -D /dev/dri/card0 -c 30 >/tmp/cube 2>&1 &&
			grep -qE '^Rendered [0-9]+ frames' /tmp/cube ||
			fail "kmscube afterwards: $(tail -n2 /tmp/cube | tr '\n' ' ')"
		grep -m1 '^Rendered' /tmp/cube
	fi
}

# report_case NAME pass|fail|skip [WHY]: one more result for the host,
# for tests that run many cases (KUnit).
report_case() {
	echo "RESULT $1 $2${3:+ $3}" >/dev/ttyS1
}

# run_subtests PREFIX PROGRAM [ARGS...]: run a tests/igt program, report
# each "SUBTEST <name> <result> [why]" line as PREFIX/<name>, and fail
# with the first failure's reason when any subtest failed.
run_subtests() {
	prefix=$1
	shift
	out=$("$@" 2>&1)
	rc=$?
	echo "$out"
	echo "$out" | while read -r tag name res why; do
		[ "$tag" = SUBTEST ] || continue
		report_case "$prefix/$name" "$res" "$why"
	done
	[ $rc = 0 ] || fail "$(echo "$out" | grep -m1 '^SUBTEST .* fail' | cut -d' ' -f2-)"
}

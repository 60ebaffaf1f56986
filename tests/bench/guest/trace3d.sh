# SPDX-License-Identifier: GPL-2.0
# Where the 3D benchmark's time goes in the guest (profile virgl; not part
# of make bench): the kernel's function_graph tracer times the syscalls,
# the interrupt and the drivers' submission and completion functions
# below while vgpu_bench3d runs, for vgpu and the in-tree driver,
# BENCH_ROUNDS times (default 5). Per driver, round, phase and function:
#   PROF driver@round phase function calls=N avg_us=T p50_us=M p90_us=P
# on the rig's port (out/*.results.log). Tracing slows each traced call
# under TCG: compare the drivers with each other, not with make bench.
#   tests/vm/vm.py --driver vgpu --profile virgl --test-dir tests/bench/guest \
#	--tests trace3d --env BENCH_ROUNDS=2 --timeout 800 --out out
. /run/payload/lib.sh
T=/sys/kernel/tracing
mountpoint -q $T || mount -t tracefs nodev $T || fail "no tracefs"
FUNCS="__x64_sys_ioctl __x64_sys_poll __x64_sys_close vring_interrupt
vgpu_ioctl_execbuffer vgpu_ctrlq_done vgpu_job_run vgpu_vq_submit vgpu_vq_reclaim
vgpu_fence_alloc vgpu_cmd_submit_alloc vgpu_exec_copy_in
sync_file_create get_unused_fd_flags fd_install virtqueue_notify dma_fence_signal
virtio_gpu_execbuffer_ioctl virtio_gpu_ctrl_ack virtio_gpu_dequeue_ctrl_func
virtio_gpu_queue_fenced_ctrl_buffer virtio_gpu_notify virtio_gpu_fence_event_process"
prof() { # driver round
	wait_for /dev/dri/renderD128 30 || fail "$1: no render node"
	echo nop > $T/current_tracer
	: > $T/set_ftrace_filter
	for f in $FUNCS; do echo $f >> $T/set_ftrace_filter 2>/dev/null; done
	echo 0 > $T/max_graph_depth
	echo 8192 > $T/buffer_size_kb
	echo 0 > $T/options/overwrite
	echo function_graph > $T/current_tracer
	echo funcgraph-tail > $T/trace_options || fail "no funcgraph-tail"
	echo 1 > $T/tracing_on
	vgpu_bench3d "$1@$2" 500 >/dev/null || fail "$1: vgpu_bench3d"
	echo 0 > $T/tracing_on
	# "phase function duration" per call, then per phase and function
	# the count, mean, median and 90th percentile
	awk '
		/BENCH-MARK/ { ph = $0; sub(/.*BENCH-MARK [^\/]*\//, "", ph); sub(/ .*/, "", ph); next }
		/ us / {
			f = ""
			if (match($0, /\/\* [A-Za-z0-9_.]+( \[[A-Za-z0-9_]+\])? \*\//))
				f = substr($0, RSTART + 3, RLENGTH - 6)
			else if (match($0, /[A-Za-z0-9_.]+( \[[A-Za-z0-9_]+\])?\(\);/))
				f = substr($0, RSTART, RLENGTH - 3)
			if (f == "" || ph == "")
				next
			sub(/ \[.*/, "", f)
			d = $0; sub(/ us .*/, "", d); sub(/.*[ +!#*@$]/, "", d)
			print ph, f, d
		}
	' $T/trace | sort -k1,1 -k2,2 -k3,3g | awk -v who="$1@$2" '
		function flush() {
			if (n)
				printf "PROF %s %s calls=%d avg_us=%.1f p50_us=%.1f p90_us=%.1f\n",
					who, key, n, sum / n, v[int((n + 1) / 2)], v[int((n * 9 + 9) / 10)]
		}
		{ k = $1 " " $2 }
		k != key { flush(); key = k; n = 0; sum = 0 }
		{ v[++n] = $3; sum += $3 }
		END { flush() }
	' | tee /dev/ttyS1
	echo nop > $T/current_tracer
}
[ "$EXPECT_VIRGL" = yes ] || fail "run in the virgl profile"
load_driver || fail "vgpu did not load"
bench_rounds prof
exit 0

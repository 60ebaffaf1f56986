# SPDX-License-Identifier: GPL-2.0
# IGT's own tests on the driver under test: Debian's igt-gpu-tools (the sid
# userspace has it, /usr/libexec/igt-gpu-tools), or an IGT build on the
# payload (host: IGT_DIR=<install prefix>). The binaries and their time
# caps come from the list IGT_TESTS names (vm.py --igt-list: igt-tests.txt,
# all of them; igt-quick.txt, make check's); a line <binary>@<subtest> runs
# that subtest alone. Every subtest is reported as igt/<binary>@<subtest>;
# a binary without subtests as igt/<binary>.
#
# Expectations, drm-ci style, in tests/igt/expectations/: for the driver
# (vgpu, virtio_gpu) everywhere, DRIVER-fails.txt and so on; on one kernel,
# DRIVER-KERNEL-fails.txt (KERNEL: 6.1, 6.12, 7.3, sid or test, the debug
# kernel); on a device without 3D (EXPECT_VIRGL=no), DRIVER-no3d-fails.txt:
#   fails   <binary>@<subtest>,<Fail|Timeout|Crash>,<reason>
#           a failure with that result is reported as a skip quoting the
#           reason; a pass is an unexpected pass and fails, so the lists
#           stay true
#   flakes  <binary>@<subtest>,<reason>: a failure is a skip, a pass a pass
#   skips   <regex>,<reason>: subtests (binary@subtest) not run at all
# Any other failure fails. A binary stopped at its cap reports the subtest
# it was in as Timeout and the subtests it did not reach as skips.
. /run/payload/lib.sh
bin=/usr/libexec/igt-gpu-tools
[ -d "$bin" ] || bin=$P/igt/libexec/igt-gpu-tools
[ -d "$bin" ] || skip "no IGT: the sid userspace has Debian's (vm.py --userspace sid), or set IGT_DIR"
[ -d $P/igt/lib ] && export LD_LIBRARY_PATH=$P/igt/lib:$P/igt/lib/x86_64-linux-gnu
exp=$P/tests/igt-expectations
list=$P/tests/${IGT_TESTS:-igt-tests.txt}
load_driver || fail "driver did not load"
# kms_prime and the prime suites share buffers with vgem
modprobe vgem 2>/dev/null
# IGT's uevent checks (kms_lease@lease-uevent) listen on udev's netlink
# group: udevd runs while IGT does (nothing is triggered, so it loads no
# modules of its own)
udevd=
if [ -x /usr/lib/systemd/systemd-udevd ]; then
	/usr/lib/systemd/systemd-udevd --resolve-names=never >/dev/null 2>&1 &
	udevd=$!
fi
trap '[ -n "$udevd" ] && kill $udevd 2>/dev/null' EXIT
export IGT_FORCE_DRIVER=virtio_gpu
lists() { # kind: the expectation lines of this driver and kernel
	no3d=
	[ "$EXPECT_VIRGL" = yes ] || no3d="$exp/$DRIVER-no3d-$1.txt"
	cat "$exp/$DRIVER-$1.txt" "$exp/$DRIVER-$KERNEL-$1.txt" $no3d 2>/dev/null |
		grep -v '^#' | grep .
}
lists fails >/tmp/igt-fails
lists flakes >/tmp/igt-flakes
lists skips >/tmp/igt-skips
: >/tmp/igt-bad
mkdir -p /tmp/igt

# A line BINARY@SUBTEST runs that subtest alone, in a process of its own
# after udev has settled, and the binary's own line leaves it out.
grep -v '^#' "$list" | awk '$1 ~ /@/ { print $1 }' >/tmp/igt-alone

grep -v '^#' "$list" | while read -r entry cap; do
	[ -n "$entry" ] || continue
	cap=${cap:-60}
	t=${entry%%@*}
	if [ ! -x "$bin/$t" ]; then
		report_case "igt/$entry" skip "not in this IGT"
		continue
	fi
	"$bin/$t" --list-subtests 2>/dev/null >/tmp/igt/$t.full
	case $entry in
	*@*)
		grep -xF "${entry#*@}" /tmp/igt/$t.full >/tmp/igt/$t.all ||
			{ report_case "igt/$entry" skip "not in this IGT"; continue; }
		[ -z "$udevd" ] || udevadm settle -t 30 ;;
	*)
		sed -n "s/^$t@//p" /tmp/igt-alone >/tmp/igt/$t.apart
		grep -vxF -f /tmp/igt/$t.apart /tmp/igt/$t.full >/tmp/igt/$t.all ;;
	esac
	: >/tmp/igt/$t.run
	# one awk for the whole list: a process a subtest costs minutes on the
	# debug kernel
	awk -v t="$t" -v run=/tmp/igt/$t.run '
		FILENAME == ARGV[1] {
			i = index($0, ",")
			re[++n] = substr($0, 1, i - 1)
			why[n] = substr($0, i + 1)
			next
		}
		{
			name = t "@" $0
			for (i = 1; i <= n; i++)
				if (name ~ ("^(" re[i] ")$")) {
					print "RESULT igt/" name " skip not run: " why[i] > "/dev/ttyS1"
					next
				}
			print > run
		}' /tmp/igt-skips /tmp/igt/$t.all
	if [ -s /tmp/igt/$t.full ] && [ ! -s /tmp/igt/$t.run ]; then
		continue
	fi
	only=
	[ -s /tmp/igt/$t.full ] && ! cmp -s /tmp/igt/$t.full /tmp/igt/$t.run &&
		only="--run-subtest $(paste -sd, /tmp/igt/$t.run)"
	start=$(date +%s)
	# the host's watchdog: this binary's results are due within its cap
	echo "BUDGET igt $((cap + 30))" >/dev/ttyS1
	# shellcheck disable=SC2086
	timeout -k 10 "$cap" "$bin/$t" $only >/tmp/igt/$t.log 2>&1
	rc=$?
	echo "igt $entry: exit $rc after $(($(date +%s) - start))s"
	# a binary without subtests is one case, its result the exit status
	whole=
	if [ ! -s /tmp/igt/$t.full ]; then
		case $rc in
		0) whole=SUCCESS ;;
		77) whole=SKIP ;;
		124|137) whole=TIMEOUT ;;
		*) whole=FAIL ;;
		esac
		echo . >/tmp/igt/$t.run
	fi
	# seconds the finished subtests took: the rest of the cap went to the
	# one the binary was in when it was stopped
	done_s=$(sed -n 's/^Subtest [^ :]*: [A-Z]* (\([0-9]*\)\..*/\1/p' /tmp/igt/$t.log |
		awk '{ s += $1 } END { print s + 0 }')
	# every subtest's case as the expectations have it, in one awk
	awk -v t="$t" -v rc=$rc -v cap="$cap" -v done_s="$done_s" -v whole="$whole" \
	    -v bad=/tmp/igt-bad -v shown=/tmp/igt/$t.shown '
		function out(name, res, why) {
			print "RESULT igt/" name " " res (why == "" ? "" : " " why) > "/dev/ttyS1"
		}
		FILENAME == ARGV[1] {
			i = index($0, ",")
			rest = substr($0, i + 1)
			j = index(rest, ",")
			fres[substr($0, 1, i - 1)] = substr(rest, 1, j - 1)
			fwhy[substr($0, 1, i - 1)] = substr(rest, j + 1)
			next
		}
		FILENAME == ARGV[2] {
			i = index($0, ",")
			flake[substr($0, 1, i - 1)] = substr($0, i + 1)
			next
		}
		FILENAME == ARGV[3] {
			if ($1 == "Subtest" && $3 ~ /^[A-Z]+$/) {
				sub(/:$/, "", $2)
				if (!($2 in res))
					res[$2] = $3
			} else if ($0 ~ /^Starting subtest: /) {
				started[substr($0, 19)] = 1
			}
			next
		}
		{
			s = $0
			name = whole != "" ? t : t "@" s
			r = whole != "" ? whole : (s in res) ? res[s] : ""
			in_it = cap - done_s
			if (r == "" && (s in started))
				r = (rc == 124 || rc == 137) ? (in_it >= 60 ? "TIMEOUT" : "CAPPED") : "CRASH"
			else if (r == "")
				r = "NOTRUN"
			if (r == "SUCCESS") {
				if (name in fres) {
					out(name, "fail", "unexpected pass: expected " fres[name] ": " fwhy[name])
					print name " (unexpected pass)" >> bad
				} else {
					out(name, "pass", "")
				}
			} else if (r == "SKIP") {
				out(name, "skip", "IGT skipped it")
			} else if (r == "NOTRUN") {
				out(name, "skip", "not reached within the binary'"'"'s " cap "s cap")
			} else if (r == "CAPPED") {
				out(name, "skip", "stopped by the binary'"'"'s " cap "s cap after " in_it " s in it")
			} else {
				r = substr(r, 1, 1) tolower(substr(r, 2))
				if ((name in fres) && fres[name] == r) {
					out(name, "skip", "expected " r ": " fwhy[name])
				} else if (name in flake) {
					out(name, "skip", "flake (" r "): " flake[name])
				} else {
					out(name, "fail", r)
					print name " (" r ")" >> bad
				}
				print s > shown
			}
		}' /tmp/igt-fails /tmp/igt-flakes /tmp/igt/$t.log /tmp/igt/$t.run
	# the log of each case that did not pass
	if [ -n "$whole" ]; then
		[ -s /tmp/igt/$t.shown ] && tail -n 20 /tmp/igt/$t.log
	else
		[ -s /tmp/igt/$t.shown ] && while read -r s; do
			grep -A 12 "^Starting subtest: $s\$" /tmp/igt/$t.log | head -n 25
		done </tmp/igt/$t.shown
	fi
done
[ -s /tmp/igt-bad ] && fail "unexpected results: $(tr '\n' ' ' </tmp/igt-bad)"
exit 0

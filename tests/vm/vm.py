#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Boot a QEMU (TCG) guest with a GPU profile, run guest tests, report.

The guest reports on its second serial port, one line per event:
  RESULT <test> pass|fail|skip [reason]
  SCREENSHOT <name>       the host saves a screendump as <name>.png
  BENCH-MARK <phase>      with --trace: host commands and notifications
                          from here to the next mark count for <phase>
  BENCH <phase> k=v ...   a benchmark's guest-side figures
  HMP <command>           the host runs it on QEMU's monitor (the GPU is
                          device gpu0: "HMP device_del gpu0" unplugs it)
  WAKE-AFTER <seconds>    if the guest is suspended (S3) that long from
                          now, the host wakes it (system_wakeup): an RTC
                          alarm that fired before the guest slept is lost
  PANIC-CHECK <name>      the guest is about to panic: once the console
                          says so, the host checks the screendump for the
                          panic screen (white on black, none of the blue
                          the test drew), reports test <name>, saves it as
                          <name>.png and ends the guest; the panic's own
                          console lines are not splats
  CHECKPIXEL <name> <x> <y> <rrggbb>
                          the host takes a screendump at once and reports
                          test <name>: pass when that pixel has that colour
                          (the guest holds the picture for 3 s)
  DONE
The first serial port is the guest console; a WARN, BUG, Oops, lockdep,
KASAN, kmemleak or refcount splat in it fails the run (test
"kernel_log_clean"). A guest that does not finish in time is killed and
counted failed, and its last console lines are printed. After DONE the
guest must power off (QEMU exits) within POWEROFF_GRACE seconds (test
"power_off"): one that does not gets an NMI, whose stacks are printed,
and is killed.

Every test prints as "PASS|FAIL|SKIP <driver>/<profile>/<test>" and the run
ends with "N passed, N failed, N skipped".
"""
import argparse
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.abspath(os.path.join(HERE, "..", ".."))

# name -> (QEMU device arguments, expected scanouts, virgl, needs a GL
# display, host stack, what else the device offers)
# The host stack is bookworm's own QEMU 7.2, or trixie's QEMU 10 with
# virglrenderer 1.1 (Venus) in the chroot of tests/vm/host.sh, which runs
# the sid guest userspace (tests/vm/mkimage.sh sid): QEMU 7.2 offers no
# blob, hostmem, context-init or Venus.
PROFILES = {
    "2d": (["-device", "virtio-gpu-pci,id=gpu0{edid}"], 1, False, False, None, ""),
    "vga": (["-device", "virtio-vga,id=gpu0{edid}"], 1, False, False, None, ""),
    "multihead": (["-device", "virtio-gpu-pci,id=gpu0,max_outputs=4{edid}"], 4, False, False,
                  None, ""),
    "virgl": (["-device", "virtio-gpu-gl-pci,id=gpu0{edid}"], 1, True, True, None, ""),
    "venus": (["-device", "virtio-gpu-gl-pci,id=gpu0,blob=true,hostmem=1G,venus=true{edid}"],
              1, True, True, "trixie", "blob hostmem venus context_init"),
    "virgl-blob": (["-device", "virtio-gpu-gl-pci,id=gpu0,blob=true,hostmem=1G{edid}"],
                   1, True, True, "trixie", "blob hostmem context_init"),
    "2d-blob": (["-device", "virtio-gpu-pci,id=gpu0,blob=true{edid}"], 1, False, False,
                "trixie", "blob"),
}

# What a profile needs of the machine: QEMU 10 refuses blob=true on
# virtio-gpu-pci ("need rutabaga or udmabuf for blob resources") when the
# host kernel has no udmabuf.
HOST_NEEDS = {"2d-blob": "/dev/udmabuf"}

# suspend is not here: it boots on its own (see qemu_cmd()); nor is igt,
# which runs in the sid userspace only and is asked for by name (make check
# runs it on 7.3, tests/run-all.sh). Tests that
# unload the driver or reset the device come last: on QEMU 10 the in-tree
# driver's unload crashes QEMU (Documentation/rig.rst), and the
# comparison should have the other tests first. Venus comes before Mesa's
# GL programs (see tests/run-all.sh: QEMU 10.0 stalls on Venus after them).
DEFAULT_TESTS = ("module_load drm_version drm_bus debugfs_info only_one_driver "
                 "kms uapi blob isolation venus mesa fuzz load_unload reset pm_devices "
                 "reload_busy unplug")

# Report headers only: banners such as "RCU lockdep checking is enabled"
# must not match, nor IGT's lines in the kernel log ("igt_kms-DEBUG: ",
# "igt_kms-WARNING: "). Lockdep and KASAN reports start with "WARNING: " or
# "BUG: "; the rest are listed by their own first lines.
# Seconds a guest has to power off after DONE (the debug kernel's shutdown
# under TCG takes a few).
POWEROFF_GRACE = 60

SPLAT = re.compile(
    r"((?<![\w-])WARNING: |(?<![\w-])BUG: |\bBUG kmalloc|Oops|general protection fault|"
    r"Kernel panic|inconsistent lock state|suspicious RCU usage|"
    r"turning off the locking correctness validator|"
    r"kmemleak: .*new suspected|refcount_t: |UBSAN: |"
    r"list_add corruption|list_del corruption|INFO: task .* blocked|"
    r"pagealloc: )")


def log(msg):
    print(f"[vgpu-rig] {msg}", file=sys.stderr, flush=True)


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def sh_out(cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True,
                          shell=True).stdout.strip()


class Xvfb:
    """A private X server for QEMU's GTK display with GL."""

    def __init__(self):
        self.proc = None
        self.display = None

    def start(self):
        for n in range(90, 140):
            if os.path.exists(f"/tmp/.X11-unix/X{n}") or os.path.exists(f"/tmp/.X{n}-lock"):
                continue
            self.proc = subprocess.Popen(
                ["Xvfb", f":{n}", "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for _ in range(100):
                if os.path.exists(f"/tmp/.X11-unix/X{n}"):
                    self.display = f":{n}"
                    return self.display
                if self.proc.poll() is not None:
                    break
                time.sleep(0.1)
            self.stop()
        raise RuntimeError("cannot start Xvfb")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.proc = None


def monitor(sock_path, command):
    """Send one HMP command on the monitor socket; return its output."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(10)
    try:
        s.connect(sock_path)
    except OSError:
        # QEMU is gone (the guest powered off, reset or crashed between two
        # polls): there is nothing to ask, and the caller's next poll sees it
        s.close()
        return ""
    data = b""
    try:
        while b"(qemu)" not in data:
            data += s.recv(4096)
        s.sendall(command.encode() + b"\n")
        data = b""
        end = time.time() + 10
        while data.count(b"(qemu)") < 1 and time.time() < end:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
    except socket.timeout:
        pass
    finally:
        s.close()
    return data.decode(errors="replace")


def read_ppm(path):
    """(width, height, RGB bytes) of a binary PPM (P6, maxval 255), or None."""
    data = open(path, "rb").read()
    fields, pos = [], 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos)
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    pos += 1
    if fields[0] != b"P6":
        return None
    w, h = int(fields[1]), int(fields[2])
    return w, h, data[pos:pos + w * h * 3]


def read_ppm_pixel(path, x, y):
    """(r, g, b) of one pixel of a binary PPM, or None."""
    ppm = read_ppm(path)
    if not ppm or not (0 <= x < ppm[0] and 0 <= y < ppm[1]):
        return None
    off = (y * ppm[0] + x) * 3
    return tuple(ppm[2][off:off + 3])


def ppm_counts(path, colours):
    """How many pixels of a binary PPM have each of the (r, g, b) colours,
    and the number of pixels."""
    w, h, pix = read_ppm(path)
    counts = {c: 0 for c in colours}
    want = {bytes(c): c for c in colours}
    for i in range(0, len(pix), 3):
        c = want.get(pix[i:i + 3])
        if c:
            counts[c] += 1
    return counts, w * h


def screendump_ppm(sock_path, ppm):
    """Have QEMU write the screen to ppm; whether it did."""
    monitor(sock_path, f"screendump {ppm}")
    for _ in range(50):
        if os.path.exists(ppm) and os.path.getsize(ppm) > 0:
            return True
        time.sleep(0.1)
    return False


def check_panic(sock_path, work, out, name):
    """RESULT line for a PANIC-CHECK: the screen shows drm_panic's screen."""
    ppm = os.path.join(work, name.replace("/", "_") + ".ppm")
    if not screendump_ppm(sock_path, ppm):
        return f"RESULT {name} fail no screendump"
    png = os.path.join(out, name.replace("/", "-") + ".png")
    subprocess.run(["convert", ppm, png], check=False)
    try:
        counts, total = ppm_counts(ppm, [(255, 255, 255), (0, 0, 255), (0, 0, 0)])
    except (OSError, ValueError, IndexError, TypeError):
        return f"RESULT {name} fail unreadable screendump"
    white, blue, black = (counts[c] for c in [(255, 255, 255), (0, 0, 255), (0, 0, 0)])
    what = f"white {100 * white / total:.1f}%, black {100 * black / total:.1f}%, blue {blue} pixels"
    log(f"panic screen: {what} ({png})")
    if white * 100 >= total and blue == 0 and (white + black) * 10 >= total * 9:
        return f"RESULT {name} pass"
    return f"RESULT {name} fail not the panic screen: {what}"


def check_pixel(sock_path, work, name, x, y, want):
    """RESULT line for a CHECKPIXEL request."""
    ppm = os.path.join(work, name.replace("/", "_") + ".ppm")
    screendump_ppm(sock_path, ppm)
    try:
        got = read_ppm_pixel(ppm, x, y)
    except (OSError, ValueError, IndexError):
        got = None
    if got is None:
        return f"RESULT {name} fail no screendump"
    hexgot = "%02x%02x%02x" % got
    if hexgot == want.lower():
        return f"RESULT {name} pass"
    return f"RESULT {name} fail pixel {x},{y} is {hexgot}, want {want}"


TRACE_EVENTS = ["virtio_gpu_cmd_*", "virtio_gpu_update_cursor",
                "virtio_queue_notify", "virtio_notify"]
TRACE_RE = re.compile(r"(\d+)@(\d+)\.(\d+):(\S+)\s*(.*)")


def qemu_cpu_ticks(pid):
    """(vCPU threads, other threads) CPU time of a QEMU process, in clock ticks."""
    vcpu = other = 0
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return 0, 0
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                st = f.read()
        except OSError:
            continue
        comm = st[st.index("(") + 1:st.rindex(")")]
        fields = st[st.rindex(")") + 2:].split()
        ticks = int(fields[11]) + int(fields[12])   # utime + stime
        if comm.startswith("CPU "):
            vcpu += ticks
        else:
            other += ticks
    return vcpu, other


def trace_phases(trace, marks):
    """Count traced host events between BENCH-MARK times, per phase.

    Besides host commands and guest notifications, a phase gets the
    host's turnaround: from the guest's notification of a queue to the
    device's next interrupt for it (a used buffer), median over the
    phase, on the queue the guest notified most. With one request in
    flight at a time (submit_latency) that is the part of a round trip
    spent outside the guest."""
    hz = os.sysconf("SC_CLK_TCK")
    phases = {}
    for (name, _, cpu0), (_, _, cpu1) in zip(marks, marks[1:]):
        phases[name] = {"cmds": 0, "notifies": 0, "events": {},
                        "host_vcpu_us": (cpu1[0] - cpu0[0]) * 1000000 // hz,
                        "host_other_us": (cpu1[1] - cpu0[1]) * 1000000 // hz}
    try:
        f = open(trace, errors="replace")
    except FileNotFoundError:
        return phases
    notifiers = {}
    kicked = {}
    turns = {}
    with f:
        for ln in f:
            m = TRACE_RE.match(ln)
            if not m:
                continue
            t = int(m.group(2)) + int(m.group(3)) / 1e6
            ev, rest = m.group(4), m.group(5)
            for (name, start, _), (_, end, _) in zip(marks, marks[1:]):
                if start <= t < end:
                    ph = phases[name]
                    words = rest.split()
                    if ev == "virtio_queue_notify":
                        vdev = words[1] if len(words) > 1 else "?"
                        key = (name, vdev)
                        notifiers[key] = notifiers.get(key, 0) + 1
                        vq = words[-1] if words else "?"
                        kicked.setdefault((name, vq), t)
                    elif ev == "virtio_notify":
                        key = (name, words[-1] if words else "?")
                        if key in kicked:
                            turns.setdefault(key, []).append(t - kicked.pop(key))
                    else:
                        ph["cmds"] += 1
                        ph["events"][ev] = ph["events"].get(ev, 0) + 1
                    break
    # The GPU is the device that was notified most in a phase.
    for name in phases:
        counts = [n for (ph, _), n in notifiers.items() if ph == name]
        phases[name]["notifies"] = max(counts) if counts else 0
        queues = [v for (ph, _), v in turns.items() if ph == name]
        if queues:
            t = sorted(max(queues, key=len))
            phases[name]["host_turn_us"] = int(t[len(t) // 2] * 1e6)
    return phases


def screendump(sock_path, png, display=None):
    """Save the guest display as PNG (QEMU writes PPM; convert if needed).

    QEMU 7.2 has no screendump of a GL scanout ("no surface"): then, when
    QEMU's GTK window is on our Xvfb, the Xvfb screen is saved instead."""
    ppm = png[:-4] + ".ppm"
    # an earlier run's picture must not pass for this one
    if os.path.exists(png):
        os.unlink(png)
    out = monitor(sock_path, f"screendump {png} -f png")
    if os.path.exists(png) and os.path.getsize(png) > 0:
        return True
    if "no surface" in out and display:
        log(f"screendump: no surface (GL scanout); saving the X screen {display}")
        subprocess.run(["import", "-display", display, "-window", "root", png],
                       check=False)
        # The window sits at the top left of a black screen: cut it out.
        subprocess.run(["convert", png, "-trim", "+repage", png], check=False)
        return os.path.exists(png) and os.path.getsize(png) > 0
    log(f"screendump -f png: {out.strip()[-200:]!r}; falling back to PPM")
    if not screendump_ppm(sock_path, ppm):
        return False
    subprocess.run(["convert", ppm, png], check=False)
    os.unlink(ppm)
    return os.path.exists(png)


def build_payload(args, image, work):
    """A small ext4 disk with the module, test programs and the test list."""
    pay = os.path.join(work, "payload")
    os.makedirs(os.path.join(pay, "bin"))
    os.makedirs(os.path.join(pay, "tests"))
    kver = open(os.path.join(image, "kver")).read().strip()
    if args.suite_dir:
        kver = open(os.path.join(args.suite_dir, "kver")).read().strip()
    run(["make", "-s", "-C", os.path.join(HERE, "guest"),
         f"OUT={os.path.join(pay, 'bin')}"])
    igt = os.path.join(TOP, "tests", "igt")
    shutil.copy(os.path.join(igt, "igt.sh"), os.path.join(pay, "tests"))
    for f in os.listdir(igt):
        if f.startswith("igt-") and f.endswith(".txt"):
            shutil.copy(os.path.join(igt, f), os.path.join(pay, "tests"))
    shutil.copytree(os.path.join(igt, "expectations"),
                    os.path.join(pay, "tests", "igt-expectations"))
    for d in [os.path.join(HERE, "guest", "tests")] + args.test_dir:
        for f in sorted(os.listdir(d)):
            if f.endswith(".sh"):
                shutil.copy(os.path.join(d, f), os.path.join(pay, "tests", f))
    shutil.copy(os.path.join(HERE, "guest", "guest-main.sh"), pay)
    shutil.copy(os.path.join(HERE, "guest", "lib.sh"), pay)
    if args.extra:
        os.makedirs(os.path.join(pay, "extra"))
        for f in args.extra:
            shutil.copy(f, os.path.join(pay, "extra"))
    if args.kernel_dir:
        # the test kernel's own modules (virtio_gpu, vgem), installed layout
        shutil.copytree(os.path.join(args.kernel_dir, "modules"),
                        os.path.join(pay, "modules"), symlinks=True)
    if args.driver == "vgpu":
        ko = args.module or os.path.join(TOP, "drivers/gpu/drm/vgpu/vgpu.ko")
        if args.suite_dir and not args.module:
            ko = os.path.join(TOP, "build", args.kernel, "drivers/gpu/drm/vgpu/vgpu.ko")
        if not os.path.exists(ko):
            raise RuntimeError(f"{ko} not built (make KVER={kver}"
                               + (f"; make kernels KERNELS={args.kernel})" if args.suite_dir else ")"))
        shutil.copy(ko, os.path.join(pay, "vgpu.ko"))
    _, scanouts, virgl, _, host, offers = PROFILES[args.profile]
    with open(os.path.join(pay, "config.env"), "w") as f:
        f.write(f"DRIVER={args.driver}\nPROFILE={args.profile}\nEDID={args.edid}\n"
                f"EXPECT_SCANOUTS={scanouts}\nEXPECT_VIRGL={'yes' if virgl else 'no'}\n"
                f"HOST={host or 'bookworm'}\n"
                f"KERNEL={'test' if args.kernel_dir else args.kernel}\n"
                + "".join(f"EXPECT_{o.upper()}={'yes' if o in offers.split() else 'no'}\n"
                          for o in ("blob", "hostmem", "venus", "context_init")) +
                f"EXPECT_EDID={'yes' if args.edid == 'on' else 'no'}\n"
                f"TESTS=\"{args.tests}\"\nLOAD_CYCLES={args.load_cycles}\n"
                f"IGT_TESTS={args.igt_list}\nTIMEOUT_igt={igt_budget(args.igt_list)}\n")
        for kv in args.env:
            name, _, value = kv.partition("=")
            f.write(f"{name}={shlex.quote(value)}\n")
    # An upstream IGT build (IGT_DIR: its installed prefix, with
    # libexec/igt-gpu-tools/) goes on the payload for tests/igt/igt.sh.
    igt_dir = os.environ.get("IGT_DIR")
    size = "128M"
    if igt_dir and os.path.isdir(igt_dir):
        shutil.copytree(igt_dir, os.path.join(pay, "igt"), symlinks=True)
        size = "1G"
    img = os.path.join(work, "payload.img")
    run(["mke2fs", "-q", "-t", "ext4", "-d", pay, img, size],
        stdout=subprocess.DEVNULL)
    return img


def igt_budget(name):
    """Seconds the IGT test may take with the binary list NAME
    (tests/igt/): every binary's cap (60 s when it has none) and 10 s
    more for its start and reports, and a minute for loading the driver."""
    total = 60
    with open(os.path.join(TOP, "tests", "igt", name)) as f:
        for ln in f:
            parts = ln.split()
            if parts and not parts[0].startswith("#"):
                total += (int(parts[1]) if len(parts) > 1 else 60) + 10
    return total


def in_host_chroot(args, cmd, paths):
    """cmd run in the host stack's chroot (tests/vm/host.sh), in a mount
    namespace of its own: /dev, /proc, /sys, the X server's sockets and
    the directories of paths are bound at the same places, and go when
    QEMU ends. unshare, sh and chroot exec in turn: the process is QEMU."""
    root = os.path.join(args.host_dir, "root")
    dirs = sorted({os.path.realpath(p if os.path.isdir(p) else os.path.dirname(p))
                   for p in paths} | {"/tmp/.X11-unix"})
    script = ('r=$1; shift; n=$1; shift; '
              'mount -t proc proc "$r/proc" && mount --rbind /sys "$r/sys" && '
              'mount --rbind /dev "$r/dev" || exit 1; '
              'while [ "$n" -gt 0 ]; do mkdir -p "$r$1" && mount --bind "$1" "$r$1" || exit 1; '
              'shift; n=$((n - 1)); done; exec chroot "$r" "$@"')
    return (["unshare", "--mount", "--propagation", "private", "sh", "-c", script,
             "vgpu-host", root, str(len(dirs))] + dirs + cmd)


def qemu_cmd(args, image, payload, work):
    dev, _, _, gl, host, _ = PROFILES[args.profile]
    edid = "" if args.edid == "on" else ",edid=off"
    dev = [d.format(edid=edid) for d in dev]
    # no_console_suspend: what happens during a suspend reaches the log;
    # unknown_nmi_panic and panic_print=0x40: the NMI sent to a guest that
    # stopped answering (boot(): timeout) prints every CPU's stack
    # page_poison=1 (Debian's kernels and the debug kernel have
    # CONFIG_PAGE_POISONING): a freed page is filled with a pattern that is
    # checked when it is handed out again, so a write to freed memory, by
    # the CPU or by the device, is reported ("pagealloc: memory corruption")
    # watchdog_thresh=30: a soft lockup is reported after 60 s, not 20 s.
    # A CI boot once reported a 22 s "soft lockup" of kswapd0 with no
    # driver code on its stack, not seen again; most likely the host (two
    # cores for QEMU's main loop, the virgl renderer and two vCPUs) did not
    # run that vCPU. A task that really spins is still reported, and a
    # test still times out.
    append = ("root=/dev/vda rw console=ttyS0 init=/sbin/vgpu-init panic=-1 "
              "loglevel=7 8250.nr_uarts=2 no_console_suspend "
              "unknown_nmi_panic panic_print=0x40 page_poison=1 "
              "watchdog_thresh=30 " + args.append)
    if args.kernel_dir:
        # the test kernel has virtio-blk and ext4 built in: no initrd
        boot = ["-kernel", os.path.join(args.kernel_dir, "bzImage")]
        # pci=noacpi: under TCG the debug kernel's ACPI interpreter times
        # out on the PCI routing method (30 s a device, then no interrupt
        # line); the BIOS's routing table gives the same answer at once.
        append += " rootfstype=ext4 kmemleak=on log_buf_len=4M pci=noacpi"
    elif args.suite_dir:
        # another suite's Debian kernel: its initrd reaches the root disk,
        # its modules come on a third disk (guest-main.sh mounts them)
        boot = ["-kernel", os.path.join(args.suite_dir, "vmlinuz"),
                "-initrd", os.path.join(args.suite_dir, "initrd.img")]
    else:
        boot = ["-kernel", os.path.join(image, "vmlinuz"),
                "-initrd", os.path.join(image, "initrd.img")]
    # the sid userspace has no kernel: bookworm's modules come on a third disk
    modules = (os.path.join(args.suite_dir, "modules.img") if args.suite_dir else
               os.path.join(image, "modules.img") if args.root_image != image else None)
    # A guest that suspends runs on single-threaded TCG. With QEMU 7.2's
    # multi-threaded TCG, S3 resume crashed guests whatever the GPU driver
    # (8-cycle virgl runs on 7.3: vgpu 3 of 9, the in-tree driver 1 of 4;
    # double faults with EFLAGS bits no CPU can hold, triple faults before
    # the kernel's resume code ran); single-threaded, none of 7 did. It
    # costs about twice the time, so suspend boots with nothing else.
    accel = "tcg,thread=single" if "suspend" in args.tests.split() else "tcg"
    cmd = ["qemu-system-x86_64", "-nodefaults", "-no-reboot", "-accel", accel,
           "-machine", "pc", "-cpu", "max", "-smp", "2", "-m", str(args.memory),
           # S3 for the suspend test, woken by the guest's RTC alarm
           "-global", "PIIX4_PM.disable_s3=0"]
    drives = [os.path.join(args.root_image, "root.img") + ",snapshot=on",
              payload + ",readonly=on"]
    if modules and not args.kernel_dir:
        drives.append(modules + ",readonly=on")
    cmd += boot + ["-append", append]
    for d in drives:
        cmd += ["-drive", f"if=virtio,format=raw,file={d}"]
    cmd += ["-serial", f"file:{os.path.join(work, 'console.log')}",
            "-serial", f"file:{os.path.join(work, 'results.log')}",
            "-monitor", f"unix:{os.path.join(work, 'mon.sock')},server=on,wait=off"]
    if not args.trace:
        # why a CPU was reset: a guest that stops early may have
        # triple-faulted (with -no-reboot QEMU then exits with status 0)
        cmd += ["-d", "cpu_reset", "-D", os.path.join(work, "reset.log")]
    if args.trace:
        # debug-threads names the vCPU threads ("CPU 0/TCG") for qemu_cpu_ticks()
        cmd += ["-name", "vgpu-rig,debug-threads=on"]
        cmd += ["-msg", "timestamp=on", "-D", os.path.join(work, "trace.log")]
        for ev in TRACE_EVENTS:
            cmd += ["-trace", f"enable={ev}"]
    if args.hostmem:
        # memory outside guest RAM, as a real host-visible window is
        cmd += ["-object", f"memory-backend-ram,id=vgpu-hostmem,size={args.hostmem}M",
                "-device", "ivshmem-plain,memdev=vgpu-hostmem"]
    cmd += ["-display", "gtk,gl=on" if gl else "none"] + dev
    if host:
        cmd = in_host_chroot(args, cmd, [work, args.out, args.root_image, image]
                             + [d for d in (args.suite_dir, args.kernel_dir) if d])
    return cmd


# A guest still in a test this long after the test's budget ran out (when
# the guest's own timeout should have ended it and reported) is stuck: its
# kernel, or the device under it, no longer moves. guest-main.sh announces
# each test's budget ("BUDGET test seconds"), and a test may announce a
# shorter one for each of its parts (tests/igt/igt.sh, per binary).
# VGPU_STUCK_GRACE shortens it for the rig's self-test.
STUCK_GRACE = int(os.environ.get("VGPU_STUCK_GRACE", 120))

# A guest kernel that has not started the rig's init (guest-main.sh prints
# INIT_MARK first) this long after QEMU started hangs in its own boot,
# before any driver of the rig's is loaded. That boot is killed, with an
# NMI for its stacks, and the guest boots once more, as it does when the
# kernel stops (panics) before the init; a second such boot fails the run.
# Seen under TCG with two vCPUs, rarely: a 6.12 guest hung at 5 s, as
# sched_clock was marked stable (its CPUs idle in halt), and a 7.3 guest
# took an "Oops: int3" at 4 s on a NOP that text_poke_bp() had finished
# patching (a vCPU running the translation of the old bytes). A boot takes
# 12 to 40 s here. VGPU_BOOT_GRACE shortens it for the rig's self-test.
BOOT_GRACE = int(os.environ.get("VGPU_BOOT_GRACE", 240))
INIT_MARK = "vgpu rig: driver "


def kill_group(proc):
    """QEMU and whatever it started (the host chroot's mount namespace),
    when they have not ended by themselves."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def read_complete_lines(path):
    """Lines of a file still being written, without a partial last line."""
    try:
        with open(path, errors="replace") as f:
            data = f.read()
    except FileNotFoundError:
        return []
    return [ln.replace("\r", "") for ln in data.split("\n")[:-1]]


def read_lines(path):
    try:
        with open(path, errors="replace") as f:
            return [ln.rstrip("\r\n").replace("\r", "") for ln in f]
    except FileNotFoundError:
        return []


def boot(args, image, work):
    payload = build_payload(args, image, work)
    cmd = qemu_cmd(args, image, payload, work)
    env = dict(os.environ)
    xvfb = None
    if PROFILES[args.profile][3]:
        xvfb = Xvfb()
        env["DISPLAY"] = xvfb.start()
        env.pop("WAYLAND_DISPLAY", None)
    log(f"boot {args.driver}/{args.profile} edid={args.edid}: {' '.join(cmd[-3:])}")
    qlog = open(os.path.join(work, "qemu.log"), "w")
    start = time.time()
    proc = subprocess.Popen(cmd, stdout=qlog, stderr=subprocess.STDOUT, env=env,
                            start_new_session=True)
    seen, timed_out, shots, marks = 0, False, [], []
    deadline = None  # (test, time by which its result is due)
    init_by = start + BOOT_GRACE  # until the rig's init is seen
    wake_at = None
    panic = None
    done_at = None
    try:
        while True:
            lines = read_complete_lines(os.path.join(work, "results.log"))
            for ln in lines[seen:]:
                if ln.startswith("SCREENSHOT "):
                    name = ln.split()[1]
                    png = os.path.join(args.out, f"{name}.png")
                    if screendump(os.path.join(work, "mon.sock"), png,
                                  env.get("DISPLAY") if xvfb else None):
                        shots.append(png)
                elif ln.startswith("BENCH-MARK "):
                    marks.append((ln.split()[1], time.time(), qemu_cpu_ticks(proc.pid)))
                elif ln.startswith("HMP "):
                    out = monitor(os.path.join(work, "mon.sock"), ln[4:])
                    log(f"monitor: {ln[4:]}: {out.strip()[-200:]!r}")
                elif ln.startswith("WAKE-AFTER "):
                    wake_at = time.time() + float(ln.split()[1])
                elif ln.startswith("PANIC-CHECK "):
                    args.panic_from = len(read_lines(os.path.join(work, "console.log")))
                    panic = (ln.split()[1], time.time())
                elif ln == "DONE":
                    done_at = time.time()
                elif ln.startswith("BUDGET "):
                    _, name, secs = ln.split()[:3]
                    deadline = (name, time.time() + int(secs) + STUCK_GRACE)
                elif deadline and ln.startswith(f"RESULT {deadline[0]} "):
                    deadline = None
                elif ln.startswith("CHECKPIXEL "):
                    _, name, x, y, want = ln.split()[:5]
                    verdict = check_pixel(os.path.join(work, "mon.sock"), work,
                                          name, int(x), int(y), want)
                    with open(os.path.join(work, "host.log"), "a") as f:
                        f.write(verdict + "\n")
            seen = len(lines)
            if panic:
                console = read_lines(os.path.join(work, "console.log"))
                said = any("Kernel panic - not syncing" in ln
                           for ln in console[args.panic_from:])
                if said or time.time() - panic[1] > 60:
                    # drm_panic draws after the message: give it time
                    time.sleep(3)
                    verdict = check_panic(os.path.join(work, "mon.sock"), work,
                                          args.out, panic[0])
                    if not said:
                        verdict = f"RESULT {panic[0]} fail the guest did not panic"
                    with open(os.path.join(work, "host.log"), "a") as f:
                        f.write(verdict + "\nDONE\n")
                    break
            if wake_at and time.time() > wake_at:
                wake_at = None
                sock = os.path.join(work, "mon.sock")
                if "suspended" in monitor(sock, "info status"):
                    log("guest still suspended: waking it (system_wakeup)")
                    monitor(sock, "system_wakeup")
            if proc.poll() is not None:
                if init_by and not seen and not any(
                        INIT_MARK in ln for ln in read_lines(os.path.join(work, "console.log"))):
                    log("the guest kernel stopped before the rig's init")
                    args.boot_hung = True
                break
            if init_by and time.time() > init_by:
                console = os.path.join(work, "console.log")
                if lines or any(INIT_MARK in ln for ln in read_lines(console)):
                    init_by = None
                else:
                    log(f"the guest kernel did not start the rig's init in {BOOT_GRACE}s:"
                        " NMI for its stacks")
                    args.boot_hung = True
                    monitor(os.path.join(work, "mon.sock"), "nmi")
                    time.sleep(10)
                    kill_group(proc)
                    break
            if deadline and not panic and time.time() > deadline[1]:
                # the guest's own timeout did not end the test: the rest of
                # the run would wait for the whole boot's budget
                log(f"guest stuck in {deadline[0]}: NMI for its stacks")
                args.stuck = (deadline[0], len(read_lines(os.path.join(work, "console.log"))))
                monitor(os.path.join(work, "mon.sock"), "nmi")
                time.sleep(10)
                if proc.poll() is None:
                    args.qemu_hang = qemu_threads(proc.pid)
                kill_group(proc)
                break
            if done_at and time.time() - done_at > POWEROFF_GRACE:
                console = os.path.join(work, "console.log")
                if any("reboot: Power down" in ln for ln in read_lines(console)):
                    # the guest powered off and QEMU did not exit: what
                    # its threads wait on is the host's side of the story
                    log(f"QEMU still running {POWEROFF_GRACE}s after the guest's power-off")
                    args.qemu_hang = qemu_threads(proc.pid)
                else:
                    # the tests are over but the guest never powered off:
                    # its stacks say where the power-off stopped
                    log(f"guest not powered off {POWEROFF_GRACE}s after DONE: NMI for its stacks")
                    args.poweroff_hang = len(read_lines(console))
                    monitor(os.path.join(work, "mon.sock"), "nmi")
                    time.sleep(10)
                kill_group(proc)
                break
            if time.time() - start > args.timeout:
                timed_out = True
                # a guest stuck with interrupts off still takes an NMI:
                # its panic puts the CPUs' stacks in console.log
                log("guest timed out: NMI for its stacks")
                monitor(os.path.join(work, "mon.sock"), "nmi")
                time.sleep(10)
                kill_group(proc)
                break
            time.sleep(0.5)
    finally:
        if proc.poll() is None:
            kill_group(proc)
        if xvfb:
            xvfb.stop()
        qlog.close()
    args.qemu_rc = proc.returncode
    if args.trace and marks:
        bench_json(args, work, marks)
    return time.time() - start, timed_out, shots


def qemu_threads(pid):
    """What each thread of a QEMU that outlived its guest waits on: its
    name, state and kernel wait channel, and the user stacks when gdb is
    on the machine."""
    lines = []
    for tid in sorted(os.listdir(f"/proc/{pid}/task"), key=int):
        base = f"/proc/{pid}/task/{tid}"
        try:
            with open(f"{base}/comm") as f:
                comm = f.read().strip()
            with open(f"{base}/stat") as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
            with open(f"{base}/wchan") as f:
                wchan = f.read().strip()
        except OSError:
            continue
        lines.append(f"thread {tid} {comm}: {state} in {wchan}")
    if shutil.which("gdb"):
        try:
            out = subprocess.run(["gdb", "-batch", "-p", str(pid), "-ex",
                                  "thread apply all bt 12"], capture_output=True,
                                 text=True, timeout=60).stdout
            lines += [ln for ln in out.splitlines() if ln.startswith(("#", "Thread "))]
        except subprocess.TimeoutExpired:
            lines.append("gdb did not answer within 60 s")
    return lines


def bench_json(args, work, marks):
    """Guest figures and host counts of every benchmark phase, as JSON."""
    import json
    phases = trace_phases(os.path.join(work, "trace.log"), marks)
    for ln in read_lines(os.path.join(work, "results.log")):
        if ln.startswith("BENCH "):
            parts = ln.split()
            ph = phases.setdefault(parts[1], {})
            for kv in parts[2:]:
                k, _, v = kv.partition("=")
                ph[k] = int(v) if v.lstrip("-").isdigit() else v
    path = os.path.join(args.out, f"bench-{args.profile}.json")
    with open(path, "w") as f:
        json.dump(phases, f, indent=1, sort_keys=True)
    log(f"benchmark figures: {path}")


def run_prefix(args):
    kernel = "" if args.kernel == "6.1" or args.kernel_dir else f"{args.kernel}-"
    sid = args.userspace == "sid" and not PROFILES[args.profile][4]
    return (f"{args.driver}/{kernel}{args.profile}" + ("" if args.edid == "on" else "-noedid")
            + ("-sid" if sid else "")
            + ("" if not args.kernel_dir else "-testkernel")
            + (f"-{args.tag}" if args.tag else ""))


def report(args, work, elapsed, timed_out):
    prefix = run_prefix(args)
    results = read_lines(os.path.join(work, "results.log"))
    results += read_lines(os.path.join(work, "host.log"))
    console = read_lines(os.path.join(work, "console.log"))
    counts = {"pass": 0, "fail": 0, "skip": 0}
    done = False
    for ln in results:
        m = re.match(r"RESULT (\S+) (pass|fail|skip)\s*(.*)", ln)
        if m:
            name, res, why = m.groups()
            counts[res] += 1
            print(f"{res.upper():4} {prefix}/{name}" + (f"  ({why})" if why else ""))
        elif ln == "DONE":
            done = True
        elif ln.startswith("LOG "):
            print(f"     {ln[4:]}")
    if args.stuck:
        test, at = args.stuck
        counts["fail"] += 1
        print(f"FAIL {prefix}/{test}  (the guest stuck in it: no result {STUCK_GRACE}s"
              " after its budget; the console and QEMU's threads follow)")
        for ln in console[max(0, at - 30):at + 40]:
            print(f"     | {ln}")
        for ln in (args.qemu_hang or [])[:40]:
            print(f"     | {ln}")
    if not done:
        counts["fail"] += 1
        why = "timed out" if timed_out else \
            "the kernel never started the rig's init, in two boots; the second ended" \
            if args.boot_hung else \
            f"guest stopped before DONE (QEMU exit status {args.qemu_rc}" + \
            ("; a CPU triple-faulted" if any("Triple fault" in ln for ln in
                                              read_lines(os.path.join(work, "reset.log")))
             else "") + ")"
        print(f"FAIL {prefix}/guest_completed  ({why} after {elapsed:.0f}s)")
        for ln in console[-40:]:
            print(f"     | {ln}")
        # QEMU's own last words (a device it refused, a library it lacks)
        for ln in read_lines(os.path.join(work, "qemu.log"))[-10:]:
            print(f"     | qemu: {ln}")
    if args.panic_from is not None:
        pass  # the guest was meant to panic, not to power off
    elif done and args.qemu_hang is not None and not args.stuck:
        counts["fail"] += 1
        print(f"FAIL {prefix}/qemu_exit  (the guest powered off; QEMU did not exit"
              f" {POWEROFF_GRACE}s later: its threads follow)")
        for ln in args.qemu_hang[:80]:
            print(f"     | {ln}")
    elif done and args.poweroff_hang is not None:
        counts["fail"] += 1
        print(f"FAIL {prefix}/power_off  (no power-off {POWEROFF_GRACE}s after the tests;"
              " the NMI's stacks follow)")
        for ln in console[args.poweroff_hang:][:60]:
            print(f"     | {ln}")
    elif done:
        counts["pass"] += 1
        print(f"PASS {prefix}/power_off")
    # what a panic the test asked for prints is not a splat, nor what the
    # NMI sent to a guest that did not power off prints
    upto = len(console) if args.panic_from is None else args.panic_from
    if args.poweroff_hang is not None:
        upto = min(upto, args.poweroff_hang)
    if args.stuck:
        upto = min(upto, args.stuck[1])
    splats = [ln for ln in console[:upto] if SPLAT.search(ln)]
    if splats:
        counts["fail"] += 1
        print(f"FAIL {prefix}/kernel_log_clean  ({len(splats)} splat lines)")
        for ln in splats[:20]:
            print(f"     | {ln}")
    else:
        counts["pass"] += 1
        print(f"PASS {prefix}/kernel_log_clean")
    print(f"[vgpu-rig] {prefix}: guest ran {elapsed:.0f}s", file=sys.stderr)
    return counts


def keep_logs(args, work):
    """Copy the guest's and QEMU's logs of this run to --out."""
    tag = run_prefix(args).replace("/", "-")
    for f in ("console.log", "results.log", "qemu.log"):
        src = os.path.join(work, f)
        if os.path.exists(src):
            shutil.copy(src, os.path.join(args.out, f"{tag}.{f}"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--profile", choices=sorted(PROFILES), default="2d")
    ap.add_argument("--driver", choices=["vgpu", "virtio_gpu"], default="vgpu")
    ap.add_argument("--edid", choices=["on", "off"], default="on")
    ap.add_argument("--tests", default=DEFAULT_TESTS)
    ap.add_argument("--tag", default="",
                    help="added to the run's name (RUN-TAG/test), for boots of one profile "
                         "with different tests, e.g. s3 for the suspend boot")
    ap.add_argument("--test-dir", action="append", default=[],
                    help="extra directory of guest test scripts (*.sh)")
    ap.add_argument("--module", help="vgpu.ko to test (default: the tree's)")
    ap.add_argument("--extra", action="append", default=[],
                    help="file to put in the payload's extra/ directory")
    ap.add_argument("--image", help="guest image directory (default: build or reuse)")
    ap.add_argument("--host", choices=["trixie", "sid"],
                    help="the host stack of a profile that needs QEMU 10 or newer:"
                         " trixie's (QEMU 10, virglrenderer 1.1; the default) or"
                         " sid's (QEMU 11, virglrenderer 1.3)")
    ap.add_argument("--userspace", choices=["bookworm", "sid"],
                    help="the guest userspace: bookworm's (the image of the profiles of"
                         " bookworm's QEMU) or sid's (Mesa 26, IGT 2.5; always for the"
                         " profiles of the trixie host)")
    ap.add_argument("--igt-list", default="igt-tests.txt",
                    help="the IGT binaries and their caps (a list in tests/igt/):"
                         " igt-tests.txt, all of them, or igt-quick.txt, those of make check")
    ap.add_argument("--sid-image", help="the sid userspace image directory of the trixie"
                    " host's profiles (default: build or reuse)")
    ap.add_argument("--kernel", choices=["6.1", "6.12", "7.3", "sid"], default="6.1",
                    help="the Debian kernel to boot: bookworm's 6.1 (the image's),"
                         " trixie's 6.12, trixie-backports' 7.3 or sid's"
                         " (tests/vm/suite.sh; vgpu.ko from build/KERNEL, made by"
                         " make kernels)")
    ap.add_argument("--kernel-dir",
                    help="boot the test kernel in this directory (tests/kunit/kernel.sh)"
                         " instead of the image's Debian kernel")
    ap.add_argument("--timeout", type=int, default=600)
    ap.add_argument("--memory", type=int, default=2048)
    ap.add_argument("--load-cycles", type=int, default=20)
    ap.add_argument("--env", action="append", default=[], metavar="NAME=VALUE",
                    help="a setting for the guest tests (config.env), e.g. "
                         "FUZZ_IOCTLS=1000000 or TEST_TIMEOUT=3600 (seconds a test may run)")
    ap.add_argument("--append", default="", help="extra kernel command line")
    ap.add_argument("--hostmem", type=int, default=0, metavar="MIB",
                    help="add an ivshmem device of MIB MiB: the KUnit fake "
                         "host's host-visible region")
    ap.add_argument("--out", default=os.path.join(TOP, "out"),
                    help="where screenshots and logs are kept")
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    ap.add_argument("--trace", action="store_true",
                    help="trace the host's GPU commands for BENCH-MARK phases")
    args = ap.parse_args()

    os.makedirs(args.out, exist_ok=True)
    need = HOST_NEEDS.get(args.profile)
    if need and not os.path.exists(need):
        print(f"SKIP {run_prefix(args)}/harness  (this machine has no {need}:"
              f" QEMU refuses the {args.profile} device without it)")
        print("0 passed, 0 failed, 1 skipped")
        return 0
    image = args.image or sh_out(f"{HERE}/mkimage.sh | tail -n1")
    args.suite_dir = None
    if args.kernel != "6.1" and not args.kernel_dir:
        args.suite_dir = sh_out(f"{HERE}/suite.sh {args.kernel} | tail -n1")
    host = PROFILES[args.profile][4] and (args.host or PROFILES[args.profile][4])
    args.host_dir = sh_out(f"{HERE}/host.sh {host} | tail -n1") if host else None
    if host:
        args.userspace = "sid"
    if "igt" in args.tests.split() and args.userspace == "sid":
        # IGT runs in the sid userspace only: its time comes on top
        args.timeout += igt_budget(args.igt_list)
    args.root_image = args.sid_image or sh_out(f"{HERE}/mkimage.sh sid | tail -n1") \
        if args.userspace == "sid" else image
    for attempt in (1, 2):
        for k in ("panic_from", "poweroff_hang", "qemu_hang", "stuck", "qemu_rc"):
            setattr(args, k, None)
        args.boot_hung = False
        work = tempfile.mkdtemp(prefix="vgpu-vm.")
        try:
            elapsed, timed_out, shots = boot(args, image, work)
        except (OSError, RuntimeError, subprocess.CalledProcessError) as e:
            print(f"FAIL {run_prefix(args)}/harness  ({e})")
            print("0 passed, 1 failed, 0 skipped")
            keep_logs(args, work)
            if not args.keep:
                shutil.rmtree(work, ignore_errors=True)
            return 1
        if not args.boot_hung or attempt == 2:
            break
        # shown with the results: the rig's, not a test's, trouble
        print(f"     boot {attempt}: the kernel never started the rig's init (it stopped,"
              f" or hung {BOOT_GRACE}s); booting again. Its last console lines:")
        for ln in read_lines(os.path.join(work, "console.log"))[-25:]:
            print(f"     | {ln}")
        shutil.rmtree(work, ignore_errors=True)
    try:
        counts = report(args, work, elapsed, timed_out)
        keep_logs(args, work)
        for png in shots:
            print(f"[vgpu-rig] screenshot: {png}", file=sys.stderr)
    finally:
        if args.keep:
            log(f"work directory kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(f"{counts['pass']} passed, {counts['fail']} failed, {counts['skip']} skipped")
    return 1 if counts["fail"] else 0


if __name__ == "__main__":
    sys.exit(main())

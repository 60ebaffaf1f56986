# SPDX-License-Identifier: GPL-2.0
# Unmodified Mesa on the device (virgl): EGL's GBM platform loads the
# virtio_gpu driver, kmscube renders with the virgl renderer in legacy and
# atomic mode, glmark2-es2-drm runs a few scenes and validates what some
# of them render (pixels read back). Each is reported as
# mesa/<name> and must be free of errors. Run times (ms), kmscube's frame
# rate and the glmark2 score go to the host as BENCH lines.
. /run/payload/lib.sh
[ "$EXPECT_VIRGL" = yes ] || skip "no 3D in this profile"
load_driver || fail "driver did not load"
FRAMES=${MESA_FRAMES:-120}
bad=""

# mesa_case NAME PATTERN... -- COMMAND...: pass when COMMAND exits 0,
# prints every PATTERN (extended regexps) and nothing that looks like an
# error.
mesa_case() {
	name=$1
	shift
	pats=""
	while [ "$1" != -- ]; do
		pats="$pats
$1"
		shift
	done
	shift
	start=$(date +%s%N)
	out=$(timeout 240 "$@" 2>&1)
	rc=$?
	ms=$((($(date +%s%N) - start) / 1000000))
	echo "--- $name: $* (rc $rc)"
	echo "$out" | tail -n 25 | cut -c1-200
	# kmscube 0.0.0~git20210207 offers the INVALID modifier with
	# DRM_MODE_FB_MODIFIERS, which every driver refuses, and falls back
	# to plain AddFB2 after saying "Modifiers failed!": not an error.
	# Extension names (GL_KHR_no_error) are not errors either.
	errs=$(echo "$out" | sed 's/Modifiers failed!//g' |
		grep -iE '(^|[^_A-Za-z])(fail(ed|ure)?|error|invalid|segmentation)([^_A-Za-z]|$)|-22' |
		head -n 3 | cut -c1-120)
	why=""
	[ "$rc" = 0 ] || why="exit $rc: $(echo "$out" | tail -n 1 | cut -c1-120)"
	echo "$pats" | while read -r p; do
		[ -z "$p" ] || echo "$out" | grep -qE "$p" || echo "$p"
	done >/tmp/mesa-missing
	[ -n "$why" ] || [ ! -s /tmp/mesa-missing ] ||
		why="no '$(head -n1 /tmp/mesa-missing)' in the output"
	[ -n "$why" ] || [ -z "$errs" ] || why="errors: $(echo "$errs" | tr '\n' ' ')"
	if [ -n "$why" ]; then
		report_case "mesa/$name" fail "$why"
		bad="$bad $name"
		return 1
	fi
	report_case "mesa/$name" pass
	fps=$(echo "$out" | sed -n 's/^Rendered .*(\([0-9]*\)\.[0-9]* fps)/\1/p' | tail -n1)
	echo "BENCH mesa ${name}_ms=$ms${fps:+ ${name}_fps=$fps}" >/dev/ttyS1
}

# eglinfo (mesa-utils 8.5) takes no options and lists every platform; the
# X11 and Wayland ones fail without a server (exit status 2). Its GBM
# platform must load the virtio_gpu (virgl) driver; it creates no context,
# so the renderer string is checked in kmscube's output.
# With a second DRM device (vgem, which the uapi and blob tests load), the
# GBM platform of Mesa 26 (sid) opens that one and falls back to
# kms_swrast: the test is about this device.
rmmod vgem 2>/dev/null
out=$(eglinfo 2>&1)
gbm=$(echo "$out" | sed -n '/^GBM platform:/,/^[A-Za-z0-9]* platform:/p')
echo "$gbm" | head -n 6
if echo "$gbm" | grep -q '^EGL driver name: virtio_gpu$'; then
	report_case mesa/eglinfo pass
else
	report_case mesa/eglinfo fail "GBM platform without the virtio_gpu driver"
	bad="$bad eglinfo"
fi
mesa_case kmscube 'renderer: "virgl' '^Rendered [0-9]+ frames' -- \
	kmscube -D /dev/dri/card0 -c "$FRAMES"
mesa_case kmscube_atomic 'renderer: "virgl' '^Rendered [0-9]+ frames' -- \
	kmscube -A -D /dev/dri/card0 -c "$FRAMES"
if mesa_case glmark2 'GL_RENDERER: *virgl' 'glmark2 Score' -- \
	glmark2-es2-drm --size 640x480 -b build:use-vbo=true:duration=3 \
	-b texture:duration=3 -b shading:shading=phong:duration=3; then
	score=$(echo "$out" | sed -n 's/.*glmark2 Score: *\([0-9]*\).*/\1/p')
	echo "BENCH mesa glmark2_score=$score" >/dev/ttyS1
fi
# glmark2's own check of what it rendered: each scene reads back pixels
# and compares them with what it expects (vertex buffers, normal-map and
# height-map textures uploaded through transfers). Every scene must say Success. The
# texture and shading scenes fail their validation on llvmpipe behind
# virgl with either driver (measured with the in-tree virtio_gpu), so
# they are not asked for.
mesa_case glmark2_validate 'GL_RENDERER: *virgl' 'Validation: Success' -- \
	glmark2-es2-drm --validate --size 640x480 -b build:use-vbo=false \
	-b build:use-vbo=true -b bump:bump-render=normals \
	-b bump:bump-render=height
if echo "$out" | grep -E 'Validation: ' | grep -qv 'Validation: Success'; then
	report_case mesa/glmark2_validate_all fail \
		"$(echo "$out" | grep -E 'Validation: ' | grep -v Success | head -n 2 | tr '\n' ' ')"
	bad="$bad glmark2_validate_all"
else
	report_case mesa/glmark2_validate_all pass
fi
[ -z "$bad" ] || fail "mesa cases failed:$bad"
exit 0

# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the guest rig: kernel version, mirror, cache paths.
# Sourced by the rig's scripts; defines functions only.

VGPU_CACHE=${VGPU_CACHE:-$HOME/.cache/vgpu}

# Debian kernel ABI the rig targets: the one linux-headers-amd64 depends on.
vgpu_debian_kver() {
	local dep
	dep=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null) || return 1
	dep=${dep%% *}
	echo "${dep#linux-headers-}"
}

# Sites and suites of this machine's apt configuration for bookworm,
# as "SITE SUITE" lines. Nothing is hard-coded: the guest uses the
# same mirrors as the host.
vgpu_apt_sources() {
	apt-get indextargets --format '$(SITE) $(RELEASE) $(COMPONENT)' 2>/dev/null |
		awk '$2 ~ /^bookworm/ && $3 == "main" { print $1, $2 }' | sort -u
}

vgpu_mirror() {
	vgpu_apt_sources | awk '$2 == "bookworm" { print $1; exit }'
}

vgpu_log() {
	printf '[vgpu-rig] %s\n' "$*" >&2
}

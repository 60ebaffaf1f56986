#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Print a directory holding files from Debian's linux-source-6.1 tarball,
# extracting them into the cache the first time (keyed by the package
# version). Arguments: paths inside the tree to extract (default: all).
set -eu
. "$(dirname "$0")/../tests/vm/lib.sh"
tarball=/usr/src/linux-source-6.1.tar.xz
if [ ! -f $tarball ]; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q linux-source-6.1 >&2
fi
ver=$(dpkg-query -W -f='${Version}' linux-source-6.1)
dir="$VGPU_CACHE/linux-source-$ver"
mkdir -p "$dir"
need=
for p in "$@"; do
	[ -e "$dir/$p" ] || need="$need linux-source-6.1/$p"
done
if [ $# -eq 0 ] && [ ! -f "$dir/.complete" ]; then
	tar -xJf $tarball -C "$dir" --strip-components=1
	touch "$dir/.complete"
elif [ -n "$need" ]; then
	# shellcheck disable=SC2086
	tar -xJf $tarball -C "$dir" --strip-components=1 $need
fi
echo "$dir"

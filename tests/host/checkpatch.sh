#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# checkpatch.pl --strict reports nothing on any source file.
. "$(dirname "$0")/lib.sh"
make -C "$top" -s KVER="$KVER" lint || fail "checkpatch findings"

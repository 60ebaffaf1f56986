#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make fuzz: the full fuzz run. The debug test kernel (KASAN, lockdep,
# kmemleak) in the virgl profile, FUZZ_IOCTLS (default 1,000,000) hostile
# ioctls, then a modeset, a flip and a virgl frame from new clients; any
# splat or kmemleak report fails it. FUZZ_SEED repeats a run.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
n=${FUZZ_IOCTLS:-1000000}
# the debug kernel with virgl makes about 120 ioctls a second in TCG
# (3D ioctls wait for the host): 1,000,000 take about 2.5 hours
secs=$((n / 80 + 600))
export TESTKERNEL_RUNS=${TESTKERNEL_RUNS-virgl}
exec "$top/tests/kunit/run.sh" --tests "module_load fuzz" \
	--env "FUZZ_IOCTLS=$n" ${FUZZ_SEED:+--env "FUZZ_SEED=$FUZZ_SEED"} \
	--env "TEST_TIMEOUT=$secs" --timeout $((secs + 300)) "$@"

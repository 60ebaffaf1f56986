/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the benchmark programs share: clocks, the rig's phase marks and
 * the BENCH lines. Each program sets @rig (the rig's serial port) and
 * @label (the driver under test) before its first mark.
 */
#ifndef VGPU_BENCH_H
#define VGPU_BENCH_H

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static FILE *rig;
static const char *label;

static int64_t now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

/* Non-idle guest CPU time, all CPUs, in microseconds. */
static int64_t cpu_us(void)
{
	unsigned long long v[10] = { 0 }, busy = 0;
	long hz = sysconf(_SC_CLK_TCK);
	FILE *f = fopen("/proc/stat", "r");

	if (!f || fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu",
			 &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) != 8) {
		if (f)
			fclose(f);
		return 0;
	}
	fclose(f);
	for (int i = 0; i < 8; i++)
		if (i != 3 && i != 4)	/* idle, iowait */
			busy += v[i];
	return (int64_t)(busy * 1000000ULL / (unsigned long long)hz);
}

/*
 * A phase begins: the rig notes the time, and so does the kernel's trace
 * when tracefs is mounted (its trace_marker), for traces taken in the
 * guest.
 */
static void mark(const char *phase)
{
	FILE *t = fopen("/sys/kernel/tracing/trace_marker", "w");

	fprintf(rig, "BENCH-MARK %s/%s\n", label, phase);
	fflush(rig);
	if (t) {
		fprintf(t, "BENCH-MARK %s/%s\n", label, phase);
		fclose(t);
	}
	sleep(2);
}

static void report(const char *phase, unsigned int frames, int64_t wall,
		   int64_t cpu)
{
	printf("BENCH %s/%s frames=%u wall_us=%" PRId64 " cpu_us=%" PRId64 "\n",
	       label, phase, frames, wall, cpu);
	fprintf(rig, "BENCH %s/%s frames=%u wall_us=%" PRId64 " cpu_us=%" PRId64 "\n",
		label, phase, frames, wall, cpu);
	fflush(rig);
}

#endif /* VGPU_BENCH_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * subtest.h: the subtest harness of the guest test programs in tests/igt/.
 *
 * A subtest returns 0 (pass), 77 (skip) or 1 (fail), with its reason in
 * subtest_why; FAIL, SKIP and CHECK set it and return, as IGT's
 * igt_assert ends a subtest. run_subtests() prints one line a subtest:
 *
 *   SUBTEST <name> pass|fail|skip [reason]
 */
#ifndef VGPU_SUBTEST_H
#define VGPU_SUBTEST_H

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static char subtest_why[256];

#define FAIL(...) do {							\
	snprintf(subtest_why, sizeof(subtest_why), __VA_ARGS__);	\
	return 1;							\
} while (0)
#define SKIP(...) do {							\
	snprintf(subtest_why, sizeof(subtest_why), __VA_ARGS__);	\
	return 77;							\
} while (0)
#define CHECK(c, ...) do { if (!(c)) FAIL(__VA_ARGS__); } while (0)

struct subtest {
	const char *name;
	int (*fn)(void);
};

/*
 * Run the subtests named in argv[first..] (all when there are none).
 * Returns non-zero when one failed.
 */
static inline int run_subtests(const struct subtest *t, unsigned int n,
			       int argc, char **argv, int first)
{
	int failed = 0;

	for (unsigned int i = 0; i < n; i++) {
		bool want = first >= argc;
		int ret;

		for (int a = first; a < argc; a++)
			want |= !strcmp(argv[a], t[i].name);
		if (!want)
			continue;
		subtest_why[0] = 0;
		ret = t[i].fn();
		printf("SUBTEST %s %s%s%s\n", t[i].name,
		       ret == 0 ? "pass" : ret == 77 ? "skip" : "fail",
		       subtest_why[0] ? " " : "", subtest_why);
		fflush(stdout);
		failed |= ret != 0 && ret != 77;
	}
	return failed;
}

/*
 * subtest_main - the main() of a program testing one DRM node: open the
 * node (-d NODE, else @node), run the subtests named after it (all when
 * none), close it. @fd and @node are the program's globals.
 */
static inline int subtest_main(const struct subtest *t, unsigned int n,
			       int argc, char **argv, int *fd,
			       const char **node)
{
	int failed, first = 1;

	if (argc > 2 && !strcmp(argv[1], "-d")) {
		*node = argv[2];
		first = 3;
	}
	*fd = open(*node, O_RDWR | O_CLOEXEC);
	if (*fd < 0) {
		printf("SUBTEST setup fail %s: %s\n", *node, strerror(errno));
		return 1;
	}
	failed = run_subtests(t, n, argc, argv, first);
	close(*fd);
	return failed;
}

#endif /* VGPU_SUBTEST_H */

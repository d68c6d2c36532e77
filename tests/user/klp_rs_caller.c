// SPDX-License-Identifier: GPL-2.0
/*
 * klp_rs_caller: call a patched kernel function from user space, without
 * pause, until SIGTERM, and count what every call returned.
 *
 *   klp_rs_caller CPU FILE OLD NEW
 *
 * Pins itself to CPU and lowers its priority to nice 19, so that it takes
 * the CPU time everything else leaves and delays no other task (the test
 * driving the patch, for one), then reads FILE from offset 0 again and
 * again: for a
 * seq_file such as /proc/cmdline each read runs the file's show function
 * (cmdline_proc_show() for /proc/cmdline). Every result must be OLD or NEW
 * (trailing newline ignored). On SIGTERM prints
 *
 *   calls N old N new N bad N
 *
 * and the first unexpected result, if any, then exits 0 if there was none,
 * 1 otherwise. Built static for the test guest by the Makefile.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

int main(int argc, char **argv)
{
	unsigned long calls = 0, old = 0, new = 0, bad = 0;
	char buf[4096], first_bad[4096] = "";
	struct sigaction sa = { .sa_handler = on_term };
	cpu_set_t cpus;
	ssize_t n;
	char *end;
	long cpu;
	int fd;

	/* First: a SIGTERM sent as soon as the caller started must end the loop, not the process. */
	sigaction(SIGTERM, &sa, NULL);
	if (argc != 5) {
		fprintf(stderr, "usage: %s CPU FILE OLD NEW\n", argv[0]);
		return 2;
	}
	cpu = strtol(argv[1], &end, 10);
	if (*end || cpu < 0 || cpu >= CPU_SETSIZE) {
		fprintf(stderr, "%s: bad CPU '%s'\n", argv[0], argv[1]);
		return 2;
	}
	CPU_ZERO(&cpus);
	CPU_SET(cpu, &cpus);
	if (sched_setaffinity(0, sizeof(cpus), &cpus)) {
		fprintf(stderr, "%s: CPU %ld: %s\n", argv[0], cpu, strerror(errno));
		return 2;
	}
	if (setpriority(PRIO_PROCESS, 0, 19)) {
		fprintf(stderr, "%s: nice 19: %s\n", argv[0], strerror(errno));
		return 2;
	}
	fd = open(argv[2], O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "%s: %s: %s\n", argv[0], argv[2], strerror(errno));
		return 2;
	}

	while (!stop) {
		n = pread(fd, buf, sizeof(buf) - 1, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "%s: read %s: %s\n", argv[0], argv[2], strerror(errno));
			return 2;
		}
		buf[n] = '\0';
		if (n > 0 && buf[n - 1] == '\n')
			buf[n - 1] = '\0';
		calls++;
		if (!strcmp(buf, argv[3])) {
			old++;
		} else if (!strcmp(buf, argv[4])) {
			new++;
		} else if (!bad++) {
			strcpy(first_bad, buf);
		}
	}
	printf("calls %lu old %lu new %lu bad %lu\n", calls, old, new, bad);
	if (bad)
		printf("first unexpected result: '%s'\n", first_bad);
	return bad ? 1 : 0;
}

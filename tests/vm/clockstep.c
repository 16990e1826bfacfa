/*
 * clockstep: the guest's clock tool for the VM tests (statically linked).
 *
 *   clockstep now                  print "real=NS mono=NS boot=NS"
 *   clockstep step SECONDS [MS]    step CLOCK_REALTIME by SECONDS (+ or -);
 *                                  with MS, first wait until the wall clock's
 *                                  fraction of a second is MS milliseconds, so
 *                                  the step lands mid-second and a sleeper that
 *                                  only woke at the next boundary would show;
 *                                  prints "step by=S before=NS after=NS mono=NS"
 *   clockstep wait-until EPOCH [MS]  sleep until wall time EPOCH + MS ms
 *                                  (clock_nanosleep TIMER_ABSTIME, which a
 *                                  step does not disturb)
 *   clockstep stamp                copy stdin to stdout line by line, each line
 *                                  prefixed "MONO_NS REAL_NS " at the moment
 *                                  the read returned it
 *   clockstep settime-loop RATE SECONDS
 *                                  set the clock to its own current value RATE
 *                                  times a second for SECONDS (a flood of
 *                                  clock_was_set events, for CPU benchmarks);
 *                                  prints "settime-loop sets=N"
 *   clockstep ntp-status           print "synchronized=0|1 status=0xS state=N"
 *                                  as adjtimex reads the kernel's NTP state
 *   clockstep sync                 tell the kernel the clock is synchronized,
 *                                  as an NTP daemon does (adjtimex: STA_UNSYNC
 *                                  cleared, maximum error 0; a later
 *                                  clock_settime marks it unsynchronized again)
 *   clockstep pty COLS ROWS CMD [ARG...]
 *                                  run CMD on a new pseudo-terminal of COLS x
 *                                  ROWS as its controlling terminal (stdin,
 *                                  stdout and stderr), read and discard what it
 *                                  writes; prints "pty pid=N" when it started
 *                                  and "pty status=S bytes=B" when it ended
 *
 * Times are nanoseconds since the epoch (real) or since boot (mono, boot).
 * Exit status 2 on bad usage, 1 when a clock call fails.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/timex.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef long long ns_t;

static ns_t now_ns(clockid_t id)
{
	struct timespec ts;
	if (clock_gettime(id, &ts) != 0) {
		perror("clockstep: clock_gettime");
		exit(1);
	}
	return (ns_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static struct timespec to_ts(ns_t ns)
{
	struct timespec ts;
	ts.tv_sec = ns / 1000000000LL;
	ts.tv_nsec = ns % 1000000000LL;
	if (ts.tv_nsec < 0) {
		ts.tv_nsec += 1000000000LL;
		ts.tv_sec -= 1;
	}
	return ts;
}

static void sleep_until(clockid_t id, ns_t deadline)
{
	struct timespec ts = to_ts(deadline);
	int rc;
	while ((rc = clock_nanosleep(id, TIMER_ABSTIME, &ts, NULL)) == EINTR)
		;
	if (rc != 0) {
		errno = rc;
		perror("clockstep: clock_nanosleep");
		exit(1);
	}
}

static long long parse(const char *s, const char *what)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s || *end) {
		fprintf(stderr, "clockstep: bad %s: %s\n", what, s);
		exit(2);
	}
	return v;
}

static void set_real(ns_t ns)
{
	struct timespec ts = to_ts(ns);
	if (clock_settime(CLOCK_REALTIME, &ts) != 0) {
		perror("clockstep: clock_settime");
		exit(1);
	}
}

static int cmd_step(int argc, char **argv)
{
	if (argc < 1 || argc > 2) {
		fprintf(stderr, "usage: clockstep step SECONDS [MS]\n");
		return 2;
	}
	ns_t by = parse(argv[0], "seconds") * 1000000000LL;
	if (argc == 2) {
		ns_t ms = parse(argv[1], "milliseconds");
		if (ms < 0 || ms > 999) {
			fprintf(stderr, "clockstep: MS must be 0..999\n");
			return 2;
		}
		ns_t real = now_ns(CLOCK_REALTIME);
		ns_t target = (real / 1000000000LL) * 1000000000LL + ms * 1000000LL;
		if (target <= real)
			target += 1000000000LL;
		sleep_until(CLOCK_REALTIME, target);
	}
	ns_t before = now_ns(CLOCK_REALTIME);
	ns_t mono = now_ns(CLOCK_MONOTONIC);
	set_real(before + by);
	ns_t after = now_ns(CLOCK_REALTIME);
	printf("step by=%s before=%lld after=%lld mono=%lld\n", argv[0], before, after, mono);
	fflush(stdout);
	return 0;
}

static int cmd_stamp(void)
{
	char buf[65536];
	size_t have = 0;
	for (;;) {
		ssize_t n = read(0, buf + have, sizeof buf - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		ns_t mono = now_ns(CLOCK_MONOTONIC);
		ns_t real = now_ns(CLOCK_REALTIME);
		have += (size_t)n;
		size_t start = 0;
		for (size_t i = 0; i < have; i++) {
			if (buf[i] != '\n' && i + 1 < sizeof buf)
				continue;
			char prefix[64];
			int len = snprintf(prefix, sizeof prefix, "%lld %lld ", mono, real);
			if (write(1, prefix, (size_t)len) != len ||
			    write(1, buf + start, i + 1 - start) != (ssize_t)(i + 1 - start))
				return 1;
			start = i + 1;
		}
		memmove(buf, buf + start, have - start);
		have -= start;
	}
	if (have) {
		ns_t mono = now_ns(CLOCK_MONOTONIC);
		ns_t real = now_ns(CLOCK_REALTIME);
		printf("%lld %lld %.*s\n", mono, real, (int)have, buf);
	}
	return 0;
}

static int cmd_settime_loop(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: clockstep settime-loop RATE SECONDS\n");
		return 2;
	}
	long long rate = parse(argv[0], "rate");
	long long seconds = parse(argv[1], "seconds");
	if (rate <= 0 || seconds < 0) {
		fprintf(stderr, "clockstep: RATE must be positive, SECONDS not negative\n");
		return 2;
	}
	ns_t period = 1000000000LL / rate;
	ns_t start = now_ns(CLOCK_MONOTONIC);
	ns_t end = start + seconds * 1000000000LL;
	long long sets = 0;
	for (ns_t next = start; next < end; next += period) {
		sleep_until(CLOCK_MONOTONIC, next);
		set_real(now_ns(CLOCK_REALTIME));
		sets++;
	}
	printf("settime-loop sets=%lld\n", sets);
	return 0;
}

static int cmd_ntp_status(void)
{
	struct timex tx;
	memset(&tx, 0, sizeof tx);
	int state = adjtimex(&tx);
	if (state < 0) {
		perror("clockstep: adjtimex");
		return 1;
	}
	int synced = state != TIME_ERROR && !(tx.status & STA_UNSYNC);
	printf("synchronized=%d status=%#x state=%d\n", synced, (unsigned)tx.status, state);
	return 0;
}

static int cmd_sync(void)
{
	struct timex tx;
	memset(&tx, 0, sizeof tx);
	if (adjtimex(&tx) < 0) {
		perror("clockstep: adjtimex");
		return 1;
	}
	int status = tx.status & ~STA_UNSYNC;
	memset(&tx, 0, sizeof tx);
	tx.modes = ADJ_STATUS | ADJ_MAXERROR | ADJ_ESTERROR;
	tx.status = status;
	tx.maxerror = 0;
	tx.esterror = 0;
	if (adjtimex(&tx) < 0) {
		perror("clockstep: adjtimex");
		return 1;
	}
	return cmd_ntp_status();
}

static int cmd_pty(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: clockstep pty COLS ROWS CMD [ARG...]\n");
		return 2;
	}
	struct winsize size;
	memset(&size, 0, sizeof size);
	size.ws_col = (unsigned short)parse(argv[0], "columns");
	size.ws_row = (unsigned short)parse(argv[1], "rows");
	int master, slave;
	if (openpty(&master, &slave, NULL, NULL, &size) != 0) {
		perror("clockstep: openpty");
		return 1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		perror("clockstep: fork");
		return 1;
	}
	if (pid == 0) {
		close(master);
		if (setsid() < 0 || ioctl(slave, TIOCSCTTY, 0) != 0) {
			perror("clockstep: controlling terminal");
			_exit(1);
		}
		for (int fd = 0; fd < 3; fd++)
			if (dup2(slave, fd) < 0)
				_exit(1);
		if (slave > 2)
			close(slave);
		execvp(argv[2], argv + 2);
		perror("clockstep: exec");
		_exit(127);
	}
	close(slave);
	printf("pty pid=%d\n", (int)pid);
	fflush(stdout);
	/* Read until the last holder of the slave side closes it (EIO). */
	char buf[4096];
	long long bytes = 0;
	for (;;) {
		ssize_t n = read(master, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		bytes += n;
	}
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	printf("pty status=%d bytes=%lld\n", code, bytes);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "now") == 0 && argc == 2) {
		ns_t real = now_ns(CLOCK_REALTIME);
		ns_t mono = now_ns(CLOCK_MONOTONIC);
		ns_t boot = now_ns(CLOCK_BOOTTIME);
		printf("real=%lld mono=%lld boot=%lld\n", real, mono, boot);
		return 0;
	}
	if (argc >= 2 && strcmp(argv[1], "step") == 0)
		return cmd_step(argc - 2, argv + 2);
	if (argc >= 3 && argc <= 4 && strcmp(argv[1], "wait-until") == 0) {
		ns_t at = parse(argv[2], "epoch") * 1000000000LL;
		if (argc == 4)
			at += parse(argv[3], "milliseconds") * 1000000LL;
		sleep_until(CLOCK_REALTIME, at);
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "stamp") == 0)
		return cmd_stamp();
	if (argc >= 2 && strcmp(argv[1], "settime-loop") == 0)
		return cmd_settime_loop(argc - 2, argv + 2);
	if (argc == 2 && strcmp(argv[1], "ntp-status") == 0)
		return cmd_ntp_status();
	if (argc == 2 && strcmp(argv[1], "sync") == 0)
		return cmd_sync();
	if (argc >= 2 && strcmp(argv[1], "pty") == 0)
		return cmd_pty(argc - 2, argv + 2);
	fprintf(stderr,
		"usage: clockstep now | step SECONDS [MS] | wait-until EPOCH [MS] | stamp |"
		" settime-loop RATE SECONDS | ntp-status | sync | pty COLS ROWS CMD [ARG...]\n");
	return 2;
}

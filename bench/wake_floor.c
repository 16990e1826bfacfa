/* The least a once-a-second terminal clock can cost: wake on a periodic
 * absolute CLOCK_REALTIME timerfd, read the clock, write ~250 bytes of
 * cursor moves and digits to stdout. The same system calls as
 * `epochwatch watch` per second, with no other work; bench/watch_cpu.sh runs
 * it beside epochwatch to show how much of the watcher's CPU is the machine's
 * cost of waking and writing at all.
 *
 *   wake_floor                      as above, the timer armed with
 *                                   TFD_TIMER_CANCEL_ON_SET, as epochwatch's
 *                                   is: each clock set wakes it once (read
 *                                   fails with ECANCELED, the timer stays armed)
 *   wake_floor --no-cancel-on-set   the bare loop: clock sets do not wake it
 *   wake_floor --idle               no tick and no writes: one timer a day
 *                                   ahead with TFD_TIMER_CANCEL_ON_SET, the
 *                                   clock read at each set (the least a daemon
 *                                   that notices clock steps at once costs)
 *   wake_floor --idle --wake-every-ms MS
 *                                   the same loop woken every MS ms by a
 *                                   CLOCK_MONOTONIC timer instead: what a wake
 *                                   costs, measured where the clock may not be
 *                                   set (bench/daemon_idle.sh, on the host)
 *
 * Built by bench/watch_cpu.sh: cc -O2 -o target/wake_floor bench/wake_floor.c
 * (statically by bench/vm_nudge_cpu.sh, for the VM guest). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
    int cancel = 1, idle = 0;
    long every_ms = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--no-cancel-on-set") == 0) {
            cancel = 0;
        } else if (strcmp(argv[i], "--idle") == 0) {
            idle = 1;
        } else if (strcmp(argv[i], "--wake-every-ms") == 0 && i + 1 < argc && atol(argv[i + 1]) > 0) {
            every_ms = atol(argv[++i]);
        } else {
            fprintf(stderr, "usage: wake_floor [--no-cancel-on-set] [--idle [--wake-every-ms MS]]\n");
            return 2;
        }
    }
    if (every_ms && !idle) {
        fprintf(stderr, "wake_floor: --wake-every-ms goes with --idle\n");
        return 2;
    }
    int fd = timerfd_create(every_ms ? CLOCK_MONOTONIC : CLOCK_REALTIME, TFD_CLOEXEC);
    if (fd < 0) { perror("timerfd_create"); return 1; }
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    struct itimerspec every_second = {{1, 0}, {now.tv_sec + 1, 0}};
    struct itimerspec in_a_day = {{0, 0}, {now.tv_sec + 86400, 0}};
    struct timespec period = {every_ms / 1000, every_ms % 1000 * 1000000};
    struct itimerspec periodic = {period, period};
    int flags = TFD_TIMER_ABSTIME | (cancel ? TFD_TIMER_CANCEL_ON_SET : 0);
    if (every_ms) {
        if (timerfd_settime(fd, 0, &periodic, NULL) < 0) {
            perror("timerfd_settime");
            return 1;
        }
    } else if (timerfd_settime(fd, flags, idle ? &in_a_day : &every_second, NULL) < 0) {
        perror("timerfd_settime");
        return 1;
    }
    char frame[256];
    for (;;) {
        uint64_t expirations;
        ssize_t got = read(fd, &expirations, sizeof expirations);
        clock_gettime(CLOCK_REALTIME, &now);
        if (got < 0 || idle) {
            continue; /* ECANCELED after a clock set (the timer stays armed), or idle */
        }
        memset(frame, ' ', sizeof frame);
        int len = snprintf(frame, sizeof frame, "\033[5;10H%ld\033[7;10H%ld", (long)now.tv_sec,
                           (long)now.tv_sec);
        if (len > 0 && len < (int)sizeof frame) frame[len] = ' ';
        if (write(1, frame, 250) < 0) return 0;
    }
}

/* The least a once-a-second terminal clock can cost: wake on a periodic
 * absolute CLOCK_REALTIME timerfd, read the clock, write ~250 bytes of
 * cursor moves and digits to stdout. The same system calls as
 * `epochwatch watch` per second, with no other work; bench/watch_cpu.sh runs
 * it beside epochwatch to show how much of the watcher's CPU is the machine's
 * cost of waking and writing at all.
 *
 * Built by bench/watch_cpu.sh: cc -O2 -o target/wake_floor bench/wake_floor.c */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

int main(void) {
    int fd = timerfd_create(CLOCK_REALTIME, TFD_CLOEXEC);
    if (fd < 0) { perror("timerfd_create"); return 1; }
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    struct itimerspec every_second = {{1, 0}, {now.tv_sec + 1, 0}};
    if (timerfd_settime(fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &every_second, NULL) < 0) {
        perror("timerfd_settime");
        return 1;
    }
    char frame[256];
    for (;;) {
        uint64_t expirations;
        if (read(fd, &expirations, sizeof expirations) < 0) {
            continue; /* ECANCELED after a clock step: the timer stays armed */
        }
        clock_gettime(CLOCK_REALTIME, &now);
        memset(frame, ' ', sizeof frame);
        int len = snprintf(frame, sizeof frame, "\033[5;10H%ld\033[7;10H%ld", (long)now.tv_sec,
                           (long)now.tv_sec);
        if (len > 0 && len < (int)sizeof frame) frame[len] = ' ';
        if (write(1, frame, 250) < 0) return 0;
    }
}

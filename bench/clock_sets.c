/* Count how often the wall clock is set (any CLOCK_REALTIME step, however
 * small) during N seconds: a timerfd armed with TFD_TIMER_CANCEL_ON_SET is
 * cancelled at each set. Some hosts set these machines' clock about ten
 * times a second; each set also wakes epochwatch, so a CPU benchmark prints
 * this count beside its figures.  Usage: clock_sets SECONDS */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>
#include <stdint.h>
int main(int argc, char **argv) {
    int secs = argc > 1 ? atoi(argv[1]) : 10;
    int fd = timerfd_create(CLOCK_REALTIME, TFD_CLOEXEC);
    struct timespec start; clock_gettime(CLOCK_MONOTONIC, &start);
    long sets = 0;
    for (;;) {
        struct timespec now; clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec - start.tv_sec >= secs) break;
        struct timespec wall; clock_gettime(CLOCK_REALTIME, &wall);
        struct itimerspec its = {{0, 0}, {wall.tv_sec + 1, 0}};
        timerfd_settime(fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &its, NULL);
        uint64_t n;
        if (read(fd, &n, sizeof n) < 0 && errno == ECANCELED) sets++;
    }
    printf("%ld\n", sets);
    return 0;
}

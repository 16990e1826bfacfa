# A state from the future under a clock that reads an implausible time
# (2021, before 2026-12-01) but that the kernel says is synchronized
# (adjtimex, as NTP leaves it): the clock is taken as right and the state as
# written under a wrong one. One line says so, and a milestone a few seconds
# ahead on that clock alerts on time. (Unsynchronized, the same clock would
# be taken as wrong, as in dead_clock; a plausible clock with a state from
# the future is delivery::a_state_from_the_future_*, on the host.)
. /usr/share/vm/lib.sh
past=1635724800 # 2021-11-01T00:00:00Z
t0=$(now_s)
by=$((past - t0))
mkdir -p /tmp/state/epochwatch
echo "fired_through = $t0" >/tmp/state/epochwatch/state.toml
step "$by" 500
# Setting the clock marks it unsynchronized; an NTP daemon then says otherwise.
ntp_status unsynchronized
clockstep sync | sed 's/^/synchronized /' >>"$OUT/steps"
c=$(now_s)
m=$((c + 3))
meta "t0=$t0" "m=$m" "by=$by" "saved=$t0"
instant start
start_daemon -m "$m"
wait_for "$OUT/daemon.err" "ahead of the clock" 10
instant started
wait_for /tmp/alerts "^milestone $m " 10
clockstep wait-until $((m + 1)) 300
stop_daemon
keep_results
# The right time again, for what runs after.
step $((-by))

# A clock nudged ten times a second (both sleepers then tolerate nudges:
# their timers no longer wake at each set), then stepped 10 s back: the
# watcher sees the step at the next boundary as the monotonic clock counts
# it (not 10 s later), and the milestone still ahead alerts on time.
. /usr/share/vm/lib.sh
t0=$(now_s)
m=$((t0 + 12))
start_watch -m "$m"
start_daemon -m "$m"
wait_started
# Three seconds of sets to the clock's own value, ten a second.
sets=$(clockstep settime-loop 10 3)
meta "t0=$t0" "m=$m" "by=-10" "${sets#settime-loop }"
# At t0+6.5 the clock goes back to t0-3.5; real time then reaches the
# milestone 15.5 s later, and passes it by one more second.
clockstep wait-until $((t0 + 6))
step -10 500
clockstep wait-until $((m + 1)) 300
stop_all

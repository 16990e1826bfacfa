# A step of 2 s back right after a milestone: nothing is reported again, and
# the seconds go on.
. /usr/share/vm/lib.sh
t0=$(now_s)
m=$((t0 + 3))
meta "t0=$t0" "m=$m" "by=-2"
start_watch -m "$m"
start_daemon -m "$m"
wait_started
# Both have reported the milestone; at m+0.5 the clock goes back to m-1.5.
wait_for "$OUT/watch" "\"event\":\"milestone\"" 10
wait_for /tmp/alerts "^milestone $m " 10
step -2 500
# Real time then passes the milestone's second again, and two more.
clockstep wait-until $((m + 2)) 300
stop_all

# "The machine booted in the future": the clock is 3 h ahead for a moment
# (past two milestones), then corrected back; real time then reaches the
# two milestones. Required (issue 12): each is alerted again when real time
# reaches it.
. /usr/share/vm/lib.sh
t0=$(now_s)
m1=$((t0 + 5))
m2=$((t0 + 7))
meta "t0=$t0" "m1=$m1" "m2=$m2" "by=10800"
start_watch -m "$m1" -m "$m2"
start_daemon -m "$m1" -m "$m2"
wait_started
clockstep wait-until $((t0 + 1))
step 10800 500
# One second in the future, then back to t0+2.5.
clockstep wait-until $((t0 + 10800 + 2)) 500
step -10800
clockstep wait-until $((m2 + 1)) 300
stop_all

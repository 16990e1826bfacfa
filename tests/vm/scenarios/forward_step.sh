# A real step forward across two milestones: each reported exactly once,
# late by the step, and the sleepers woke at the step itself (it lands
# mid-second, half a second before the next boundary).
. /usr/share/vm/lib.sh
t0=$(now_s)
m1=$((t0 + 4))
m2=$((t0 + 6))
meta "t0=$t0" "m1=$m1" "m2=$m2" "by=6"
start_watch -m "$m1" -m "$m2"
start_daemon -m "$m1" -m "$m2"
wait_started
# At t0+2.5 the clock jumps to t0+8.5: past both milestones.
clockstep wait-until $((t0 + 2))
step 6 500
# Two more boundaries on the new time, then stop.
clockstep wait-until $((t0 + 10)) 300
stop_all

# ACPI S3 across a milestone: the machine really sleeps (CLOCK_MONOTONIC
# stops, CLOCK_BOOTTIME and the wall clock do not), the RTC alarm wakes it,
# and the milestone that passed meanwhile is alerted exactly once, at resume.
. /usr/share/vm/lib.sh
t0=$(now_s)
m=$((t0 + 3))
meta "t0=$t0" "m=$m" "sleep=8"
start_watch -m "$m"
start_daemon -m "$m"
wait_started
clockstep wait-until $((t0 + 1)) 200
echo "suspend_ok_before=$(cat /sys/power/suspend_stats/success)" >>"$OUT/meta"
instant before
echo 0 >/sys/class/rtc/rtc0/wakealarm # an alarm already set would refuse a new one
echo +8 >/sys/class/rtc/rtc0/wakealarm
echo mem >/sys/power/state
echo "suspend_status=$?" >>"$OUT/meta"
instant after
echo "suspend_ok_after=$(cat /sys/power/suspend_stats/success)" >>"$OUT/meta"
# Two boundaries after the resume, then stop.
clockstep wait-until $(($(now_s) + 2)) 300
stop_all

# A dead RTC battery: the daemon alerts a milestone on time and is stopped;
# the clock goes back to 2000-01-01 and the daemon starts again on the same
# state (it must say, in one line, that the clock is behind the state and
# not synchronized); a few seconds later "NTP" steps the clock forward to
# the right time. Nothing alerted before alerts again, nothing of the years
# in between is reported (every:100000000 has eight milestones there), a
# milestone passed while the clock was wrong is not alerted, and one a few
# seconds ahead of the right time alerts once, on time. The watcher runs
# through the whole story.
. /usr/share/vm/lib.sh
dead=946684800 # 2000-01-01T00:00:00Z
t0=$(now_s)
m=$((t0 + 3))
m2=$((t0 + 14))
# Passed under the wrong clock (the step back lands at dead+0.5 or dead+1.5).
d=$((dead + 4))
meta "t0=$t0" "m=$m" "m2=$m2" "d=$d" "dead=$dead"
rules="-m every:100000000 -m $m -m $d -m $m2"
start_watch $rules
start_daemon $rules
wait_started
wait_for "$OUT/watch" "\"event\":\"milestone\"" 10
wait_for /tmp/alerts "^milestone $m " 10
stop_daemon daemon-first
mv "$OUT/daemon.err" "$OUT/daemon-first.err"
mv "$OUT/daemon.out" "$OUT/daemon-first.out"
cp /tmp/state/epochwatch/state.toml "$OUT/state-first.toml"
ntp_status ntp
by=$((dead - $(now_s)))
step "$by" 500
instant restart
start_daemon $rules
wait_for "$OUT/daemon.err" "behind the state file" 10
instant restarted
# The wrong clock passes d, then "NTP" sets it right.
clockstep wait-until $((d + 2)) 500
step $((-by))
clockstep wait-until $((m2 + 1)) 300
stop_all

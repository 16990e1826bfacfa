# The guest side of bench/vm_nudge_cpu.sh, run by the VM tests' /init as a
# scenario (busybox sh; tests/vm/init). bench/vm_nudge_cpu.sh prepends
# ROUNDS, SECS and RATE to a copy of it.
#
# Each round has two phases of SECS seconds, "quiet" (nobody sets the clock)
# and "sets" (clockstep settime-loop RATE SECS sets the clock to its own
# value RATE times a second). In each, every subject runs at once, from 3 s
# before the phase to its end:
#   watch-pipe   epochwatch watch --plain, into a pipe
#   watch-pty    the full-screen epochwatch on a 100x30 pty (clockstep pty)
#   daemon       epochwatch daemon, its one milestone in 2096
#   bare-pipe    wake_floor --no-cancel-on-set, into a pipe
#   bare-pty     the same on a 100x30 pty
#   cancel-pipe  wake_floor (CANCEL_ON_SET, as epochwatch's timer), into a pipe
#   cancel-pty   the same on a 100x30 pty
#   idle-cancel  wake_floor --idle: a daemon's floor (a timer a day ahead,
#                CANCEL_ON_SET, the clock read at each set)
# The pipes' readers and the ptys' masters are not counted. Each subject's
# CPU is the sum over its threads of /proc/PID/task/*/schedstat (run ns, and
# the number of times it was scheduled in, i.e. its wakes), read before and
# after the phase. One line per subject and phase in $OUT/cpu:
#   round=R phase=P subject=S cpu_ns=N slices=N mono_ns=N sets=N
. /usr/share/vm/lib.sh
: "${ROUNDS:=3}" "${SECS:=60}" "${RATE:=10}"
export HOME=/tmp/home XDG_CONFIG_HOME=/tmp/home/config XDG_STATE_HOME=/tmp/home/state
export TZ=UTC LC_ALL=C TERM=xterm-256color
mkdir -p "$XDG_CONFIG_HOME" "$XDG_STATE_HOME"
{
  echo "clocksource=$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
  echo "kernel=$(uname -r)"
  echo "rounds=$ROUNDS" "secs=$SECS" "rate=$RATE"
} >"$OUT/meta"

mono_ns() { clockstep now | sed 's/.*mono=\([0-9]*\).*/\1/'; }

# cpu PID: "RUN_NS SLICES" summed over the process's threads.
cpu() {
  _run=0 _slices=0
  for _f in /proc/"$1"/task/*/schedstat; do
    read -r _r _w _s <"$_f" && _run=$((_run + _r)) && _slices=$((_slices + _s))
  done
  echo "$_run $_slices"
}

# piped NAME CMD...: CMD writing into a fifo read by cat; sets PID_<NAME>.
piped() {
  _name=$1
  shift
  mkfifo "/tmp/$_name.fifo"
  cat "/tmp/$_name.fifo" >/dev/null &
  "$@" >"/tmp/$_name.fifo" 2>"/tmp/$_name.err" &
  eval "PID_$_name=$!"
}

# on_pty NAME CMD...: CMD on a 100x30 pty; sets PID_<NAME> (CMD's pid).
on_pty() {
  _name=$1
  shift
  clockstep pty 100 30 "$@" >"/tmp/$_name.pty" 2>&1 &
  wait_for "/tmp/$_name.pty" '^pty pid=' 10 || { cat "/tmp/$_name.pty" >&2; exit 1; }
  eval "PID_$_name=$(sed -n 's/^pty pid=//p' "/tmp/$_name.pty")"
}

subjects="watch_pipe watch_pty daemon bare_pipe bare_pty cancel_pipe cancel_pty idle_cancel"

phase() {
  round=$1 name=$2
  rm -f /tmp/*.fifo
  piped watch_pipe epochwatch watch --plain --no-notify
  on_pty watch_pty epochwatch --no-notify
  epochwatch daemon --no-defaults -m 4000000000 --no-notify >/tmp/daemon.out 2>/tmp/daemon.err &
  PID_daemon=$!
  piped bare_pipe wake_floor --no-cancel-on-set
  on_pty bare_pty wake_floor --no-cancel-on-set
  piped cancel_pipe wake_floor
  on_pty cancel_pty wake_floor
  wake_floor --idle &
  PID_idle_cancel=$!
  sleep 3
  # WARM seconds of the phase before it is measured: what is left is the
  # steady state, without the start of each process.
  if [ "${WARM:-0}" -gt 0 ]; then
    if [ "$name" = sets ]; then
      clockstep settime-loop "$RATE" "$WARM" >/dev/null
    else
      sleep "$WARM"
    fi
  fi
  for s in $subjects; do eval "START_$s=\"\$(cpu \$PID_$s)\""; done
  t0=$(mono_ns)
  if [ "$name" = sets ]; then
    sets=$(clockstep settime-loop "$RATE" "$SECS" | sed 's/.*sets=//')
  else
    sleep "$SECS"
    sets=0
  fi
  t1=$(mono_ns)
  for s in $subjects; do
    eval "pid=\$PID_$s; start=\$START_$s"
    set -- $start $(cpu "$pid")
    echo "round=$round phase=$name subject=$s cpu_ns=$(($3 - $1)) slices=$(($4 - $2))" \
      "mono_ns=$((t1 - t0)) sets=$sets" >>"$OUT/cpu"
  done
  for s in $subjects; do eval "kill \$PID_$s"; done
  wait
  cat /tmp/*.err >>"$OUT/stderr" 2>/dev/null
}

round=1
while [ "$round" -le "$ROUNDS" ]; do
  phase "$round" quiet
  phase "$round" sets
  round=$((round + 1))
done

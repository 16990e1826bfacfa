# Sourced by every scenario (installed as /usr/share/vm/lib.sh in the guest).
#
# A scenario writes its results into $OUT (one file each, sent back to the
# host by /init): `meta` (key=value lines), `steps` (clockstep's lines),
# `watch` (the watcher's stdout, each line prefixed "MONO_NS REAL_NS " by
# clockstep stamp as it arrived), `alerts` (one line per hook run of the
# daemon: KIND EPOCH LATE_MS COUNT), `exits` (NAME STATUS), and the stderr of
# each process. Ticks and milestones come from real epochwatch processes on
# the guest's real clock.
set -u

# meta KEY=VALUE...: record the scenario's parameters for the host.
meta() {
  for kv in "$@"; do echo "$kv" >>"$OUT/meta"; done
}

# now_s: the guest's wall clock, whole seconds.
now_s() { date +%s; }

# start_watch ARGS...: epochwatch watch --json on the milestones given, its
# stdout time-stamped line by line into $OUT/watch. Sets WATCH_PID.
start_watch() {
  rm -f /tmp/watch.fifo
  mkfifo /tmp/watch.fifo
  clockstep stamp </tmp/watch.fifo >"$OUT/watch" &
  STAMP_PID=$!
  epochwatch watch --json --no-defaults --remind none --no-notify "$@" \
    >/tmp/watch.fifo 2>"$OUT/watch.err" &
  WATCH_PID=$!
}

# start_daemon ARGS...: epochwatch daemon on the milestones given, with a
# private state directory and a hook that appends one line per alert to
# /tmp/alerts. Sets DAEMON_PID.
start_daemon() {
  mkdir -p /tmp/state
  XDG_STATE_HOME=/tmp/state epochwatch daemon --no-defaults --remind none --no-notify -v "$@" \
    --exec /bin/sh -c 'echo "$EPOCHWATCH_KIND $EPOCHWATCH_EPOCH $EPOCHWATCH_LATE_MS ${EPOCHWATCH_COUNT:--}" >> /tmp/alerts' \; \
    >"$OUT/daemon.out" 2>"$OUT/daemon.err" &
  DAEMON_PID=$!
}

# uptime_cs: time since boot in centiseconds (/proc/uptime), which clock
# steps do not move.
uptime_cs() {
  read -r _up _ </proc/uptime
  echo "${_up%.*}${_up#*.}"
}

# wait_for FILE PATTERN [SECONDS]: until a line of FILE matches PATTERN
# (grep -E), polling every 10 ms; status 1 after SECONDS (default 10) of
# uptime.
wait_for() {
  _until=$(( $(uptime_cs) + ${3:-10} * 100 ))
  while ! grep -qE "$2" "$1" 2>/dev/null; do
    if [ "$(uptime_cs)" -ge "$_until" ]; then
      echo "wait_for: no line matching '$2' in $1" >&2
      return 1
    fi
    usleep 10000
  done
}

# wait_started: until the watcher has printed its first tick and the daemon
# has written its state file (both have read the clock and armed their timer).
wait_started() {
  wait_for "$OUT/watch" '"event":"tick"' 10
  _left=1000
  until [ -s /tmp/state/epochwatch/state.toml ]; do
    _left=$((_left - 1))
    [ "$_left" -gt 0 ] || { echo "wait_started: the daemon wrote no state" >&2; return 1; }
    usleep 10000
  done
}

# step SECONDS [MS]: step the wall clock (see clockstep.c), logged in $OUT/steps.
step() {
  clockstep step "$@" | tee -a "$OUT/steps"
}

# instant LABEL: the three clocks now, as "LABEL real=NS mono=NS boot=NS"
# in $OUT/steps.
instant() {
  clockstep now | sed "s/^/$1 /" >>"$OUT/steps"
}

# ntp_status LABEL: the kernel's synchronization state, as "LABEL
# synchronized=0|1 status=0xS state=N" in $OUT/steps.
ntp_status() {
  clockstep ntp-status | sed "s/^/$1 /" >>"$OUT/steps"
}

# stop_watch: SIGTERM the watcher, wait for it (and for the time stamper to
# see end of file), record its exit status in $OUT/exits.
stop_watch() {
  kill -TERM "$WATCH_PID" 2>/dev/null
  wait "$WATCH_PID"
  echo "watch $?" >>"$OUT/exits"
  wait "$STAMP_PID"
}

# stop_daemon [NAME]: SIGTERM the daemon, wait for it, record its exit
# status as NAME (default daemon) in $OUT/exits. Hooks still running get the
# daemon's shutdown grace.
stop_daemon() {
  kill -TERM "$DAEMON_PID" 2>/dev/null
  wait "$DAEMON_PID"
  echo "${1:-daemon} $?" >>"$OUT/exits"
}

# keep_results: the hook's lines and the state file into $OUT.
keep_results() {
  touch /tmp/alerts
  cp /tmp/alerts "$OUT/alerts"
  cp /tmp/state/epochwatch/state.toml "$OUT/state.toml" 2>/dev/null || true
}

# stop_all: stop the watcher and the daemon, keep the results.
stop_all() {
  stop_watch
  stop_daemon
  keep_results
}

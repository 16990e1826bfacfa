#!/usr/bin/env bash
# Notification latency of `epochwatch daemon`: the delay from a milestone's
# second boundary to the `Notify` call on the session bus, in real time.
#
# A private session bus, Xvfb and dunst are started (nothing of the user's
# desktop is touched); `dbus-monitor` timestamps every Notify call. Each run
# starts a fresh daemon with two milestones, two and three seconds ahead,
# twice: with the final countdown (the default: the milestone's call is the
# last update of the countdown's notification, over the connection its
# handle keeps) and with `--countdown 0s` (notify-rust opens a connection
# for each notification it shows). With BASELINE_BIN set, each run does the
# same with that binary first (an older build, with its own defaults), so
# they are measured side by side on the same bus, interleaved. Each run also
# times bench/notify_floor.c, the least a program can do (a timerfd and one
# Notify message built ahead, on a connection opened ahead), which shows
# what the machine and the bus themselves cost (built when libdbus-1-dev is
# there; FLOOR=0 leaves it out). Then the daemon's CPU time is measured
# over CPU_SECONDS between alerts, and over the ten seconds of one
# countdown (COUNTDOWN_RUNS daemons), from /proc/PID/task/*/schedstat,
# with the clock sets counted meanwhile (bench/clock_sets.c).
#
# Writes its section between the bench:notify markers of docs/benchmarks.md.
#
# Usage: bench/notify_latency.sh            (RUNS=10 CPU_SECONDS=60 by default)
#        EPOCHWATCH_BIN=target/debug/epochwatch RUNS=5 bench/notify_latency.sh
#        BASELINE_BIN=/tmp/old/target/release/epochwatch BASELINE_NAME=0b39d65 bench/notify_latency.sh
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
RUNS=${RUNS:-10}
CPU_SECONDS=${CPU_SECONDS:-60}
DOC=${DOC:-$ROOT/docs/benchmarks.md}

for tool in dbus-daemon dbus-monitor Xvfb dunst awk; do
    command -v "$tool" >/dev/null || { echo "notify_latency: missing $tool" >&2; exit 1; }
done

if [ -z "${EPOCHWATCH_BIN:-}" ]; then
    cargo build --release --quiet
    EPOCHWATCH_BIN=$ROOT/target/release/epochwatch
fi
BIN=$EPOCHWATCH_BIN
FLOOR_BIN=""
if [ "${FLOOR:-1}" != 0 ]; then
    if pkg-config --exists dbus-1 2>/dev/null; then
        mkdir -p target
        cc -O2 -o target/notify_floor bench/notify_floor.c $(pkg-config --cflags --libs dbus-1)
        FLOOR_BIN=$ROOT/target/notify_floor
    else
        echo "notify_latency: no libdbus-1-dev (pkg-config dbus-1): the floor is left out" >&2
    fi
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ew-bench.XXXXXX")
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    [ -n "${KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT

# --- a private desktop ------------------------------------------------------
cat >"$WORK/bus.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=$WORK/bus</listen>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
EOF
dbus-daemon --config-file="$WORK/bus.conf" --nofork >/dev/null 2>&1 &
PIDS+=($!)
export DBUS_SESSION_BUS_ADDRESS="unix:path=$WORK/bus"
for _ in $(seq 100); do [ -S "$WORK/bus" ] && break; sleep 0.05; done

DISPLAY_NUM=""
for n in $(seq $((500 + $$ % 200)) 999); do
    [ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ] && continue
    Xvfb ":$n" -nolisten tcp >/dev/null 2>&1 &
    xpid=$!
    for _ in $(seq 100); do [ -S "/tmp/.X11-unix/X$n" ] && break; sleep 0.05; done
    if kill -0 "$xpid" 2>/dev/null && [ -S "/tmp/.X11-unix/X$n" ]; then
        PIDS+=("$xpid"); DISPLAY_NUM=$n; break
    fi
done
[ -n "$DISPLAY_NUM" ] || { echo "notify_latency: no free X display" >&2; exit 1; }

printf '[global]\nidle_threshold = 0\n[urgency_critical]\ntimeout = 1\n' >"$WORK/dunstrc"
DISPLAY=":$DISPLAY_NUM" HOME="$WORK" dunst -config "$WORK/dunstrc" >/dev/null 2>&1 &
PIDS+=($!)
for _ in $(seq 200); do
    dbus-send --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
        org.freedesktop.DBus.NameHasOwner string:org.freedesktop.Notifications 2>/dev/null |
        grep -q 'boolean true' && break
    sleep 0.05
done

dbus-monitor "interface='org.freedesktop.Notifications',member='Notify'" >"$WORK/monitor.log" 2>/dev/null &
PIDS+=($!)
sleep 0.5

# --- latency runs -------------------------------------------------------------
# run_daemon BINARY TAG [ARG...]: one fresh daemon, milestones 2 and 3 s
# ahead; the milestone values, the tag and which of the two go to
# $WORK/targets.
run_daemon() {
    local bin=$1 tag=$2 state target
    shift 2
    state=$(mktemp -d "$WORK/state.XXXXXX")
    target=$(( $(date +%s) + 2 ))
    printf '%s %s first\n%s %s kept\n' "$target" "$tag" $((target + 1)) "$tag" >>"$WORK/targets"
    XDG_STATE_HOME="$state" XDG_CONFIG_HOME="$WORK/config" \
        "$bin" daemon --no-defaults -m "$target" -m $((target + 1)) --remind none "$@" \
        >/dev/null 2>>"$WORK/daemon-$tag.err" &
    local dpid=$!
    # Until 0.5 s past the second milestone.
    while [ "$(date +%s)" -le $((target + 1)) ]; do sleep 0.1; done
    sleep 0.5
    kill -TERM "$dpid"; wait "$dpid" || true
}

# run_floor: the floor program, for two seconds two and three seconds ahead.
run_floor() {
    local target=$(( $(date +%s) + 2 ))
    printf '%s floor first\n%s floor kept\n' "$target" $((target + 1)) >>"$WORK/targets"
    "$FLOOR_BIN" "$target" $((target + 1)) 2>>"$WORK/daemon-floor.err" || true
}

: >"$WORK/targets"
echo "notify_latency: $RUNS runs, two milestones 2 and 3 s ahead each${BASELINE_BIN:+, $BASELINE_BIN first}" >&2
for i in $(seq "$RUNS"); do
    [ -z "${BASELINE_BIN:-}" ] || run_daemon "$BASELINE_BIN" before
    run_daemon "$BIN" countdown
    run_daemon "$BIN" show --countdown 0s
    [ -z "$FLOOR_BIN" ] || run_floor
done
sleep 0.5

# One "value latency_ms" per Notify call: bus timestamp minus the milestone
# second, which is read back from the summary "Unix time 1,795,570,000".
awk '
    /^method call / && /member=Notify/ {
        match($0, /time=[0-9.]+/); t = substr($0, RSTART + 5, RLENGTH - 5); n = 0; next
    }
    t != "" && /^   string "/ {
        n++
        if (n == 3) {  # appname, icon, summary
            s = $0; sub(/^   string "/, "", s); sub(/"$/, "", s)
            if (s ~ /^Unix time [0-9,]+/ && s !~ / in /) {
                v = s; sub(/^Unix time /, "", v); sub(/[^0-9,].*$/, "", v); gsub(/,/, "", v)
                printf "%s %.3f\n", v, (t - v) * 1000
            }
            t = ""
        }
    }
' "$WORK/monitor.log" >"$WORK/calls"

# latencies TAG [first|kept]: the sorted latencies of that binary's calls
# (all, or only each run's first or second milestone).
latencies() {
    awk -v tag="$1" -v which="${2:-}" '
        NR == FNR { tagof[$1] = $2; whichof[$1] = $3; next }
        tagof[$1] == tag && (which == "" || whichof[$1] == which) { print $2 }
    ' "$WORK/targets" "$WORK/calls" | sort -n
}
pct() { # pct P < sorted list: nearest-rank percentile
    awk -v p="$1" '{ v[NR] = $1 } END {
        if (NR == 0) { print "n/a"; exit }
        r = int((p / 100) * NR + 0.999999); if (r < 1) r = 1; print v[r] }'
}
row() { # row TAG WHICH NAME: a table row of count, p50, p99, max, min
    local list; list=$(latencies "$1" "$2")
    local n; n=$(printf '%s\n' "$list" | grep -c . || true)
    [ "$n" -gt 0 ] || { echo "| $3 | 0 | | | | |"; return; }
    printf '| %s | %s | %s ms | %s ms | %s ms | %s ms |\n' "$3" "$n" \
        "$(printf '%s\n' "$list" | pct 50)" "$(printf '%s\n' "$list" | pct 99)" \
        "$(printf '%s\n' "$list" | tail -n 1)" "$(printf '%s\n' "$list" | head -n 1)"
}

count=$(latencies countdown | wc -l)
if [ "$count" -eq 0 ]; then
    echo "notify_latency: no Notify call seen; daemon stderr:" >&2
    cat "$WORK"/daemon-*.err >&2
    exit 1
fi
P50=$(latencies countdown | pct 50); P99=$(latencies countdown | pct 99)
SP50=$(latencies show | pct 50); SP99=$(latencies show | pct 99)
NAME=${BASELINE_NAME:-before}
TABLE="| binary | calls | p50 | p99 | max | min |
|---|---:|---:|---:|---:|---:|"
if [ -n "${BASELINE_BIN:-}" ]; then
    TABLE="$TABLE
$(row before "" "$NAME (\`$BASELINE_BIN\`), all")
$(row before first "$NAME, first alert of a process")
$(row before kept "$NAME, second alert")"
fi
TABLE="$TABLE
$(row countdown "" "this build (\`$BIN\`), the countdown's last update, all")
$(row countdown first "this build, countdown, first milestone of a process")
$(row countdown kept "this build, countdown, second milestone")
$(row show "" "this build, \`--countdown 0s\` (a connection per notification), all")
$(row show first "this build, \`--countdown 0s\`, first milestone of a process")
$(row show kept "this build, \`--countdown 0s\`, second milestone")"
if [ -n "$FLOOR_BIN" ]; then
    FP50=$(latencies floor | pct 50); FP99=$(latencies floor | pct 99)
    TABLE="$TABLE
$(row floor "" "floor (\`bench/notify_floor.c\`), all")
$(row floor first "floor, first message of a process")
$(row floor kept "floor, second message")"
    FLOOR_RATIO=$(awk -v a="$P50" -v b="$FP50" -v c="$P99" -v d="$FP99" \
        'BEGIN { printf "The countdown against the floor: p50 %.2fx, p99 %.2fx", a / b, c / d }')
fi

# --- CPU time between alerts, and over a countdown ------------------------------
mkdir -p target
cc -O2 -o target/clock_sets bench/clock_sets.c
echo "notify_latency: CPU time over ${CPU_SECONDS} s between alerts" >&2
mkdir -p "$WORK/cpustate"
XDG_STATE_HOME="$WORK/cpustate" XDG_CONFIG_HOME="$WORK/config" \
    "$BIN" daemon --no-defaults -m $(( $(date +%s) + 86400 * 30 )) --remind 1d,1h \
    >/dev/null 2>"$WORK/cpu.err" &
cpid=$!
PIDS+=("$cpid")
sleep 2
# Nanoseconds on the CPU, all threads (schedstat), not 10 ms stat ticks.
cpu_ns() { cat /proc/"$1"/task/*/schedstat | awk '{ s += $1 } END { printf "%.0f", s }'; }
wakes() { awk '/^voluntary_ctxt_switches/ { v = $2 } /^nonvoluntary_ctxt_switches/ { n = $2 } END { print v + n }' /proc/"$cpid"/task/*/status 2>/dev/null || echo 0; }
sleep_until() { python3 -c 'import sys, time; time.sleep(max(0.0, float(sys.argv[1]) - time.time()))' "$1"; }
target/clock_sets "$CPU_SECONDS" >"$WORK/sets" &
setsp=$!
t0=$(cpu_ns "$cpid"); w0=$(wakes)
sleep "$CPU_SECONDS"
t1=$(cpu_ns "$cpid"); w1=$(wakes)
wait "$setsp" || true
SETS=$(cat "$WORK/sets")
kill -TERM "$cpid"; wait "$cpid" || true
CPU_MS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e6 }')
CPU_PER_HOUR_MS=$(awk -v ms="$CPU_MS" -v s="$CPU_SECONDS" 'BEGIN { printf "%.3f", ms * 3600 / s }')
SWITCHES=$((w1 - w0))

# The ten updates of one countdown: CPU from half a second before the first
# (the milestone - 10 s) to half a second before the milestone (before the
# pending record a quarter of a second ahead), COUNTDOWN_RUNS daemons.
COUNTDOWN_RUNS=${COUNTDOWN_RUNS:-5}
echo "notify_latency: CPU time of the countdown's ten updates, $COUNTDOWN_RUNS runs" >&2
COUNTDOWN_CPU=""
for i in $(seq "$COUNTDOWN_RUNS"); do
    state=$(mktemp -d "$WORK/cd.XXXXXX")
    target=$(( $(date +%s) + 13 ))
    XDG_STATE_HOME="$state" XDG_CONFIG_HOME="$WORK/config" \
        "$BIN" daemon --no-defaults -m "$target" --remind none >/dev/null 2>>"$WORK/cd.err" &
    dpid=$!
    sleep_until "$((target - 11)).5"
    c0=$(cpu_ns "$dpid")
    sleep_until "$((target - 1)).5"
    c1=$(cpu_ns "$dpid")
    COUNTDOWN_CPU="$COUNTDOWN_CPU $(awk -v a="$c0" -v b="$c1" 'BEGIN { printf "%.3f", (b - a) / 1e6 }')"
    sleep_until "$((target + 1)).2"
    kill -TERM "$dpid"; wait "$dpid" || true
done
COUNTDOWN_MEDIAN=$(tr ' ' '\n' <<<"$COUNTDOWN_CPU" | grep . | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')

# --- report ---------------------------------------------------------------------
MACHINE="$(uname -srm), $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), $(nproc) CPU(s)"
DATE=$(date -u +%Y-%m-%dT%H:%MZ)
VERSION=$("$BIN" --version 2>/dev/null || echo epochwatch)
SECTION=$(cat <<EOF
<!-- bench:notify:start -->
Measured $DATE on $MACHINE ($VERSION), with \`bench/notify_latency.sh\`
(RUNS=$RUNS CPU_SECONDS=$CPU_SECONDS; real time, a private dbus-daemon + Xvfb + dunst
started by the script).

**Latency** from a milestone's second boundary to the \`Notify\` method call as
timestamped by \`dbus-monitor\` on the bus, $RUNS runs, each a fresh daemon
with two milestones two and three seconds ahead, with the countdown (the
default) and with \`--countdown 0s\`${BASELINE_BIN:+ (each run: $NAME first)}, and the floor:

$TABLE

${FLOOR_RATIO:+${FLOOR_RATIO}. }Targets: with the countdown, p50 within 1.3× the
floor's and p99 under 2 ms; with \`--countdown 0s\`, p99 under 10 ms (here
p50 ${SP50} ms, p99 ${SP99} ms).

The path: the daemon's loop wakes at the second on its \`timerfd\` (an
absolute \`CLOCK_REALTIME\` deadline), the engine makes the alert, and the
alert dispatcher hands its notification to the thread that holds the
countdown's notify-rust handle (and the rest to the alert worker, which
waits for the answer); that thread makes the \`Notify\` call
(\`replaces_id\` the countdown's) on the connection the handle keeps.
Nothing is written between the wake and the call: the alert was saved as
pending a quarter of a second ahead, and the state is saved again with
its delivery. With \`--countdown 0s\` that thread asks the server's
capabilities and shows a new notification, each on a new connection
(notify-rust's \`get_capabilities\` and \`show\`). The floor,
\`bench/notify_floor.c\`, does only the last step: a \`timerfd\` and a
message built ahead, sent as it wakes. For comparison, the usual ways of
running something at a given time are much coarser: a systemd timer's
default \`AccuracySec=\` is one minute, and cron and \`at\` work in
whole minutes.

**Idle cost**: over ${CPU_SECONDS} s between alerts (next alert more than a day
away) the daemon used ${CPU_MS} ms of CPU time (all threads, nanoseconds from
\`/proc/PID/task/*/schedstat\`) and was switched ${SWITCHES} time(s), i.e.
${CPU_PER_HOUR_MS} ms per hour (target: under 10); the host set the clock
${SETS} times meanwhile (\`bench/clock_sets.c\`).

**The countdown's cost**: its ten updates (from half a second before the
first to half a second before the milestone) took ${COUNTDOWN_MEDIAN} ms of
CPU at the median of $COUNTDOWN_RUNS daemons (each, in ms:${COUNTDOWN_CPU}; target: under 5 ms in all).
<!-- bench:notify:end -->
EOF
)

mkdir -p "$(dirname "$DOC")"
[ -f "$DOC" ] || printf '# Benchmarks\n\n' >"$DOC"
if grep -q '<!-- bench:notify:start -->' "$DOC" && grep -q '<!-- bench:notify:end -->' "$DOC"; then
    printf '%s\n' "$SECTION" >"$WORK/section.md"
    awk -v sectionfile="$WORK/section.md" '
        /<!-- bench:notify:start -->/ { while ((getline line < sectionfile) > 0) print line; skip = 1; next }
        /<!-- bench:notify:end -->/ { skip = 0; next }
        !skip { print }
    ' "$DOC" >"$DOC.tmp"
    mv "$DOC.tmp" "$DOC"
else
    printf '\n%s\n' "$SECTION" >>"$DOC"
fi
echo "notify_latency: countdown p50 ${P50} ms, p99 ${P99} ms over $count calls${FLOOR_RATIO:+ ($FLOOR_RATIO)}; --countdown 0s p50 ${SP50} ms, p99 ${SP99} ms; idle CPU ${CPU_MS} ms / ${CPU_SECONDS} s (~${CPU_PER_HOUR_MS} ms/h, ${SETS} clock sets); countdown CPU median ${COUNTDOWN_MEDIAN} ms; written to $DOC" >&2

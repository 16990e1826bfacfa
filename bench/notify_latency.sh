#!/usr/bin/env bash
# Notification latency of `epochwatch daemon`: the delay from a milestone's
# second boundary to the `Notify` call on the session bus, in real time.
#
# A private session bus, Xvfb and dunst are started (nothing of the user's
# desktop is touched); `dbus-monitor` timestamps every Notify call. Each run
# starts a fresh daemon with two milestones, two and three seconds ahead, so
# each run measures the first alert of a process and one sent on the
# connection it kept. With BASELINE_BIN set, each run does the same with
# that binary first (an older build), so both are measured side by side on
# the same bus, interleaved. Each run also times bench/notify_floor.c, the
# least a program can do (a timerfd and one Notify message built ahead, on
# a connection opened ahead), which shows what the machine and the bus
# themselves cost (built when libdbus-1-dev is there; FLOOR=0 leaves it out).
# Then the daemon's CPU time is measured over
# CPU_SECONDS between alerts, from /proc/PID/task/*/schedstat.
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
# run_daemon BINARY TAG: one fresh daemon, milestones 2 and 3 s ahead; the
# milestone values, the tag and which of the two go to $WORK/targets.
run_daemon() {
    local bin=$1 tag=$2 state target
    state=$(mktemp -d "$WORK/state.XXXXXX")
    target=$(( $(date +%s) + 2 ))
    printf '%s %s first\n%s %s kept\n' "$target" "$tag" $((target + 1)) "$tag" >>"$WORK/targets"
    XDG_STATE_HOME="$state" XDG_CONFIG_HOME="$WORK/config" \
        "$bin" daemon --no-defaults -m "$target" -m $((target + 1)) --remind none \
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
    run_daemon "$BIN" after
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

count=$(latencies after | wc -l)
if [ "$count" -eq 0 ]; then
    echo "notify_latency: no Notify call seen; daemon stderr:" >&2
    cat "$WORK"/daemon-*.err >&2
    exit 1
fi
P50=$(latencies after | pct 50); P99=$(latencies after | pct 99)
NAME=${BASELINE_NAME:-before}
TABLE="| binary | calls | p50 | p99 | max | min |
|---|---:|---:|---:|---:|---:|"
if [ -n "${BASELINE_BIN:-}" ]; then
    BP50=$(latencies before | pct 50); BP99=$(latencies before | pct 99)
    TABLE="$TABLE
$(row before "" "$NAME (\`$BASELINE_BIN\`), all")
$(row before first "$NAME, first alert of a process")
$(row before kept "$NAME, second alert")"
    RATIO=$(awk -v a="$BP50" -v b="$P50" -v c="$BP99" -v d="$P99" \
        'BEGIN { printf "p50 %.2fx, p99 %.2fx lower than %s", a / b, c / d, "'"$NAME"'" }')
fi
TABLE="$TABLE
$(row after "" "this build (\`$BIN\`), all")
$(row after first "this build, first alert of a process")
$(row after kept "this build, second alert (the kept connection)")"
if [ -n "$FLOOR_BIN" ]; then
    FP50=$(latencies floor | pct 50); FP99=$(latencies floor | pct 99)
    TABLE="$TABLE
$(row floor "" "floor (\`bench/notify_floor.c\`), all")
$(row floor first "floor, first message of a process")
$(row floor kept "floor, second message")"
    FLOOR_RATIO=$(awk -v a="$P50" -v b="$FP50" -v c="$P99" -v d="$FP99" \
        'BEGIN { printf "This build against the floor: p50 %.2fx, p99 %.2fx", a / b, c / d }')
fi

# --- CPU time between alerts ---------------------------------------------------
echo "notify_latency: CPU time over ${CPU_SECONDS} s between alerts" >&2
mkdir -p "$WORK/cpustate"
XDG_STATE_HOME="$WORK/cpustate" XDG_CONFIG_HOME="$WORK/config" \
    "$BIN" daemon --no-defaults -m $(( $(date +%s) + 86400 * 30 )) --remind 1d,1h \
    >/dev/null 2>"$WORK/cpu.err" &
cpid=$!
PIDS+=("$cpid")
sleep 2
# Nanoseconds on the CPU, all threads (schedstat), not 10 ms stat ticks.
cpu_ns() { cat /proc/"$cpid"/task/*/schedstat | awk '{ s += $1 } END { printf "%.0f", s }'; }
wakes() { awk '/^voluntary_ctxt_switches/ { v = $2 } /^nonvoluntary_ctxt_switches/ { n = $2 } END { print v + n }' /proc/"$cpid"/task/*/status 2>/dev/null || echo 0; }
t0=$(cpu_ns); w0=$(wakes)
sleep "$CPU_SECONDS"
t1=$(cpu_ns); w1=$(wakes)
kill -TERM "$cpid"; wait "$cpid" || true
CPU_MS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e6 }')
CPU_PER_HOUR_MS=$(awk -v ms="$CPU_MS" -v s="$CPU_SECONDS" 'BEGIN { printf "%.3f", ms * 3600 / s }')
SWITCHES=$((w1 - w0))
CPU_TEXT="${CPU_MS} ms"
HOUR_TEXT="${CPU_PER_HOUR_MS} ms per hour (target: under 10)"

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
with two milestones two and three seconds ahead${BASELINE_BIN:+ (each run: $NAME first, then this build)}:

$TABLE

${RATIO:+Ratio: $RATIO (p50 and p99 of all calls). }${FLOOR_RATIO:+${FLOOR_RATIO}. }Target: p99 ≤ 1 ms.

The daemon announces the alerts of a second a quarter of a second ahead:
it records them as pending and hands their notifications to the bus thread,
which holds the one session-bus connection (opened at start, the server's
capabilities asked and a \`Notify\` message built once as a rehearsal) and
sleeps on a \`timerfd\` of its own armed for the second's absolute
\`CLOCK_REALTIME\` instant: as it wakes it makes the one \`Notify\` call,
with no hand-over between threads in between, and the daemon's own loop
wakes 5 ms later, leaving the machine to the bus thread at the second
(230bb11 woke the main thread at the second, which handed the alert to the
alert worker, which handed it to the bus thread). The floor, \`bench/notify_floor.c\`, does only that
last step: a \`timerfd\` and a message built ahead, sent as it wakes. (Before issue 12, each notification opened a new connection
first: authentication, \`Hello\`, then the call.) For comparison, the usual ways of running
something at a given time are much coarser: a systemd timer's default
\`AccuracySec=\` is one minute (timers are coalesced within that window unless
it is lowered, e.g. to \`1us\`), and cron and \`at\` work in whole minutes
(cron checks once a minute; \`at\` jobs start in the minute named, up to ~60 s
after its start). None of them offers a reminder ahead of the second, a
catch-up after suspend, or exactly-once across restarts.

**Idle cost**: over ${CPU_SECONDS} s between alerts (next alert more than a day
away) the daemon used ${CPU_TEXT} of CPU time (all threads, nanoseconds from
\`/proc/PID/task/*/schedstat\`) and was switched ${SWITCHES} time(s), i.e.
${HOUR_TEXT}: it wakes once per alert (and when the
clock is stepped), not once per second.
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
echo "notify_latency: p50 ${P50} ms, p99 ${P99} ms over $count calls${RATIO:+ ($RATIO)}${FLOOR_RATIO:+ ($FLOOR_RATIO)}; CPU ${CPU_MS} ms / ${CPU_SECONDS} s (~${CPU_PER_HOUR_MS} ms/h); written to $DOC" >&2

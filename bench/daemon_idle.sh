#!/usr/bin/env bash
# The daemon's idle CPU between alerts, on this machine's real clock: two
# daemons run side by side for SECONDS, one that has just alerted three
# milestones (its state file holds their intent and delivery records) and
# one that has alerted nothing; both wait for a milestone in 2096. CPU is the
# sum over each process's threads of /proc/PID/task/*/schedstat (run ns, and
# how often it was scheduled in), read when the last alert has been
# recorded and SECONDS later; bench/clock_sets.c counts the clock sets in
# that time (each set wakes a daemon once, as it must to notice a step).
# Beside them, `wake_floor --idle --wake-every-ms 100` is woken ten times a
# second by a monotonic timer: what one wake costs on this machine, and so
# what ten clock sets a second would cost any process that notices them
# (the VM guest, where the clock may be set, is bench/vm_nudge_cpu.sh).
#
# Usage: bench/daemon_idle.sh [SECONDS]   (default 300)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-300}
cargo build --release --quiet
mkdir -p target
cc -O2 -o target/clock_sets bench/clock_sets.c
cc -O2 -o target/wake_floor bench/wake_floor.c
work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT
bin=$PWD/target/release/epochwatch

cpu() { # "RUN_NS SLICES" of process $1, all threads
    local run=0 slices=0 r w s f
    for f in /proc/"$1"/task/*/schedstat; do
        read -r r w s <"$f" && run=$((run + r)) && slices=$((slices + s))
    done
    echo "$run $slices"
}

# daemon NAME MILESTONE...: a daemon on its own state and config, its hook
# appending one line per alert to NAME/alerts.
daemon() {
    local name=$1
    shift
    mkdir -p "$work/$name/config" "$work/$name/state"
    local rules=()
    for m in "$@"; do rules+=(-m "$m"); done
    env -i PATH=/usr/bin:/bin HOME="$work/$name" XDG_CONFIG_HOME="$work/$name/config" \
        XDG_STATE_HOME="$work/$name/state" TZ=UTC LC_ALL=C \
        "$bin" daemon --no-defaults --remind none --no-notify "${rules[@]}" \
        --exec /bin/sh -c "echo \$EPOCHWATCH_EPOCH >>$work/$name/alerts" \; \
        >"$work/$name/out" 2>"$work/$name/err" &
    pids+=($!)
}

now=$(date +%s)
far=4000000000
daemon alerted $((now + 2)) $((now + 3)) $((now + 4)) $far
daemon quiet $far
target/wake_floor --idle --wake-every-ms 100 &
pids+=($!)
# Until the third alert has run and its delivery is in the state file.
for _ in $(seq 200); do
    [ "$(cat "$work/alerted/alerts" 2>/dev/null | wc -l)" -ge 3 ] &&
        [ "$(grep -c 'how = "on_time"' "$work/alerted/state/epochwatch/state.toml" 2>/dev/null)" -ge 3 ] &&
        grep -q '^pending = \[\]' "$work/alerted/state/epochwatch/state.toml" && break
    sleep 0.05
done
sleep 1
start=("$(cpu "${pids[0]}")" "$(cpu "${pids[1]}")" "$(cpu "${pids[2]}")")
sets=$(target/clock_sets "$secs")
end=("$(cpu "${pids[0]}")" "$(cpu "${pids[1]}")" "$(cpu "${pids[2]}")")
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(uname -sr); date: $(date -u +%FT%TZ)"
echo "command: bench/daemon_idle.sh $secs; clock sets meanwhile: $sets"
echo "alerted: $(tr '\n' ' ' <"$work/alerted/alerts")($(grep -c '^\[\[delivered\]\]' "$work/alerted/state/epochwatch/state.toml") delivery records, $(grep -c '^\[\[recent\]\]' "$work/alerted/state/epochwatch/state.toml") recent)"
for i in 0 1; do
    name=$([ "$i" = 0 ] && echo "alerted 3 times" || echo "never alerted")
    read -r r0 s0 <<<"${start[i]}"
    read -r r1 s1 <<<"${end[i]}"
    rss=$(awk '/VmRSS/ { print $2 " " $3 }' /proc/"${pids[i]}"/status)
    awk -v n="$name" -v run=$((r1 - r0)) -v sl=$((s1 - s0)) -v secs="$secs" -v rss="$rss" \
        'BEGIN { printf "%-16s %8.3f ms in %d s = %7.3f ms/h, scheduled in %d times, RSS %s\n",
                 n, run / 1e6, secs, run / 1e6 * 3600 / secs, sl, rss }'
done
read -r r0 s0 <<<"${start[2]}"
read -r r1 s1 <<<"${end[2]}"
awk -v run=$((r1 - r0)) -v sl=$((s1 - s0)) 'BEGIN {
    printf "one wake (wake_floor --idle --wake-every-ms 100, %d wakes): %.1f us; 10 a second: %.0f ms/h\n",
           sl, run / 1e3 / sl, run / 1e3 / sl * 36000 / 1e3 }'
for name in alerted quiet; do
    [ -s "$work/$name/err" ] && { echo "stderr of $name:"; cat "$work/$name/err"; }
done
exit 0

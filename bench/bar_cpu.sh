#!/usr/bin/env bash
# CPU per hour of the streaming status-bar segment (`epochwatch bar`, by
# default `--format waybar`) beside bench/wake_floor.c (a timerfd wake, a
# clock read and a ~250-byte write each second, nothing else), each writing
# into a pipe as a bar reads it, run concurrently so that both see the same
# noise; several rounds, then the median of each and their ratio. The clock
# sets during each round are counted (bench/clock_sets.c): each one wakes
# both programs.
#
# Usage: bench/bar_cpu.sh [SECONDS_PER_ROUND] [ROUNDS] [FORMAT]   (default 60 3 waybar)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
rounds=${2:-3}
format=${3:-waybar}
# shellcheck source=bench/cpu_lib.sh
. bench/cpu_lib.sh
cargo build --release --quiet
build_floor_tools
home=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$home"
}
trap cleanup EXIT

subjects=("$PWD/target/release/epochwatch bar --format $format" "$PWD/target/wake_floor")
names=("epochwatch bar --format $format" "wake_floor.c")

declare -A results
for round in $(seq "$rounds"); do
    pids=()
    for i in "${!subjects[@]}"; do
        # shellcheck disable=SC2086  # the subject is a command line
        env -i PATH=/usr/bin:/bin HOME="$home" XDG_CONFIG_HOME="$home/config" \
            XDG_STATE_HOME="$home/state" TZ=UTC LC_ALL=C ${subjects[$i]} \
            > >(cat >/dev/null) </dev/null &
        pids[i]=$!
    done
    sleep 3
    start=()
    for i in "${!subjects[@]}"; do
        start[i]=$(cpu_ns "${pids[i]}")
    done
    sets=$(target/clock_sets "$secs")
    line="round $round ($sets clock sets in $secs s):"
    for i in "${!subjects[@]}"; do
        per_hour=$(( ($(cpu_ns "${pids[i]}") - start[i]) * 3600 / secs / 1000000 ))
        results[$i]+="$per_hour "
        line+="  ${names[$i]} $per_hour ms/h"
        kill "${pids[i]}"
    done
    wait 2>/dev/null || true
    echo "$line"
    sleep 1
done
ours=$(median "${results[0]}")
floor=$(median "${results[1]}")
for i in "${!subjects[@]}"; do
    echo "median ${names[$i]}: $(median "${results[$i]}") ms/h (rounds: ${results[$i]% })"
done
echo "ratio of medians (bar / floor): $(awk -v a="$ours" -v b="$floor" 'BEGIN {printf "%.2f", a / b}') (target <= 1.1)"
machine_line

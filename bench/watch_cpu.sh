#!/usr/bin/env bash
# CPU per hour of the full-screen watcher beside bench/wake_floor.c (the same
# wake-ups and writes with no other work), each alone in its own tmux
# terminal of 100x30, run concurrently so that both see the same noise;
# several rounds, then the median of each. This separates what epochwatch
# adds from what any once-a-second terminal program costs on the machine.
#
# Usage: bench/watch_cpu.sh [SECONDS_PER_ROUND] [ROUNDS]   (default 60 3)
#        BASELINE_BIN=/tmp/old/target/release/epochwatch BASELINE_NAME=0b39d65 bench/watch_cpu.sh
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
rounds=${2:-3}
# shellcheck source=bench/cpu_lib.sh
. bench/cpu_lib.sh
command -v tmux >/dev/null || { echo "watch_cpu: tmux not found" >&2; exit 1; }
cargo build --release --quiet
build_floor_tools
home=$(mktemp -d)
trap 'for s in 0 1 2; do tmux -L ew-cpu-$s kill-server 2>/dev/null || true; done; rm -rf "$home"' EXIT

subjects=("$PWD/target/release/epochwatch --no-notify" "$PWD/target/wake_floor")
names=("epochwatch (full screen)" "wake_floor.c")
# BASELINE_BIN: an older build, full screen beside them (BASELINE_NAME names it).
if [ -n "${BASELINE_BIN:-}" ]; then
    subjects+=("$BASELINE_BIN --no-notify")
    names+=("${BASELINE_NAME:-baseline} (full screen)")
fi

declare -A results
for round in $(seq "$rounds"); do
    pids=()
    for i in "${!subjects[@]}"; do
        tmux -L ew-cpu-$i kill-server 2>/dev/null || true
        tmux -L ew-cpu-$i new-session -d -x 100 -y 30 \
            "exec env -i PATH=/usr/bin:/bin HOME=$home XDG_CONFIG_HOME=$home/config XDG_STATE_HOME=$home/state TZ=UTC LC_ALL=C TERM=xterm-256color ${subjects[$i]}"
    done
    sleep 3
    start=()
    for i in "${!subjects[@]}"; do
        pids[i]=$(tmux -L ew-cpu-$i list-panes -F '#{pane_pid}')
        start[i]=$(cpu_ns "${pids[i]}")
    done
    sets=$(target/clock_sets "$secs")
    line="round $round ($sets clock sets):"
    for i in "${!subjects[@]}"; do
        per_hour=$(( ($(cpu_ns "${pids[i]}") - start[i]) * 3600 / secs / 1000000 ))
        results[$i]+="$per_hour "
        line+="  ${names[$i]} $per_hour ms/h"
        tmux -L ew-cpu-$i kill-server
    done
    echo "$line"
    sleep 1
done
for i in "${!subjects[@]}"; do
    median=$(median "${results[$i]}")
    echo "median ${names[$i]}: $median ms/h (rounds: ${results[$i]% })"
done
machine_line

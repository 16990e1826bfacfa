#!/usr/bin/env bash
# What the full-screen watcher does each second, counted rather than timed
# (so the figures hold on a noisy machine): the user-space instructions per
# second (valgrind's callgrind over two run lengths, the difference divided
# by the difference in seconds, so start-up cancels out) and the system
# calls per second (strace -c over 20 s), in a tmux terminal of 100x30.
#
# Usage: bench/watch_instructions.sh [BINARY...]   (default target/release/epochwatch)
# Needs tmux, valgrind, strace. Build a binary with symbols to look inside:
#   CARGO_PROFILE_RELEASE_STRIP=false cargo build --release
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in tmux valgrind strace; do
    command -v "$tool" >/dev/null || { echo "watch_instructions: $tool not found" >&2; exit 1; }
done
[ $# -gt 0 ] || set -- target/release/epochwatch
work=$(mktemp -d)
trap 'tmux -L ew-insn kill-server 2>/dev/null || true; rm -rf "$work"' EXIT

# Start "$@" full screen in a private tmux terminal; print the pane's pid.
start() {
    tmux -L ew-insn kill-server 2>/dev/null || true
    tmux -L ew-insn new-session -d -x 100 -y 30 \
        "exec env -i PATH=/usr/bin:/bin HOME=$work XDG_CONFIG_HOME=$work/c XDG_STATE_HOME=$work/s TZ=UTC LC_ALL=C TERM=xterm-256color $*"
    sleep 1
    tmux -L ew-insn list-panes -F '#{pane_pid}'
}

for binary in "$@"; do
    binary=$(realpath "$binary")
    totals=()
    for secs in 8 28; do
        out=$work/callgrind.$secs
        start valgrind --tool=callgrind --callgrind-out-file="$out" "$binary" --no-notify >/dev/null
        sleep "$secs"
        pkill -TERM -f "callgrind-out-file=$out" || true
        while pgrep -f "callgrind-out-file=$out" >/dev/null; do sleep 0.2; done
        totals+=("$(grep -m1 '^summary:' "$out" | awk '{print $2}')")
    done
    per_second=$(( (totals[1] - totals[0]) / 20 ))
    pid=$(start "$binary" --no-notify)
    sleep 2
    timeout 20 strace -c -f -p "$pid" -o "$work/strace" 2>/dev/null || true
    syscalls=$(awk '/total/ {print $(NF-1)}' "$work/strace")
    calls=$(awk 'NR > 2 && $NF != "total" && $1 !~ /^-/ {printf "%s%s %d", sep, $NF, $(NF-1) ; sep=", "}' "$work/strace")
    echo "$binary: $per_second instructions/s in user space; $((syscalls / 20)) system calls/s ($calls in 20 s)"
done
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(uname -sr); date: $(date -u +%FT%TZ)"

#!/usr/bin/env bash
# Start-up of `epochwatch bar --once` (what a polling bar such as tmux's
# #(...) runs every second) against `date +%s`: hyperfine without a shell,
# no config file (the XDG location is empty), TZ=UTC; the ratio of medians.
# Everything is measured twice: with LANG=C.UTF-8 (a session's UTF-8
# locale, which `date` loads and epochwatch does not read) and with LC_ALL=C
# (no locale to load: `date` at its cheapest).
# Then the same commands paired, each run beside a run of `date +%s` in
# turn (A B A B ...), so that a drift of the machine's speed cancels: the
# median of the per-pair ratios of wall and CPU time. The host's clock sets
# during the first 10 s are counted (bench/clock_sets.c). `epochwatch now`
# is timed too, the start-up both commands share, and bench/start_floor.rs,
# the floor of any Rust command built as epochwatch is.
#
# Usage: bench/bar_once.sh [RUNS] [FORMAT...]
#   RUNS: hyperfine runs per command (default 1000); PAIRS (default 200) paired runs.
#   FORMAT: default the default text, then tmux and waybar ("" is the default text).
#   BEFORE=path/to/epochwatch also times another build (e.g. of the previous commit).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-1000}
shift || true
formats=("$@")
[ ${#formats[@]} -gt 0 ] || formats=("" "tmux" "waybar")
pairs=${PAIRS:-200}
cargo build --release --quiet
mkdir -p target
cc -O2 -o target/clock_sets bench/clock_sets.c
# Linked as build.rs links epochwatch: no PIE, libgcc_eh for libgcc_s.
mkdir -p target/start_floor.lib
echo 'INPUT(-lgcc_eh)' >target/start_floor.lib/libgcc_s.so
rustc --edition 2021 -C opt-level=3 -C codegen-units=1 -C strip=symbols -C link-arg=-no-pie \
    -L native=target/start_floor.lib -o target/start_floor bench/start_floor.rs
home=$(mktemp -d)
tmp=$(mktemp -d)
trap 'rm -rf "$home" "$tmp"' EXIT
export HOME="$home" XDG_CONFIG_HOME="$home/config" TZ=UTC
unset LC_ALL LC_CTYPE LC_TIME LANGUAGE
binaries=(target/release/epochwatch)
[ -z "${BEFORE:-}" ] || binaries=("$BEFORE" target/release/epochwatch)
commands=('date +%s' target/start_floor)
for binary in "${binaries[@]}"; do
    commands+=("$binary now")
    for format in "${formats[@]}"; do
        commands+=("$binary bar --once${format:+ --format $format}")
    done
done
target/clock_sets 10 >"$tmp/sets" &
sets_pid=$!
# measure: hyperfine, then the pairs, in the locale of the environment.
medians() {
    python3 - "$tmp/results.json" <<'PY'
import json, sys

results = json.load(open(sys.argv[1]))["results"]
date = results[0]["median"]
print(f"\nmedian date +%s: {date * 1e3:.3f} ms")
for r in results[1:]:
    print(f"median {r['command']}: {r['median'] * 1e3:.3f} ms; ratio of medians = {r['median'] / date:.3f} (target <= 1.0)")
PY
}
measure() {
    hyperfine -N --warmup 50 --runs "$runs" "${commands[@]}" --export-json "$tmp/results.json" \
        --export-markdown "$tmp/table.md" >/dev/null 2>"$tmp/hyperfine.err" ||
        { cat "$tmp/hyperfine.err" >&2; exit 1; }
    cat "$tmp/table.md"
    medians
    echo
    python3 bench/paired.py "$pairs" "${commands[@]}"
}
for locale in LANG=C.UTF-8 LC_ALL=C; do
    echo
    echo "== $locale"
    (export "$locale"; measure)
done
wait "$sets_pid"
echo "clock sets in the first 10 s: $(cat "$tmp/sets")"
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(uname -sr); date: $(date -u +%FT%TZ)"

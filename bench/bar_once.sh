#!/usr/bin/env bash
# Start-up of `epochwatch bar --once` (what a polling bar such as tmux's
# #(...) runs every second) against `date +%s`: hyperfine without a shell,
# no config file (the XDG location is empty), TZ=UTC; the ratio of medians.
#
# Usage: bench/bar_once.sh [RUNS] [FORMAT...]   (default 1000; the default format, then tmux)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-1000}
shift || true
formats=("$@")
[ ${#formats[@]} -gt 0 ] || formats=("" "tmux")
cargo build --release --quiet
home=$(mktemp -d)
tmp=$(mktemp -d)
trap 'rm -rf "$home" "$tmp"' EXIT
export HOME="$home" XDG_CONFIG_HOME="$home/config" TZ=UTC LC_ALL=C
commands=('date +%s')
for format in "${formats[@]}"; do
    if [ -n "$format" ]; then
        commands+=("target/release/epochwatch bar --once --format $format")
    else
        commands+=("target/release/epochwatch bar --once")
    fi
done
hyperfine -N --warmup 50 --runs "$runs" "${commands[@]}" --export-json "$tmp/results.json" \
    --export-markdown "$tmp/table.md" >/dev/null
cat "$tmp/table.md"
python3 - "$tmp/results.json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
date = results[0]["median"]
print(f"median date +%s: {date * 1e3:.3f} ms")
for r in results[1:]:
    print(f"median {r['command']}: {r['median'] * 1e3:.3f} ms; ratio of medians = {r['median'] / date:.2f} (target <= 1.0)")
PY
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(uname -sr); date: $(date -u +%FT%TZ)"

#!/usr/bin/env bash
# On-the-second benchmark of `epochwatch watch` (pipe and full screen) against
# `watch -n1 date +%s` and a `while sleep 1` loop: lateness, CPU, memory.
#
# Builds the release binary and runs bench/watch_latency.py, which rewrites
# the section between <!-- bench:watch:start --> and <!-- bench:watch:end -->
# in docs/benchmarks.md (other text is kept).
#
# Usage: bench/watch_latency.sh [DURATION_SECONDS] [--no-doc]   (default 60)
set -euo pipefail

cd "$(dirname "$0")/.."
cargo build --release --quiet
exec python3 bench/watch_latency.py "$@"

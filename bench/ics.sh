#!/usr/bin/env bash
# `epochwatch next --ics` at 10,000 events, beside `--json` of the same
# milestones and the floor of any process start; peak memory at 1,000 and
# 100,000 events (streamed: it should not grow). Rewrites the section between
# <!-- bench:ics:start --> and <!-- bench:ics:end --> in docs/benchmarks.md.
#
# Usage: bench/ics.sh   (needs cargo, hyperfine, python3, /usr/bin/time)
set -euo pipefail
. "$(dirname "$0")/release_lib.sh"
export TZ=UTC XDG_CONFIG_HOME="$tmp/cfg" XDG_STATE_HOME="$tmp/state"
every="--no-defaults -m every:1000 --after 1795568278"
hyperfine -N --warmup 3 --runs 30 \
  "$bin next --ics -n 10000 $every" \
  "$bin next --ics -n 10000 --remind none $every" \
  "$bin next --ics -n 10000 --no-defaults -m palindrome --after 0" \
  "$bin next --json -n 10000 $every" \
  "date -d @1800000000 +%s" \
  --export-json "$tmp/r.json" >"$tmp/out.txt"
rss() { { /usr/bin/time -f %M "$bin" next --ics -n "$1" $every >/dev/null; } 2>&1 | tail -1; }
small=$(rss 1000)
large=$(rss 100000)
bytes=$("$bin" next --ics -n 10000 $every | wc -c)

python3 - "$root/docs/benchmarks.md" "$tmp/r.json" "$(nproc)" \
  "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')" "$(uname -sr)" \
  "$(date -u +%Y-%m-%dT%H:%MZ)" "$small" "$large" "$bytes" "$root/target/release/" <<'PY'
import json, sys
doc, results, nproc, cpu, kernel, day, small, large, size, prefix = sys.argv[1:]
rows = json.load(open(results))["results"]
median = {r["command"]: r["median"] for r in rows}
lines = [
    "",
    f"Machine: {nproc} CPUs ({cpu}), {kernel}; {day}. Command: `bench/ics.sh`",
    "(hyperfine -N, 3 warm-up runs, 30 runs; the `target/release/epochwatch` prefix is left out;",
    "`EVERY` is `--no-defaults -m every:1000 --after 1795568278`; the default reminders 1d, 1h,",
    "1m, 10s make five alarms per event).",
    "",
    "| command | median | min | max |",
    "|---|---:|---:|---:|",
]
for r in rows:
    cmd = r["command"].replace(prefix, "").replace("--no-defaults -m every:1000 --after 1795568278", "EVERY")
    lines.append(f"| `{cmd}` | {r['median']*1000:.1f} ms | {r['min']*1000:.1f} ms | {r['max']*1000:.1f} ms |")
ics = rows[0]["median"]
floor = rows[-1]["median"]
lines += [
    "",
    f"10,000 events with their alarms are {int(size)/1e6:.1f} MB; the export takes "
    f"{ics*1000:.1f} ms (target: under 100 ms), {ics/floor:.0f} times a bare process start.",
    f"Peak memory: {int(small)/1024:.1f} MiB at 1,000 events, {int(large)/1024:.1f} MiB at 100,000 "
    "(`/usr/bin/time -f %M`): streamed, one event in memory at a time.",
    "",
]
text = open(doc).read()
start, end = "<!-- bench:ics:start -->", "<!-- bench:ics:end -->"
if start not in text:
    text += "\n## `epochwatch next --ics`: 10,000 events\n\n" + start + "\n" + end + "\n"
i, j = text.index(start) + len(start), text.index(end)
open(doc, "w").write(text[:i] + "\n".join(lines) + text[j:])
PY
cat "$tmp/out.txt"

#!/usr/bin/env bash
# `epochwatch next` on large inputs: a config of 100,000 milestones, and
# 10,000 palindromes as JSON. Rewrites the section between
# <!-- bench:next:start --> and <!-- bench:next:end --> in docs/benchmarks.md.
#
# Usage: bench/next.sh   (needs cargo, hyperfine, python3)
set -euo pipefail
. "$(dirname "$0")/release_lib.sh"

# 100,000 milestones: a third each integers, "N=label" strings and tables.
python3 - "$tmp/big.toml" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("milestones = [\n")
    for i in range(100_000):
        epoch = 1_500_000_000 + i * 997
        if i % 3 == 0:
            f.write(f"  {epoch},\n")
        elif i % 3 == 1:
            f.write(f'  "{epoch}=label {i}",\n')
        else:
            f.write(f'  {{ at = {epoch}, label = "table {i}" }},\n')
    f.write("]\n")
PY

export TZ=UTC XDG_CONFIG_HOME="$tmp/cfg" XDG_STATE_HOME="$tmp/state"
hyperfine -N --warmup 3 --runs 30 \
  "$bin next --config $tmp/big.toml --after 1500349999 -n 10" \
  "$bin next --no-defaults -m palindrome -n 10000 --json --after 0" \
  "$bin next --after 1795568278 -n 3 --json" \
  "date -d @1800000000 +%s" \
  --export-json "$tmp/r.json" >"$tmp/out.txt"
rss=$( { /usr/bin/time -f %M "$bin" next --config "$tmp/big.toml" --after 1500349999 -n 10 >/dev/null; } 2>&1 | tail -1 || echo "?")

python3 - "$root/docs/benchmarks.md" "$tmp/r.json" "$(nproc)" \
  "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')" "$(uname -sr)" \
  "$(date -u +%Y-%m-%d)" "$rss" <<'PY'
import json, sys
doc, results, nproc, cpu, kernel, day, rss = sys.argv[1:]
rows = json.load(open(results))["results"]
lines = [
    "",
    f"Machine: {nproc} cores ({cpu}), {kernel}; {day}. Command: `bench/next.sh`",
    "(hyperfine -N, 3 warm-up runs, 30 runs; the `target/release/epochwatch` prefix is left out).",
    "",
    "| command | median | min | max |",
    "|---|---:|---:|---:|",
]
for r in rows:
    cmd = r["command"].replace(doc.rsplit("/docs/", 1)[0] + "/target/release/", "")
    cmd = cmd.split(" --config ")[0] + (" --config big.toml" + r["command"].split(".toml", 1)[1] if "--config" in cmd or "--config" in r["command"] else "")
    lines.append(f"| `{cmd}` | {r['median']*1000:.1f} ms | {r['min']*1000:.1f} ms | {r['max']*1000:.1f} ms |")
lines += [
    "",
    f"Peak memory of the 100,000-milestone run: {int(rss)/1024:.0f} MiB (`/usr/bin/time -f %M`)." if rss.isdigit() else "",
    "Targets: 100,000 milestones under 300 ms, 10,000 palindromes well under 50 ms.",
    "`date -d @N +%s` is there as the floor of any process start on this machine.",
    "",
]
text = open(doc).read()
start, end = "<!-- bench:next:start -->", "<!-- bench:next:end -->"
i, j = text.index(start) + len(start), text.index(end)
open(doc, "w").write(text[:i] + "\n".join(lines) + text[j:])
PY
cat "$tmp/out.txt"

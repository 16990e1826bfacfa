#!/usr/bin/env bash
# Issue 12's hostile input at scale: the peak memory of `next -n 10000000`
# (the table streams) and the load time of a 100,000-milestone config laid
# out on one line and on many (`config show`), this build against an older
# one (OLD_BIN, else built from OLD_REV, default 0b39d65, the main commit
# before the fix). Rewrites the section between <!-- bench:input:start -->
# and <!-- bench:input:end --> in docs/benchmarks.md.
#
# Usage: bench/input_scale.sh   (needs cargo, hyperfine, python3, GNU time, cc)
set -euo pipefail
. "$(dirname "$0")/release_lib.sh"
new=$bin
old=${OLD_BIN:-}
rev=${OLD_REV:-0b39d65}
if [ -z "$old" ]; then
  mkdir "$tmp/old"
  git archive "$rev" | tar -x -C "$tmp/old"
  (cd "$tmp/old" && CARGO_TARGET_DIR="$root/target/bench-old" cargo build --release --quiet)
  old="$root/target/bench-old/release/epochwatch"
fi
cc -O2 -o target/clock_sets bench/clock_sets.c

python3 - "$tmp" <<'PY'
import sys
d = sys.argv[1]
epochs = [str(1_500_000_000 + i * 997) for i in range(100_000)]
open(f"{d}/one.toml", "w").write("milestones = [" + ", ".join(epochs) + "]\n")
open(f"{d}/many.toml", "w").write("milestones = [\n" + ",\n".join(epochs) + "\n]\n")
PY

export TZ=UTC XDG_CONFIG_HOME="$tmp/cfg" XDG_STATE_HOME="$tmp/state"
target/clock_sets 60 > "$tmp/sets" &
sets_pid=$!

# Peak RSS (KiB) and seconds of `next -n 10000000` into /dev/null.
peak() { /usr/bin/time -f "%M %e" "$1" next -n 10000000 --after 0 2>&1 >/dev/null | tail -1; }
for i in 1 2 3; do peak "$new"; done > "$tmp/rss_new"
peak "$old" > "$tmp/rss_old"
# Through a pipe too, as a user would page it.
/usr/bin/time -f "%M %e" sh -c "\"$new\" next -n 10000000 --after 0 | tail -1 >/dev/null" 2> "$tmp/rss_pipe"

hyperfine -N --warmup 1 --runs 10 \
  "$new config show --config $tmp/one.toml" \
  "$new config show --config $tmp/many.toml" \
  "$old config show --config $tmp/many.toml" \
  --export-json "$tmp/new.json" >"$tmp/out.txt"
hyperfine -N --runs 3 "$old config show --config $tmp/one.toml" \
  --export-json "$tmp/old.json" >>"$tmp/out.txt"
wait "$sets_pid" || true

python3 - "$root/docs/benchmarks.md" "$tmp" "$(nproc)" \
  "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')" "$(uname -sr)" \
  "$(date -u +%Y-%m-%d)" "$rev" "$(cat "$tmp/sets")" "$new" <<'PY'
import json, statistics, sys
doc, tmp, nproc, cpu, kernel, day, rev, sets, new_bin = sys.argv[1:]
def runs(path):
    return [tuple(map(float, l.split())) for l in open(path) if l.strip()]
new = runs(f"{tmp}/rss_new"); old = runs(f"{tmp}/rss_old")[0]
pipe = runs(f"{tmp}/rss_pipe")[-1]
rss_new = statistics.median(r[0] for r in new) / 1024
sec_new = statistics.median(r[1] for r in new)
rows = json.load(open(f"{tmp}/new.json"))["results"] + json.load(open(f"{tmp}/old.json"))["results"]
med = {}
for r in rows:
    who = "after" if r["command"].startswith(new_bin + " ") else "before"
    layout = "one line" if "one.toml" in r["command"] else "one per line"
    med[(who, layout)] = (r["median"] * 1000, len(r["times"]))
lines = [
    "",
    f"Machine: {nproc} cores ({cpu}), {kernel}; {day}. Command: `bench/input_scale.sh`",
    f"(before: the main commit {rev}; after: this build; both release builds, run side by side).",
    f"The host set the clock {sets} times during the first 60 s of the run (`bench/clock_sets.c`).",
    "",
    "`epochwatch next -n 10000000 --after 0 > /dev/null` (`/usr/bin/time -f '%M %e'`):",
    "",
    "| build | peak RSS | time |",
    "|---|---:|---:|",
    f"| before | {old[0]/1024:.0f} MiB | {old[1]:.1f} s |",
    f"| after (median of 3) | {rss_new:.1f} MiB | {sec_new:.1f} s |",
    f"| after, piped into `tail -1` | {pipe[0]/1024:.1f} MiB | {pipe[1]:.1f} s |",
    "",
    f"Memory: {old[0]/1024/rss_new:.0f}x less. Target: under 10 MiB.",
    "",
    "`epochwatch config show --config F`, F holding 100,000 milestones (hyperfine -N, medians):",
    "",
    "| layout | before | after | ratio |",
    "|---|---:|---:|---:|",
]
for layout in ["one line", "one per line"]:
    b, nb = med[("before", layout)]; a, na = med[("after", layout)]
    lines.append(f"| {layout} | {b:.1f} ms ({nb} runs) | {a:.1f} ms ({na} runs) | {b/a:.1f}x |")
lines += ["", "Target: under 100 ms in either layout.", ""]
text = open(doc).read()
start, end = "<!-- bench:input:start -->", "<!-- bench:input:end -->"
i, j = text.index(start) + len(start), text.index(end)
open(doc, "w").write(text[:i] + "\n".join(lines) + text[j:])
PY
cat "$tmp/out.txt"

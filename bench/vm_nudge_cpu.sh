#!/usr/bin/env bash
# CPU of the watcher (pipe and full screen) and the daemon while the clock is
# set to its own value RATE times a second (issue 12: some hosts' time
# agents set their guests' clocks ten times a second), beside wake_floor.c,
# in the VM tests' QEMU guest, whose clock may be set without touching the
# host's. Each round measures a quiet phase and a phase with the sets; the
# guest side is bench/vm_nudge_cpu.guest.sh (what runs, how CPU is read).
#
# Usage: bench/vm_nudge_cpu.sh [ROUNDS] [SECONDS] [RATE] [WARM]   (default 3 60 10 0)
#
# WARM: seconds of each phase left out before it is measured (each phase
# starts its processes afresh; with WARM the figures are the steady state).
#
# Prints, per subject and phase, the median over the rounds of the CPU per
# hour, the wakes per second and the CPU per wake, the ratios of medians
# against the floors, and what each clock set cost; the guest's raw lines
# are kept in target/vm/nudge_cpu.txt. Needs what the VM tests need
# (.ci/vm-setup) and python3. Under TCG every instruction is emulated: the
# guest's figures are many times the host's, so read the ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
secs=${2:-60}
rate=${3:-10}
warm=${4:-0}
cargo build --release --quiet
mkdir -p target/vm
cc -O2 -Wall -Wextra -static -o target/vm/wake_floor bench/wake_floor.c
work=$(mktemp -d "${TMPDIR:-/tmp}/epochwatch-nudge.XXXXXX")
trap 'rm -rf "$work"' EXIT
scenario=$work/nudge_cpu.sh
{
  echo "ROUNDS=$rounds SECS=$secs RATE=$rate WARM=$warm"
  cat bench/vm_nudge_cpu.guest.sh
} >"$scenario"
# Two phases of SECS + ~5 s each per round, and the boot.
limit=$((rounds * 2 * (secs + warm + 15) + 60))
started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
VM_EXTRA_BINARIES=$PWD/target/vm/wake_floor \
  tests/vm/run.sh -t "$limit" -s "$limit" "$scenario" >target/vm/nudge_cpu.txt
python3 - target/vm/nudge_cpu.txt "$started" "$(nproc)" \
  "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')" "$(uname -sr)" \
  "bench/vm_nudge_cpu.sh $rounds $secs $rate $warm" <<'PY'
import statistics, sys
path, when, nproc, cpu, kernel, command = sys.argv[1:]
files, current = {}, None
for line in open(path):
    line = line.rstrip("\n")
    if line.startswith("@@VM BEGIN nudge_cpu "):
        current = line.split()[-1]
        files[current] = []
    elif line.startswith("@@VM END "):
        current = None
    elif current:
        files[current].append(line)
meta = dict(kv.split("=", 1) for l in files.get("meta", []) for kv in l.split())
rows = [dict(kv.split("=", 1) for kv in l.split()) for l in files.get("cpu", [])]
if not rows:
    sys.exit("vm_nudge_cpu: the guest sent no figures; see target/vm/nudge_cpu.txt")
names = {
    "watch_pipe": "`epochwatch watch --plain`, pipe",
    "watch_pty": "`epochwatch` full screen, pty 100x30",
    "daemon": "`epochwatch daemon`, a milestone in 2096",
    "bare_pipe": "`wake_floor --no-cancel-on-set`, pipe",
    "bare_pty": "`wake_floor --no-cancel-on-set`, pty",
    "cancel_pipe": "`wake_floor` (CANCEL_ON_SET), pipe",
    "cancel_pty": "`wake_floor` (CANCEL_ON_SET), pty",
    "idle_cancel": "`wake_floor --idle` (CANCEL_ON_SET, no tick)",
}
def per(phase, subject, f):
    return [f(r) for r in rows if r["phase"] == phase and r["subject"] == subject]
ms_h = lambda r: int(r["cpu_ns"]) / 1e6 * 3600e9 / int(r["mono_ns"])
wakes = lambda r: int(r["slices"]) * 1e9 / int(r["mono_ns"])
us_wake = lambda r: int(r["cpu_ns"]) / 1e3 / max(int(r["slices"]), 1)
med = lambda xs: statistics.median(xs) if xs else float("nan")
sets = [int(r["sets"]) for r in rows if r["phase"] == "sets" and r["subject"] == "daemon"]
secs_run = [int(r["mono_ns"]) / 1e9 for r in rows if r["phase"] == "sets" and r["subject"] == "daemon"]
print(f"- Machine: {nproc} CPUs, {cpu}, {kernel}; guest: QEMU TCG, 1 vCPU, kernel "
      f"{meta.get('kernel')}, clocksource {meta.get('clocksource')}")
print(f"- Date: {when}")
print(f"- Command: `{command}` ({meta.get('rounds')} rounds of {meta.get('secs')} s quiet and "
      f"{meta.get('secs')} s with sets)")
print(f"- Clock sets per round: {', '.join(map(str, sets))} "
      f"({', '.join(f'{n / s:.2f}/s' for n, s in zip(sets, secs_run))})")
print()
print("| subject | quiet: ms/h (rounds) | median | wakes/s | µs/wake "
      "| sets: ms/h (rounds) | median | wakes/s | µs/wake | µs per set |")
print("|:---|:---|---:|---:|---:|:---|---:|---:|---:|---:|")
medians = {}
for s, name in names.items():
    cells = [name]
    for phase in ("quiet", "sets"):
        xs = per(phase, s, ms_h)
        medians[(phase, s)] = med(xs)
        cells += [", ".join(f"{x:.0f}" for x in xs), f"{med(xs):.0f}",
                  f"{med(per(phase, s, wakes)):.1f}", f"{med(per(phase, s, us_wake)):.0f}"]
    # What a set cost: the extra CPU of the sets phase, per set, round by round.
    extra = [(a - b) / 3600 * float(meta.get("secs", 60)) * 1e3 / n
             for a, b, n in zip(per("sets", s, ms_h), per("quiet", s, ms_h), sets) if n]
    cells.append(f"{med(extra):.1f}")
    print("| " + " | ".join(cells) + " |")
print()
for phase in ("quiet", "sets"):
    m = lambda s: medians[(phase, s)]
    daemon = f"daemon {m('daemon'):.0f} ms/h, its floor {m('idle_cancel'):.0f} ms/h"
    if m("idle_cancel"):
        daemon += f" ({m('daemon') / m('idle_cancel'):.2f})"
    print(f"- {phase}: watch pipe / bare loop {m('watch_pipe') / m('bare_pipe'):.2f}, "
          f"full screen / bare loop {m('watch_pty') / m('bare_pty'):.2f}; "
          f"against the CANCEL_ON_SET loop: pipe {m('watch_pipe') / m('cancel_pipe'):.2f}, "
          f"full screen {m('watch_pty') / m('cancel_pty'):.2f}; {daemon}")
if files.get("stderr"):
    print("\nstderr of the subjects:\n" + "\n".join(files["stderr"]))
PY

#!/usr/bin/env python3
"""How close to the second boundary each value appears, and what it costs.

Runs side by side, for the same DURATION seconds (default 60):

  pipe        epochwatch watch --plain --no-notify         (stdout a pipe)
  screen      epochwatch --no-notify                       (full screen, 100x30 pty)
  watch(1)    watch -n1 date +%s                           (procps, 100x30 pty)
  sleep loop  while sleep 1; do date +%s; done             (bash, stdout a pipe)

Each new value is timestamped (time.time_ns) when its bytes arrive; its
lateness is arrival - the value's own second boundary. Full-screen programs
only send the cells that changed, so the pty streams go through a small
terminal emulator and the value is the screen line that is exactly 10 digits.

CPU time is measured over the run after a warm-up (start-up excluded): for the
process itself the sum of /proc/PID/task/*/schedstat (nanoseconds, all live
threads), plus cutime+cstime from /proc/PID/stat for the children it waited
for (watch(1)'s `sh -c date`, the loop's sleep and date; 100 Hz ticks).
Extrapolated to an hour. Peak memory is VmHWM of the process itself.

Writes the section between <!-- bench:watch:start --> and
<!-- bench:watch:end --> in docs/benchmarks.md (created if absent; other text
is left alone) unless --no-doc.

Usage: bench/watch_latency.py [DURATION] [--bin PATH] [--doc PATH] [--no-doc]
"""

import argparse
import datetime
import fcntl
import glob
import os
import platform
import re
import selectors
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
START = "<!-- bench:watch:start -->"
END = "<!-- bench:watch:end -->"
CLK_TCK = os.sysconf("SC_CLK_TCK")
ROWS, COLS = 30, 100
WARMUP = 2.0

TARGET_P99_MS = 2.0
TARGET_CPU_SCREEN_MS_H = 400.0
TARGET_CPU_PIPE_MS_H = 300.0
TARGET_MEM_MIB = 10.0


class Screen:
    """Just enough of a VT100/xterm to follow cursor-addressed updates."""

    CSI = re.compile(rb"\x1b\[([0-9;?<=>]*)([ -/]*)([@-~])")

    def __init__(self, rows, cols):
        self.rows, self.cols = rows, cols
        self.grid = [[" "] * cols for _ in range(rows)]
        self.y = self.x = 0
        self.last = " "
        self.pending = b""
        self.alt_saved = None

    def _put(self, ch):
        if self.x >= self.cols:
            self.x = 0
            self._lf()
        self.grid[self.y][self.x] = ch
        self.last = ch
        self.x += 1

    def _lf(self):
        if self.y + 1 < self.rows:
            self.y += 1
        else:
            self.grid.pop(0)
            self.grid.append([" "] * self.cols)

    def _csi(self, params, final):
        nums = [int(p) if p.isdigit() else 0 for p in params.lstrip("?<=>").split(";")]
        n = nums[0] if nums and nums[0] else 1
        if final in "Hf":
            row = nums[0] if nums and nums[0] else 1
            col = nums[1] if len(nums) > 1 and nums[1] else 1
            self.y, self.x = min(row, self.rows) - 1, min(col, self.cols) - 1
        elif final == "A":
            self.y = max(0, self.y - n)
        elif final in "Be":
            self.y = min(self.rows - 1, self.y + n)
        elif final in "Ca":
            self.x = min(self.cols - 1, self.x + n)
        elif final == "D":
            self.x = max(0, self.x - n)
        elif final in "G`":
            self.x = min(n, self.cols) - 1
        elif final == "d":
            self.y = min(n, self.rows) - 1
        elif final == "K":
            mode = nums[0] if nums else 0
            lo, hi = {0: (self.x, self.cols), 1: (0, self.x + 1)}.get(mode, (0, self.cols))
            for i in range(lo, hi):
                self.grid[self.y][i] = " "
        elif final == "J":
            mode = nums[0] if nums else 0
            if mode == 0:
                self._csi("", "K")
                rows = range(self.y + 1, self.rows)
            elif mode == 1:
                rows = range(0, self.y)
            else:
                rows = range(self.rows)
            for r in rows:
                self.grid[r] = [" "] * self.cols
        elif final == "X":
            for i in range(self.x, min(self.cols, self.x + n)):
                self.grid[self.y][i] = " "
        elif final == "P":
            row = self.grid[self.y]
            del row[self.x : self.x + n]
            row.extend([" "] * (self.cols - len(row)))
        elif final == "@":
            row = self.grid[self.y]
            for _ in range(n):
                row.insert(self.x, " ")
            del row[self.cols :]
        elif final == "b":
            for _ in range(n):
                self._put(self.last)
        elif final in "hl" and params.startswith("?") and ("1049" in params or "47" in params):
            # Alternate screen on (h) / off (l): a fresh or a saved grid.
            if final == "h":
                self.alt_saved = self.grid
                self.grid = [[" "] * self.cols for _ in range(self.rows)]
            elif self.alt_saved is not None:
                self.grid, self.alt_saved = self.alt_saved, None

    def feed(self, data):
        data = self.pending + data
        self.pending = b""
        i, n = 0, len(data)
        while i < n:
            b = data[i]
            if b == 0x1B:
                if i + 1 >= n:
                    self.pending = data[i:]
                    return
                nxt = data[i + 1]
                if nxt == ord("["):
                    m = self.CSI.match(data, i)
                    if not m:
                        if n - i < 64:
                            self.pending = data[i:]
                            return
                        i += 2
                        continue
                    self._csi(m.group(1).decode(), m.group(3).decode())
                    i = m.end()
                elif nxt in b"()*+":
                    i += 3
                elif nxt == ord("]"):
                    # OSC: up to BEL or ST.
                    end = data.find(b"\x07", i)
                    st = data.find(b"\x1b\\", i)
                    ends = [e for e in (end, st) if e != -1]
                    if not ends:
                        self.pending = data[i:]
                        return
                    e = min(ends)
                    i = e + (1 if e == end else 2)
                else:
                    i += 2
            elif b == 0x0D:
                self.x = 0
                i += 1
            elif b == 0x0A:
                self._lf()
                i += 1
            elif b == 0x08:
                self.x = max(0, self.x - 1)
                i += 1
            elif b < 0x20 or b == 0x7F:
                i += 1
            else:
                # One UTF-8 character.
                length = 1 if b < 0x80 else 2 if b < 0xE0 else 3 if b < 0xF0 else 4
                if i + length > n:
                    self.pending = data[i:]
                    return
                self._put(data[i : i + length].decode("utf-8", "replace"))
                i += length

    def value(self):
        """The line that is exactly a 10-digit number, if any."""
        for row in self.grid:
            text = "".join(row).strip()
            if len(text) == 10 and text.isdigit():
                return int(text)
        return None


class Subject:
    def __init__(self, name, argv, pty_mode, env):
        self.name, self.argv, self.pty_mode = name, argv, pty_mode
        self.arrivals = []  # (value, arrival_ns)
        self.repeats = 0
        self.buf = b""
        self.screen = Screen(ROWS, COLS) if pty_mode else None
        self.last_value = None
        if pty_mode:
            master, slave = os.openpty()
            fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))

            def controlling_tty():
                os.setsid()
                fcntl.ioctl(0, termios.TIOCSCTTY, 0)

            self.proc = subprocess.Popen(
                argv,
                stdin=slave,
                stdout=slave,
                stderr=slave,
                env=dict(env, TERM="xterm-256color"),
                preexec_fn=controlling_tty,
            )
            os.close(slave)
            self.fd = master
        else:
            self.proc = subprocess.Popen(
                argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, env=env
            )
            self.fd = self.proc.stdout.fileno()
        os.set_blocking(self.fd, False)

    def on_data(self, data, now_ns):
        if self.pty_mode:
            self.screen.feed(data)
            value = self.screen.value()
            if value is not None and value != self.last_value:
                self.arrivals.append((value, now_ns))
                self.last_value = value
            return
        self.buf += data
        *lines, self.buf = self.buf.split(b"\n")
        for line in lines:
            line = line.strip()
            if not line.isdigit():
                continue
            value = int(line)
            if value == self.last_value:
                self.repeats += 1
            else:
                self.arrivals.append((value, now_ns))
            self.last_value = value

    def cpu_ns(self):
        """(own CPU ns from schedstat of live threads, waited-for children ns)."""
        pid = self.proc.pid
        own = 0
        for path in glob.glob(f"/proc/{pid}/task/*/schedstat"):
            try:
                with open(path) as f:
                    own += int(f.read().split()[0])
            except (OSError, ValueError, IndexError):
                pass
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        # After the ")": state is field 3, so utime..cstime (14..17) are [11..14].
        children_ticks = int(fields[13]) + int(fields[14])
        own_ticks = int(fields[11]) + int(fields[12])
        tick_ns = 1_000_000_000 // CLK_TCK
        return own, children_ticks * tick_ns, own_ticks * tick_ns

    def hwm_kib(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        return 0


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    k = max(0, min(len(sorted_values) - 1, int(round(p / 100 * len(sorted_values) + 0.5)) - 1))
    return sorted_values[k]


def stats(subject, t_start_ns, t_end_ns):
    # Values first seen inside the measured window (start-up excluded).
    window = [(v, t) for v, t in subject.arrivals if t_start_ns <= t <= t_end_ns]
    late = sorted((t - v * 1_000_000_000) / 1e6 for v, t in window)
    skipped = 0
    backwards = 0
    for (a, _), (b, _) in zip(window, window[1:]):
        if b > a + 1:
            skipped += b - a - 1
        elif b <= a:
            backwards += 1
    return {
        "n": len(window),
        "p50": percentile(late, 50),
        "p99": percentile(late, 99),
        "max": late[-1] if late else float("nan"),
        "skipped": skipped,
        "repeated": subject.repeats + backwards,
    }


def machine():
    cpu = platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs ({len(os.sched_getaffinity(0))} usable), {cpu}, {platform.system()} {platform.release()}"


def write_doc(doc, section):
    text = ""
    if os.path.exists(doc):
        with open(doc) as f:
            text = f.read()
    block = f"{START}\n{section.strip()}\n{END}"
    if START in text and END in text and text.index(START) < text.index(END):
        before = text[: text.index(START)]
        after = text[text.index(END) + len(END) :]
        text = before + block + after
    else:
        if text and not text.endswith("\n"):
            text += "\n"
        text += ("\n" if text else "# epochwatch benchmarks\n\n") + block + "\n"
    os.makedirs(os.path.dirname(doc), exist_ok=True)
    tmp = doc + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, doc)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("duration", nargs="?", type=float, default=60.0)
    ap.add_argument("--bin", default=os.path.join(ROOT, "target/release/epochwatch"))
    ap.add_argument("--doc", default=os.path.join(ROOT, "docs/benchmarks.md"))
    ap.add_argument("--no-doc", action="store_true")
    args = ap.parse_args()

    for tool in ("watch", "date", "bash"):
        if not shutil.which(tool):
            sys.exit(f"watch_latency: {tool} not found")
    if not os.access(args.bin, os.X_OK):
        sys.exit(f"watch_latency: {args.bin} not built (run bench/watch_latency.sh)")

    home = tempfile.mkdtemp(prefix="ew-bench-")
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": home,
        "XDG_CONFIG_HOME": os.path.join(home, "config"),
        "XDG_STATE_HOME": os.path.join(home, "state"),
        "TZ": "UTC",
        "LC_ALL": "C",
    }
    binary = os.path.relpath(args.bin, ROOT) if args.bin.startswith(ROOT) else args.bin
    specs = [
        ("pipe", f"{binary} watch --plain --no-notify", [args.bin, "watch", "--plain", "--no-notify"], False),
        ("screen", f"{binary} --no-notify (pty {COLS}x{ROWS})", [args.bin, "--no-notify"], True),
        ("watch(1)", f"watch -n1 date +%s (pty {COLS}x{ROWS})", ["watch", "-n1", "date", "+%s"], True),
        ("sleep loop", "bash -c 'while sleep 1; do date +%s; done'",
         ["bash", "-c", "while sleep 1; do date +%s; done"], False),
    ]
    subjects = []
    sel = selectors.DefaultSelector()
    try:
        for name, shown, argv, pty_mode in specs:
            s = Subject(name, argv, pty_mode, env)
            s.shown = shown
            subjects.append(s)
            sel.register(s.fd, selectors.EVENT_READ, s)

        launched = time.time_ns()
        t_start = launched + int(WARMUP * 1e9)
        t_end = t_start + int(args.duration * 1e9)
        cpu_start = None
        while True:
            now = time.time_ns()
            if cpu_start is None and now >= t_start:
                cpu_start = {s.name: s.cpu_ns() for s in subjects}
            if now >= t_end:
                break
            for key, _ in sel.select(timeout=min(0.5, (t_end - now) / 1e9)):
                s = key.data
                arrived = time.time_ns()
                try:
                    data = os.read(s.fd, 65536)
                except (BlockingIOError, InterruptedError):
                    continue
                except OSError:
                    data = b""
                if not data:
                    sel.unregister(s.fd)
                    print(f"watch_latency: {s.name} ended early", file=sys.stderr)
                    continue
                s.on_data(data, arrived)
        cpu_end = {s.name: s.cpu_ns() for s in subjects}
        hwm = {s.name: s.hwm_kib() for s in subjects}
        alive = {s.name: s.proc.poll() is None for s in subjects}
    finally:
        for s in subjects:
            if s.proc.poll() is None:
                s.proc.send_signal(signal.SIGTERM)
        for s in subjects:
            try:
                s.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                s.proc.kill()
        shutil.rmtree(home, ignore_errors=True)

    elapsed_s = (t_end - t_start) / 1e9
    rows = []
    for s in subjects:
        st = stats(s, t_start, t_end)
        own0, kids0, ticks0 = cpu_start[s.name]
        own1, kids1, ticks1 = cpu_end[s.name]
        own_ms = (own1 - own0) / 1e6
        kids_ms = (kids1 - kids0) / 1e6
        per_hour = (own_ms + kids_ms) * 3600 / elapsed_s
        rows.append((s, st, own_ms, kids_ms, per_hour, (ticks1 - ticks0) / 1e6, hwm[s.name] / 1024))

    header = (
        "| Subject | values | p50 late [ms] | p99 late [ms] | max late [ms] | skipped | repeated "
        "| CPU in run [ms] (own + children) | CPU / hour [ms] | peak RSS [MiB] |"
    )
    lines = [header, "|:---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for s, st, own_ms, kids_ms, per_hour, ticks_ms, mib in rows:
        rep = "n/a" if s.pty_mode else str(st["repeated"])
        lines.append(
            f"| {s.name}: `{s.shown}` | {st['n']} | {st['p50']:.2f} | {st['p99']:.2f} | {st['max']:.2f} "
            f"| {st['skipped']} | {rep} | {own_ms:.1f} + {kids_ms:.0f} | {per_hour:.0f} | {mib:.1f} |"
        )
    table = "\n".join(lines)

    by = {r[0].name: r for r in rows}
    verdicts = []
    for name, cpu_target in (("pipe", TARGET_CPU_PIPE_MS_H), ("screen", TARGET_CPU_SCREEN_MS_H)):
        _, st, _, _, per_hour, _, mib = by[name]
        ok_late = st["p99"] <= TARGET_P99_MS and st["skipped"] == 0 and st["repeated"] == 0
        verdicts.append(
            f"- {name}: p99 {st['p99']:.2f} ms (target ≤ {TARGET_P99_MS:g}), skipped {st['skipped']} "
            f"→ **{'met' if ok_late else 'MISSED'}**; CPU {per_hour:.0f} ms/h (target < {cpu_target:g}) "
            f"→ **{'met' if per_hour < cpu_target else 'MISSED'}**; peak RSS {mib:.1f} MiB "
            f"(target < {TARGET_MEM_MIB:g}) → **{'met' if mib < TARGET_MEM_MIB else 'MISSED'}**"
        )
    dead = [n for n, a in alive.items() if not a]

    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    command = f"bench/watch_latency.sh {args.duration:g}"
    section = f"""## `epochwatch watch`: lateness, CPU and memory

Generated by `bench/watch_latency.py` (via `{command}`); do not edit by hand.

- Machine: {machine()}
- Date: {when}
- Command: `{command}` (release build; the four subjects run concurrently for
  {elapsed_s:g} s after a {WARMUP:g} s warm-up, TZ=UTC, empty config)

Lateness = arrival of a new value's bytes at the reader (`time.time_ns()`) minus
that value's second boundary. Full-screen outputs are followed with a small
terminal emulator (only changed cells are sent); the value is the line that is
exactly 10 digits. "repeated" cannot be seen on a screen (an unchanged value
sends nothing), hence n/a. CPU: own = all live threads' `/proc/PID/task/*/schedstat`
(ns), children = waited-for `cutime+cstime` (10 ms ticks), per hour = ×3600/{elapsed_s:g};
peak RSS = `VmHWM` of the process itself.

{table}

Targets (epochwatch):

{chr(10).join(verdicts)}
"""
    if dead:
        section += f"\nEnded before the run was over: {', '.join(dead)}.\n"
    print(section)
    if not args.no_doc:
        write_doc(args.doc, section)
        print(f"watch_latency: wrote the bench:watch section of {os.path.relpath(args.doc)}", file=sys.stderr)


if __name__ == "__main__":
    main()

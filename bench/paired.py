#!/usr/bin/env python3
"""Paired timing: each command run beside a run of the baseline in turn
(A B A B ...), so that a drift of the machine's speed cancels; prints the
median of the per-pair ratios of wall and CPU (user + system) time.

Usage: bench/paired.py PAIRS BASELINE COMMAND...   (each a string split on spaces)
"""
import os
import statistics
import sys
import time

WARM_UP = 10


def run(argv):
    """Wall and CPU seconds of one run, its output to /dev/null."""
    null = os.open(os.devnull, os.O_WRONLY)
    start = time.perf_counter()
    pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=[(os.POSIX_SPAWN_DUP2, null, 1)])
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    os.close(null)
    if status != 0:
        sys.exit(f"{argv} failed: status {status}")
    return wall, usage.ru_utime + usage.ru_stime


def main():
    pairs, baseline, commands = int(sys.argv[1]), sys.argv[2].split(), sys.argv[3:]
    print(f"paired with {' '.join(baseline)}, {pairs} pairs after {WARM_UP} warm-up pairs: "
          "median of per-pair ratios")
    for command in commands:
        argv = command.split()
        walls, cpus = [], []
        for i in range(pairs + WARM_UP):
            a_wall, a_cpu = run(argv)
            b_wall, b_cpu = run(baseline)
            if i >= WARM_UP:
                walls.append(a_wall / b_wall)
                if b_cpu > 0:
                    cpus.append(a_cpu / b_cpu)
        cpu = f"{statistics.median(cpus):.3f}" if cpus else "n/a"
        print(f"{command}: wall {statistics.median(walls):.3f}, cpu {cpu}")


if __name__ == "__main__":
    main()

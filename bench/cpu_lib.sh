# Shared pieces of the CPU benchmarks (sourced by bench/watch_cpu.sh and
# bench/bar_cpu.sh): the floor programs built, a process's CPU read from the
# scheduler, the median of a list, and the machine line.

# Build target/wake_floor and target/clock_sets (bench/*.c).
build_floor_tools() {
    command -v cc >/dev/null || { echo "cpu_lib: cc not found" >&2; exit 1; }
    mkdir -p target
    cc -O2 -o target/wake_floor bench/wake_floor.c
    cc -O2 -o target/clock_sets bench/clock_sets.c
}

# Nanoseconds of CPU used so far by all threads of process $1.
cpu_ns() {
    local total=0 run _
    for f in /proc/"$1"/task/*/schedstat; do
        read -r run _ < "$f" && total=$((total + run))
    done
    echo "$total"
}

# The median of the numbers in "$1" (separated by spaces).
median() {
    tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'
}

machine_line() {
    echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(uname -sr); date: $(date -u +%FT%TZ)"
}

#!/usr/bin/env bash
# Boot the VM tests' guest by hand with any scenario scripts, and print what
# it sent back (the results port, @@VM markers and all) on stdout. The tests
# in tests/integration/vm_kernel.rs do the same from Rust
# (tests/integration/harness/vm.rs).
#
#   tests/vm/run.sh [-b BINARY] [-t SECONDS] [-s SECONDS] SCENARIO.sh...
#
# BINARY defaults to target/release/epochwatch (build it first with
# `cargo build --release`); -t (default 180) bounds the whole boot, -s
# (default 120, /init's) each scenario. Static programs listed in
# $VM_EXTRA_BINARIES go into the guest's /bin too (build-initramfs.sh).
# The guest's console goes to target/vm/console.txt; exit status 1 if the
# guest did not finish (no @@VM DONE), with the console on stderr.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
binary=$top/target/release/epochwatch
limit=180
per_scenario=120
while getopts b:t:s: opt; do
  case $opt in
    b) binary=$OPTARG ;;
    t) limit=$OPTARG ;;
    s) per_scenario=$OPTARG ;;
    *) exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || { echo "usage: $0 [-b BINARY] [-t SECONDS] [-s SECONDS] SCENARIO.sh..." >&2; exit 2; }
cache=$top/target/vm
kernel=${EPOCHWATCH_VM_KERNEL:-$("$here/fetch-kernel.sh" "$cache")}
work=$(mktemp -d "${TMPDIR:-/tmp}/epochwatch-vm.XXXXXX")
trap 'rm -rf "$work"' EXIT
"$here/build-initramfs.sh" "$work/initramfs.cpio.gz" "$binary" "$cache/clockstep" "$@"
start=$(date +%s.%N)
timeout --kill-after=5 "$limit" qemu-system-x86_64 -accel tcg -m 512 -smp 1 \
  -nographic -no-reboot -monitor none -nic none \
  -kernel "$kernel" -initrd "$work/initramfs.cpio.gz" \
  -append "console=ttyS0 quiet panic=-1 epochwatch.timeout=$per_scenario" \
  -serial stdio -serial "file:$work/results.txt" </dev/null >"$cache/console.txt" 2>&1 || true
end=$(date +%s.%N)
# The guest's tty writes CR LF.
tr -d '\r' <"$work/results.txt"
echo "run.sh: boot and run took $(awk "BEGIN { printf \"%.1f\", $end - $start }") s" >&2
if ! tr -d '\r' <"$work/results.txt" | grep -qx '@@VM DONE'; then
  echo "run.sh: the guest did not finish; its console:" >&2
  cat "$cache/console.txt" >&2
  exit 1
fi

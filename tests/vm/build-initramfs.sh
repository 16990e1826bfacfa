#!/usr/bin/env bash
# Build the VM tests' initramfs (newc cpio, gzip).
#
#   tests/vm/build-initramfs.sh OUT.cpio.gz EPOCHWATCH CLOCKSTEP SCENARIO.sh...
#
# Contents: busybox-static (/bin/busybox and a link per applet), the
# epochwatch binary with the shared libraries ldd names for it (same paths,
# including the dynamic loader), the static clockstep helper, /init
# (tests/vm/init), the scenarios' library (tests/vm/lib.sh, as
# /usr/share/vm/lib.sh) and the scenarios as /scenarios/NN-NAME.sh in the order
# given. CLOCKSTEP is built from tests/vm/clockstep.c first if it is missing
# or older than its source. $VM_EXTRA_BINARIES (space-separated paths of
# static programs, e.g. bench/vm_nudge_cpu.sh's wake_floor) go into /bin
# under their own names.
set -euo pipefail
if [ $# -lt 4 ]; then
  echo "usage: $0 OUT.cpio.gz EPOCHWATCH CLOCKSTEP SCENARIO.sh..." >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
out=$1 binary=$2 clockstep=$3
shift 3
[ -x "$binary" ] || { echo "build-initramfs: no executable at $binary" >&2; exit 1; }
busybox=$(command -v busybox) || { echo "build-initramfs: busybox not found" >&2; exit 1; }
# Debian's busybox-static is one static binary; the dynamic `busybox` package
# would need its libraries too, so insist on the static one.
if ldd "$busybox" >/dev/null 2>&1; then
  echo "build-initramfs: $busybox is dynamically linked (install busybox-static)" >&2
  exit 1
fi
if [ ! -x "$clockstep" ] || [ "$here/clockstep.c" -nt "$clockstep" ]; then
  mkdir -p "$(dirname "$clockstep")"
  ${CC:-cc} -O2 -Wall -Wextra -static -o "$clockstep.tmp" "$here/clockstep.c"
  mv "$clockstep.tmp" "$clockstep"
fi

root=$(mktemp -d "${TMPDIR:-/tmp}/epochwatch-initramfs.XXXXXX")
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,dev,proc,sys,tmp,run,root,etc,scenarios}
ln -s bin "$root/sbin"
mkdir -p "$root/usr"
ln -s ../bin "$root/usr/bin"
ln -s ../bin "$root/usr/sbin"
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list); do
  [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done
cp "$binary" "$root/bin/epochwatch"
cp "$clockstep" "$root/bin/clockstep"
for extra in ${VM_EXTRA_BINARIES:-}; do
  [ -x "$extra" ] || { echo "build-initramfs: no executable at $extra" >&2; exit 1; }
  cp "$extra" "$root/bin/$(basename "$extra")"
done
# Shared libraries at the paths the binary asks for (/lib64/ld-linux-x86-64.so.2,
# /lib/x86_64-linux-gnu/libc.so.6, ...), resolved through any symlinks.
for lib in $(ldd "$binary" | grep -o '/[^ ]*'); do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
echo 'root:x:0:' >"$root/etc/group"
cp "$here/init" "$root/init"
mkdir -p "$root/usr/share/vm"
cp "$here/lib.sh" "$root/usr/share/vm/lib.sh"
chmod 755 "$root/init"
n=0
for scenario in "$@"; do
  n=$((n + 1))
  cp "$scenario" "$root/scenarios/$(printf '%02d' "$n")-$(basename "$scenario")"
done
mkdir -p "$(dirname "$out")"
(cd "$root" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet -R 0:0) |
  gzip -1 >"$out.tmp"
mv "$out.tmp" "$out"

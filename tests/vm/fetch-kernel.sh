#!/usr/bin/env bash
# Fetch and cache the guest kernel for the VM tests; print its path.
#
#   tests/vm/fetch-kernel.sh [CACHE_DIR]     (default: target/vm beside this tree)
#
# The kernel is Debian's linux-image-cloud-amd64 (bookworm: 6.1.x), taken out
# of the .deb (dpkg-deb --fsys-tarfile, boot/ only); nothing is installed. It has everything the
# tests need built in (no modules): CONFIG_RTC_DRV_CMOS=y (rtc0 and its wake
# alarm), CONFIG_SUSPEND=y and CONFIG_ACPI_SLEEP=y (ACPI S3), the 8250 serial
# console, devtmpfs, tmpfs and gzip initramfs support. A cached kernel is
# reused as it is; delete CACHE_DIR/kernel to fetch the current one.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${1:-$here/../../target/vm}
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)
dest=$cache/kernel
if [ -s "$dest/vmlinuz" ] && [ -s "$dest/version" ]; then
  echo "$dest/vmlinuz"
  exit 0
fi
for tool in apt-get apt-cache dpkg-deb; do
  command -v "$tool" >/dev/null || { echo "fetch-kernel: $tool not found" >&2; exit 1; }
done
work=$(mktemp -d "$cache/kernel-fetch.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
# The metapackage names the current ABI package (linux-image-6.1.0-NN-cloud-amd64).
pkg=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null |
  sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-cloud-amd64\)$/\1/p' | head -n 1)
if [ -z "$pkg" ]; then
  echo "fetch-kernel: apt-cache knows no linux-image-cloud-amd64 (run apt-get update)" >&2
  exit 1
fi
# apt-get download writes into the current directory; as root it warns that
# the _apt user cannot write there, which is harmless.
apt-get download "$pkg" >download.log 2>&1 || { cat download.log >&2; exit 1; }
deb=$(ls ./*.deb)
# Only boot/ is needed: unpack that, not the 100 MB of modules.
mkdir x
dpkg-deb --fsys-tarfile "$deb" | tar -x -C x ./boot
vmlinuz=$(ls x/boot/vmlinuz-* | head -n 1)
config=$(ls x/boot/config-* | head -n 1)
for opt in CONFIG_RTC_DRV_CMOS=y CONFIG_SUSPEND=y CONFIG_ACPI_SLEEP=y CONFIG_SERIAL_8250_CONSOLE=y \
  CONFIG_DEVTMPFS=y CONFIG_RD_GZIP=y; do
  grep -qx "$opt" "$config" || { echo "fetch-kernel: $pkg lacks $opt" >&2; exit 1; }
done
mkdir -p "$work/kernel"
cp "$vmlinuz" "$work/kernel/vmlinuz"
cp "$config" "$work/kernel/config"
{ echo "$pkg"; dpkg-deb -f "$deb" Version; } >"$work/kernel/version"
rm -rf "$dest"
mv "$work/kernel" "$dest"
echo "$dest/vmlinuz"

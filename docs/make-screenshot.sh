#!/usr/bin/env bash
# Makes docs/screen.png, the README's picture of the full screen, from a real
# terminal: xterm under Xvfb runs the release binary's `epochwatch watch`
# under libfaketime, started eight seconds before 1800000000 with the display
# zone Europe/Berlin, and ImageMagick's `import` takes the xterm window
# SHOT_AFTER seconds later (default 3: about five seconds before the
# milestone, when the countdown stands out). No configuration of yours is
# read. Run it again when the screen changes, look at the picture, commit it.
# Needs (Debian): xvfb, xterm, x11-utils, imagemagick, fonts-dejavu-core, faketime.
# Usage: bash docs/make-screenshot.sh [OUTPUT.png]
set -euo pipefail
cd "$(dirname "$0")/.."

out=${1:-docs/screen.png}
start="2027-01-15 07:59:52" # UTC: 1799999992
shot_after=${SHOT_AFTER:-3}

for tool in Xvfb xterm xwininfo import faketime fc-list; do
  command -v "$tool" >/dev/null || {
    echo "make-screenshot: missing $tool (Debian: xvfb xterm x11-utils imagemagick faketime fonts-dejavu-core)" >&2
    exit 1
  }
done
fc-list | grep -q "DejaVu Sans Mono" || { echo "make-screenshot: missing the DejaVu Sans Mono font (fonts-dejavu-core)" >&2; exit 1; }

cargo build --release --locked --bin epochwatch
bin=$(cargo metadata --format-version 1 --no-deps --locked \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')/release/epochwatch

work=$(mktemp -d)
xvfb_pid=""
xterm_pid=""
cleanup() {
  [ -n "$xterm_pid" ] && kill "$xterm_pid" 2>/dev/null || true
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# A display of its own: Xvfb picks a free number and writes it to fd 3.
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$work/display" 2>"$work/xvfb.log" &
xvfb_pid=$!
for _ in $(seq 100); do [ -s "$work/display" ] && break; sleep 0.05; done
[ -s "$work/display" ] || { cat "$work/xvfb.log" >&2; echo "make-screenshot: Xvfb did not start" >&2; exit 1; }
export DISPLAY=":$(cat "$work/display")"

# The screen as a user sees it at that instant: an empty home (no config, no
# state), TZ=UTC for faketime's start (only the wall clock is faked: the
# monotonic one runs on), the display zone given on the command line, no
# notifications (there is no bus here). Without antialiasing the big digits'
# blocks meet without seams; the blinking countdown is shown steady (bold).
mkdir -p "$work/home"
env -i PATH="$PATH" DISPLAY="$DISPLAY" HOME="$work/home" \
  XDG_CONFIG_HOME="$work/home/.config" XDG_STATE_HOME="$work/home/.local/state" \
  TZ=UTC LANG=C.UTF-8 DONT_FAKE_MONOTONIC=1 \
  xterm -T epochwatch-screenshot -geometry 92x26+0+0 -fa "DejaVu Sans Mono:antialias=false" -fs 13 \
  -bg "#1d2027" -fg "#d8dee9" -b 12 -bw 0 +sb -tn xterm-256color \
  -xrm "XTerm*showBlinkAsBold: true" \
  -e faketime -f "@$start" "$bin" watch --tz Europe/Berlin --no-notify &
xterm_pid=$!

window=""
for _ in $(seq 100); do
  window=$(xwininfo -root -tree 2>/dev/null | awk '/"epochwatch-screenshot"/ { print $1; exit }')
  [ -n "$window" ] && break
  sleep 0.05
done
[ -n "$window" ] || { echo "make-screenshot: no xterm window appeared" >&2; exit 1; }
sleep "$shot_after"
kill -0 "$xterm_pid" 2>/dev/null || { echo "make-screenshot: xterm (or epochwatch) ended early" >&2; exit 1; }
import -window "$window" "$work/screen.png"
mv "$work/screen.png" "$out"
echo "wrote $out ($(identify -format '%wx%h' "$out"))"

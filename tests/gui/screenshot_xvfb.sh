#!/usr/bin/env bash
# tests/gui/screenshot_xvfb.sh — the real viewer window on a virtual X server: start Xvfb on a free
# display, open a results fixture, let the viewer grab what the X server shows of its window
# (--screenshot), stop Xvfb, and check that the picture has content.
#   screenshot_xvfb.sh VIEWER CHECKER RESULTS OUTDIR
set -euo pipefail
viewer=$1 checker=$2 results=$3 out=$4
mkdir -p "$out"
rm -f "$out/window.png"
command -v Xvfb >/dev/null || { echo "Xvfb is not installed (scripts/setup.sh installs xvfb)"; exit 1; }

# -displayfd: Xvfb picks a free display number and writes it to the given descriptor when ready.
exec 3> "$out/display"
Xvfb -displayfd 3 -screen 0 1700x1100x24 -nolisten tcp >"$out/xvfb.log" 2>&1 &
xvfb_pid=$!
exec 3>&-
trap 'kill "$xvfb_pid" 2>/dev/null || true; wait "$xvfb_pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  [ -s "$out/display" ] && break
  kill -0 "$xvfb_pid" 2>/dev/null || { cat "$out/xvfb.log"; exit 1; }
  sleep 0.05
done
display=":$(head -n1 "$out/display")"
echo "Xvfb on $display (pid $xvfb_pid)"

export DISPLAY=$display QT_QPA_PLATFORM=xcb XDG_RUNTIME_DIR="$out/xdg"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
"$viewer" "$results" --select plant-north/gw-1 --time 20 --size 1600x1000 --screenshot "$out/window.png"
"$checker" "$out/window.png" 1200 800

#!/usr/bin/env bash
# scripts/build.sh — configures (once) and builds EdgeTwin into ./build with every core.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${EDGETWIN_BUILD_DIR:-build}
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build "$BUILD_DIR" -j"$(nproc)"

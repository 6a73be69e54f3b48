#!/usr/bin/env bash
# scripts/test.sh — quick start 2: install what is missing, build, and run the whole test suite
# through CTest. Tests that need a broker start their own Mosquitto on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
ctest --test-dir "${EDGETWIN_BUILD_DIR:-build}" -j"$(nproc)" --output-on-failure "$@"

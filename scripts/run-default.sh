#!/usr/bin/env bash
# scripts/run-default.sh — quick start 1: install what is missing, build, run the default scenario
# (scenarios/smart-factory.json) and print its KPI table. Results go to results/smart-factory/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh >/dev/null
exec "${EDGETWIN_BUILD_DIR:-build}/sim/edgetwin" run scenarios/smart-factory.json "$@"

#!/usr/bin/env bash
# bench/fuzz.sh — fuzz every target with clang's libFuzzer (ASan + UBSan, coverage everywhere).
#   bench/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     (default 60 s; targets: scenario units topic twin recording)
# New crashes are written to tests/fuzz/crashes/<target>/ (commit them: CTest replays them); the
# corpus grows in build-fuzz/corpus/<target>/, seeded from tests/fuzz/corpus/<target>/ and scenarios/.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET=${1:-60}
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(scenario units topic twin recording)
command -v clang++ >/dev/null || { echo "fuzz.sh: clang++ is needed (apt-get install clang)" >&2; exit 2; }
if [ ! -f build-fuzz/build.ninja ]; then
  CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEDGETWIN_FUZZ=ON \
    -DEDGETWIN_BUILD_GUI=OFF >/dev/null
fi
cmake --build build-fuzz --target $(printf 'fuzz_%s ' "${TARGETS[@]}") -j"$(nproc)"
mkdir -p build-fuzz/logs
for t in "${TARGETS[@]}"; do
  mkdir -p "build-fuzz/corpus/$t" "tests/fuzz/crashes/$t"
  seeds=()
  [ -d "tests/fuzz/corpus/$t" ] && seeds+=("tests/fuzz/corpus/$t")
  [ "$t" = scenario ] && seeds+=(scenarios)
  before=$(find "build-fuzz/corpus/$t" -type f | wc -l)
  echo "== fuzz_$t for ${SECONDS_PER_TARGET}s (log: build-fuzz/logs/$t.log)"
  # -rss_limit_mb guards against memory blow-ups; -timeout flags hangs (> 10 s on one input);
  # LeakSanitizer is on (libFuzzer's -detect_leaks=1 default). The full log is kept per target.
  status=0
  "build-fuzz/tests/fuzz/fuzz_$t" "build-fuzz/corpus/$t" "${seeds[@]}" \
    -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
    -artifact_prefix="tests/fuzz/crashes/$t/" >"build-fuzz/logs/$t.log" 2>&1 || status=$?
  { grep -E "Done|stat::|ERROR|SUMMARY" "build-fuzz/logs/$t.log" || true; } | tail -8
  after=$(find "build-fuzz/corpus/$t" -type f | wc -l)
  echo "== fuzz_$t: exit $status, corpus build-fuzz/corpus/$t $before -> $after units"
done

#!/usr/bin/env bash
# Longer fuzzing than CI's: every libFuzzer target of a build made with ISOBAR_FUZZ=ON (CI's
# test build, packaging/test.sh) for MINUTES each (default 10), from its corpus in
# fuzz/corpus. New inputs and any crashing one go to bench/out/fuzz/<target>/; a crash is
# reported with the command that replays it. Add a crash's input to fuzz/corpus/<target>/
# (after fixing it) so that every later run replays it.
#   BUILD_DIR=build MINUTES=30 bench/run-fuzz.sh [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
build="${BUILD_DIR:-build}"
minutes="${MINUTES:-10}"
mapfile -t targets < <(if [ $# -gt 0 ]; then printf '%s\n' "$@"; else ls fuzz/corpus; fi)
failed=0
for target in "${targets[@]}"; do
    fuzzer="$build/bin/fuzz_$target"
    [ -x "$fuzzer" ] || { echo "no $fuzzer: configure $build with -DISOBAR_FUZZ=ON" >&2; exit 2; }
    out="bench/out/fuzz/$target"
    log="bench/out/fuzz/$target.log" # beside, not in, the folder libFuzzer reads inputs from
    mkdir -p "$out"
    echo "== $target: $minutes min"
    if ! QT_QPA_PLATFORM=offscreen fuzz/run-fuzzer.sh fuzz "$fuzzer" "fuzz/corpus/$target" "$out" \
        $((minutes * 60)) > "$log" 2>&1; then
        failed=1
        echo "   FAILED: see $log; replay: $fuzzer $out/crash-*"
    fi
    grep -E '^#[0-9]+.*DONE|stat::number_of_executed_units|stat::peak_rss_mb' "$log" \
        | sed 's/^/   /' || true
done
exit "$failed"

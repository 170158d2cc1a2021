#!/usr/bin/env bash
# Runs one libFuzzer target for ctest (fuzz/CMakeLists.txt):
#   run-fuzzer.sh replay FUZZER CORPUS            every input of CORPUS once
#   run-fuzzer.sh fuzz FUZZER CORPUS FOUND SECS   fuzz from CORPUS for SECS seconds; new inputs
#                                                 and any crashing one go to FOUND
# A crash, a sanitizer report, a leak or an input running over 10 s fails the run.
set -euo pipefail
mode="$1" fuzzer="$2" corpus="$3"
common=(-timeout=10 -rss_limit_mb=4096 -print_final_stats=1)
case "$mode" in
replay)
    exec "$fuzzer" "${common[@]}" -runs=0 "$corpus"
    ;;
fuzz)
    found="$4" seconds="$5"
    mkdir -p "$found"
    exec "$fuzzer" "${common[@]}" -max_total_time="$seconds" -artifact_prefix="$found/" \
        "$found" "$corpus"
    ;;
*)
    echo "usage: run-fuzzer.sh replay|fuzz FUZZER CORPUS [FOUND SECONDS]" >&2
    exit 2
    ;;
esac

#!/usr/bin/env bash
# The style and correctness checks CI runs beside the tests (packaging/test.sh): the code as
# clang-format writes it (.clang-format), no clang-tidy finding (.clang-tidy), no shellcheck
# finding in the scripts. Any finding fails.
# Usage: packaging/check-style.sh [--skip-tidy] [BUILD_DIR]
# (the build directory holds compile_commands.json, which clang-tidy reads).
# clang-tidy reads every translation unit, tests, benchmarks and fuzzers too. Each parses Qt's
# headers under every check (about 8 s of CPU), so a unity build (ISOBAR_UNITY_BUILD, as CI's)
# is read in far fewer units: its libraries' batches, whose .cpp files .clang-tidy's header
# filter takes in.
set -euo pipefail
cd "$(dirname "$0")/.."
tidy=yes
if [ "${1:-}" = "--skip-tidy" ]; then
    tidy=no
    shift
fi
build="${1:-build}"

mapfile -t sources < <(git ls-files '*.cpp' '*.h')
echo "check-style: clang-format on ${#sources[@]} files"
clang-format --dry-run --Werror "${sources[@]}"

mapfile -t scripts < <(git ls-files 'packaging/*.sh' 'bench/*.sh' 'fuzz/*.sh' '.ci/run')
echo "check-style: shellcheck on ${#scripts[@]} scripts"
shellcheck "${scripts[@]}"

if [ "$tidy" = no ]; then
    echo "check-style: clean (clang-tidy skipped)"
    exit 0
fi
# Every translation unit of ours that the build compiles, and the unity batches of a unity
# build (generated moc files are Qt's).
echo "check-style: clang-tidy (.clang-tidy)"
run-clang-tidy -p "$build" -quiet -j "$(nproc)" \
    "^$(pwd)/((models|charts|server|desktop|app|tests|bench|fuzz)/.*\\.cpp|.*/Unity/unity_[0-9]+_cxx\\.cxx)$" \
    > "$build/clang-tidy.log" 2>&1 \
    || { grep -E 'warning:|error:' "$build/clang-tidy.log" | sort -u; exit 1; }
echo "check-style: clean"

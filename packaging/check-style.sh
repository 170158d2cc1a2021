#!/usr/bin/env bash
# The style and correctness checks CI runs beside the tests (packaging/test.sh): the code as
# clang-format writes it (.clang-format), no clang-tidy finding (.clang-tidy), no shellcheck
# finding in the scripts. Any finding fails.
# Usage: packaging/check-style.sh [--skip-tidy] [BUILD_DIR]
# (the build directory holds compile_commands.json, which clang-tidy reads).
# clang-tidy reads every translation unit, tests and benchmarks too: 226 today, about 29
# minutes of CPU (each parses Qt's headers under every check), so about 15 minutes on CI's two
# cores. On a machine busy with other work it takes up to twice that.
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

mapfile -t scripts < <(git ls-files 'packaging/*.sh' 'bench/*.sh' '.ci/run')
echo "check-style: shellcheck on ${#scripts[@]} scripts"
shellcheck "${scripts[@]}"

if [ "$tidy" = no ]; then
    echo "check-style: clean (clang-tidy skipped)"
    exit 0
fi
# Every translation unit of ours that the build compiles (generated moc files are Qt's).
echo "check-style: clang-tidy (.clang-tidy)"
run-clang-tidy -p "$build" -quiet -j "$(nproc)" \
    "^$(pwd)/(models|charts|server|desktop|app|tests|bench)/.*\\.cpp$" > "$build/clang-tidy.log" 2>&1 \
    || { grep -E 'warning:|error:' "$build/clang-tidy.log" | sort -u; exit 1; }
echo "check-style: clean"

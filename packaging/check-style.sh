#!/usr/bin/env bash
# The style and correctness checks CI runs beside the tests (packaging/test.sh): the code as
# clang-format writes it (.clang-format), no clang-tidy finding (.clang-tidy), no shellcheck
# finding in the scripts. Any finding fails.
# Usage: packaging/check-style.sh [--skip-tidy | --all] [BUILD_DIR]
# (the build directory holds compile_commands.json, which clang-tidy reads).
# clang-tidy reads the code Isobar ships (models, charts, server, desktop, app); --all adds the
# tests and benchmarks. Each translation unit parses Qt's headers under every check: the whole
# tree takes over half an hour on two cores, the shipped code about 15 minutes, which keeps CI
# well inside its time. Run --all before committing changes to tests or benchmarks.
set -euo pipefail
cd "$(dirname "$0")/.."
tidy=yes
folders="models|charts|server|desktop|app"
case "${1:-}" in
--skip-tidy)
    tidy=no
    shift
    ;;
--all)
    folders="$folders|tests|bench"
    shift
    ;;
esac
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
# Every translation unit of ours in those folders that the build compiles (generated moc files
# are Qt's).
echo "check-style: clang-tidy (.clang-tidy) on $folders"
run-clang-tidy -p "$build" -quiet -j "$(nproc)" \
    "^$(pwd)/($folders)/.*\\.cpp$" > "$build/clang-tidy.log" 2>&1 \
    || { grep -E 'warning:|error:' "$build/clang-tidy.log" | sort -u; exit 1; }
echo "check-style: clean"

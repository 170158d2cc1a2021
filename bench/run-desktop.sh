#!/usr/bin/env bash
# Desktop benchmarks: the Metrics page's first chart on a 10-million-point store, and the world
# map's frame time while panning with 50,000 cells.
#
#   bench/run-desktop.sh                   # BUILD_DIR=build, RUNS=10
#   BUILD_DIR=build-release RUNS=30 bench/run-desktop.sh
#
# Uses the API benchmark's store (bench/out/api/store.db, 2,000 series x 5,000 days), generating
# it with bench_generate_store when missing, exactly as bench/run-api.sh does. Then
# bench_desktop_first_chart opens it in a fresh MetricsPage per run (offscreen unless a display
# is set) and prints openDatabase -> first chart painted (target < 300 ms) against a plain QtSql
# read of the same series in the same run. Then bench_map_panning pans a 1440x900 map holding
# CELLS (50,000) cells placed by city population at four zoom levels and prints p50/p99 frame
# times (target < 16 ms) against the same frames with outlines only. Output also in
# bench/out/desktop/result.txt and map.txt.
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
GENERATE="$BUILD_DIR/bin/bench_generate_store"
BENCH="$BUILD_DIR/bin/bench_desktop_first_chart"
MAP_BENCH="$BUILD_DIR/bin/bench_map_panning"
CELLS="${CELLS:-50000}"
RUNS="${RUNS:-10}"
GEOGRAPHIES="${GEOGRAPHIES:-100}"
DAYS="${DAYS:-5000}"
API_OUT="$ROOT/bench/out/api"
STORE="${STORE:-$API_OUT/store.db}"
OUT="$ROOT/bench/out/desktop"

require_built "$GENERATE" "$BENCH" "$MAP_BENCH"
mkdir -p "$OUT" "$API_OUT"

if [ ! -s "$STORE" ]; then
    echo "== generating $STORE ($((GEOGRAPHIES * 20)) series x $DAYS days)"
    "$GENERATE" --database "$STORE" --geographies "$GEOGRAPHIES" --days "$DAYS" | tee "$API_OUT/generate.txt"
else
    echo "== reusing $STORE; it was generated as:"
    cat "$API_OUT/generate.txt" 2>/dev/null || true
fi

[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] || export QT_QPA_PLATFORM=offscreen
echo "== desktop first chart, $RUNS runs, $(load)"
"$BENCH" --database "$STORE" --runs "$RUNS" 2>"$OUT/bench.log" | tee "$OUT/result.txt"

echo
echo "== map panning, $CELLS cells, $(load)"
"$MAP_BENCH" --cities "$ROOT/bench/data/cities.csv" --cells "$CELLS" 2>"$OUT/map.log" \
    | tee "$OUT/map.txt"

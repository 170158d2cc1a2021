#!/usr/bin/env bash
# Ingest benchmark: `isobar ingest` against `sqlite3 .import` of the same CSV, same run.
#
#   bench/run-ingest.sh                    # BUILD_DIR=build, about 1 million rows
#   BUILD_DIR=build-release COPIES=10 bench/run-ingest.sh
#
# The bundled respiratory CSV (data/ukhsa/respiratory_2023.csv, ~24k rows) is replicated
# COPIES times (default 42: ~1.0 million rows); copy k renames every geography ("England 07")
# so each row is a distinct point of a distinct series and nothing is deduplicated away.
# Both sides are timed as whole processes on a fresh database file: Isobar validates,
# normalises into the dimension and fact tables and upserts; sqlite3 only copies text into
# one flat table. Prints rows/s of each and their ratio (target: Isobar >= 0.5x).
# Output and the generated files go to bench/out/ingest/ (git-ignored).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-build}"
case "$BUILD_DIR" in /*) ;; *) BUILD_DIR="$ROOT/$BUILD_DIR" ;; esac
ISOBAR="$BUILD_DIR/bin/isobar"
COPIES="${COPIES:-42}"
SOURCE="${SOURCE:-$ROOT/data/ukhsa/respiratory_2023.csv}"
OUT="$ROOT/bench/out/ingest"

[ -x "$ISOBAR" ] || { echo "missing $ISOBAR: build first (BUILD_DIR=$BUILD_DIR)" >&2; exit 2; }
command -v sqlite3 >/dev/null || { echo "missing sqlite3 (apt-get install sqlite3)" >&2; exit 2; }
mkdir -p "$OUT"

CSV="$OUT/respiratory_x$COPIES.csv"
if [ ! -s "$CSV" ] || [ "$CSV" -ot "$SOURCE" ]; then
    # The source has no quoted fields, so splitting on commas is exact.
    awk -F, -v OFS=, -v copies="$COPIES" '
        NR == 1 { print; next }
        { rows[++n] = $0 }
        END {
            for (k = 0; k < copies; ++k)
                for (i = 1; i <= n; ++i) {
                    $0 = rows[i]
                    if (k > 0) $5 = $5 sprintf(" %02d", k)
                    print
                }
        }' "$SOURCE" > "$CSV.tmp"
    mv "$CSV.tmp" "$CSV"
fi
ROWS=$(($(wc -l < "$CSV") - 1))

now() { date +%s.%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { print b - a }'; }

echo "== ingest benchmark: $ROWS CSV rows ($(du -m "$CSV" | cut -f1) MiB), $(nproc) cores"
echo "load before: $(uptime | sed 's/.*load average: //')"

# (a) Isobar: validation, dimension lookups, upserts, one transaction per file.
rm -f "$OUT/isobar.db" "$OUT/isobar.db-wal" "$OUT/isobar.db-shm"
start=$(now)
"$ISOBAR" ingest --database "$OUT/isobar.db" "$CSV" > "$OUT/isobar-ingest.log" 2>&1
end=$(now)
ISOBAR_S=$(seconds "$start" "$end")
sed 's/^/  isobar: /' "$OUT/isobar-ingest.log" | tail -4

# (b) Reference: the sqlite3 shell's CSV import into one flat table (its own transaction).
rm -f "$OUT/flat.db"
start=$(now)
sqlite3 "$OUT/flat.db" ".import --csv '$CSV' flat"
end=$(now)
FLAT_S=$(seconds "$start" "$end")
FLAT_ROWS=$(sqlite3 "$OUT/flat.db" "SELECT COUNT(*) FROM flat")

echo "load after: $(uptime | sed 's/.*load average: //')"
awk -v rows="$ROWS" -v flatRows="$FLAT_ROWS" -v a="$ISOBAR_S" -v b="$FLAT_S" 'BEGIN {
    printf "%-28s %10s %10s %12s\n", "", "rows", "seconds", "rows/s"
    printf "%-28s %10d %10.2f %12.0f\n", "isobar ingest", rows, a, rows / a
    printf "%-28s %10d %10.2f %12.0f\n", "sqlite3 .import (flat)", flatRows, b, flatRows / b
    ratio = (rows / a) / (flatRows / b)
    printf "ratio isobar/sqlite3: %.2f (target >= 0.50: %s)\n", ratio, (ratio >= 0.5 ? "met" : "missed")
}' | tee "$OUT/result.txt"

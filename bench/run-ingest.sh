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
# one flat table. Prints rows/s of each and their ratio (target: Isobar >= 0.8x).
#
# Then the same file into PostgreSQL, when its server binaries are installed (pg_ctl on PATH or
# /usr/lib/postgresql/15/bin; SKIP_POSTGRESQL=1 skips it): one throwaway cluster
# (tests/support/postgres-server.sh: loopback, trust authentication, fsync off), two fresh
# databases in it, `isobar ingest --database postgresql://...` against psql's `\copy` of the
# file into a flat table of text columns (target: Isobar >= 0.5x again).
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
    printf "ratio isobar/sqlite3: %.2f (target >= 0.80: %s)\n", ratio, (ratio >= 0.8 ? "met" : "missed")
}' | tee "$OUT/result.txt"

# --- PostgreSQL ------------------------------------------------------------------------------
if [ -n "${SKIP_POSTGRESQL:-}" ]; then
    exit 0
fi
if ! command -v pg_ctl >/dev/null && [ ! -x /usr/lib/postgresql/15/bin/pg_ctl ]; then
    echo "PostgreSQL part skipped: no pg_ctl (packaging/install-deps.sh installs postgresql-15)"
    exit 0
fi
command -v psql >/dev/null || { echo "missing psql (apt-get install postgresql-client)" >&2; exit 2; }

CLUSTER="$OUT/postgresql"
POSTGRES_SERVER="$ROOT/tests/support/postgres-server.sh"
trap '"$POSTGRES_SERVER" stop "$CLUSTER"' EXIT
echo
echo "== the same file into PostgreSQL"
"$POSTGRES_SERVER" start "$CLUSTER"
# The cluster trusts loopback connections: no password anywhere, on a command line or not.
SERVER_URL="$(cat "$CLUSTER/url")"
BASE_URL="${SERVER_URL%/*}"
pg() { psql -X -q -v ON_ERROR_STOP=1 "$@"; } # database URL, then psql's arguments
pg "$SERVER_URL" -c "CREATE DATABASE isobar_ingest" -c "CREATE DATABASE flat"
# The flat table: the CSV's own columns, all text.
FLAT_COLUMNS="$(head -1 "$CSV" | tr -d '\r' | sed 's/,/ text, /g; s/$/ text/')"
pg "$BASE_URL/flat" -c "CREATE TABLE flat ($FLAT_COLUMNS)"
echo "load before: $(uptime | sed 's/.*load average: //')"

# (c) Isobar: the same command, the store a PostgreSQL database (migrated on first open).
pg "$SERVER_URL" -c CHECKPOINT
start=$(now)
"$ISOBAR" ingest --database "$BASE_URL/isobar_ingest" "$CSV" > "$OUT/isobar-ingest-postgresql.log" 2>&1
end=$(now)
PG_ISOBAR_S=$(seconds "$start" "$end")
sed 's/^/  isobar: /' "$OUT/isobar-ingest-postgresql.log" | tail -4
PG_POINTS=$(pg "$BASE_URL/isobar_ingest" -At -c "SELECT count(*) FROM point")

# (d) Reference: psql's \copy, the file streamed from the client as Isobar's rows are.
pg "$SERVER_URL" -c CHECKPOINT
start=$(now)
pg "$BASE_URL/flat" -c "\\copy flat FROM '$CSV' WITH (FORMAT csv, HEADER true)"
end=$(now)
PG_FLAT_S=$(seconds "$start" "$end")
PG_FLAT_ROWS=$(pg "$BASE_URL/flat" -At -c "SELECT count(*) FROM flat")

echo "load after: $(uptime | sed 's/.*load average: //')"
awk -v rows="$ROWS" -v points="$PG_POINTS" -v flatRows="$PG_FLAT_ROWS" -v a="$PG_ISOBAR_S" \
    -v b="$PG_FLAT_S" 'BEGIN {
    printf "%-28s %10s %10s %12s\n", "PostgreSQL", "rows", "seconds", "rows/s"
    printf "%-28s %10d %10.2f %12.0f\n", "isobar ingest", rows, a, rows / a
    printf "%-28s %10d %10.2f %12.0f\n", "psql \\copy (flat)", flatRows, b, flatRows / b
    printf "points stored by isobar: %d\n", points
    ratio = (rows / a) / (flatRows / b)
    printf "ratio isobar/psql: %.2f (target >= 0.50: %s)\n", ratio, (ratio >= 0.5 ? "met" : "missed")
}' | tee -a "$OUT/result.txt"

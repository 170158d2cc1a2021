#!/usr/bin/env bash
# Metrics API reads from PostgreSQL against the same reads from SQLite, same data, same run.
#
#   bench/run-api-postgresql.sh            # BUILD_DIR=build, DURATION=15s, CONNECTIONS=32
#   BUILD_DIR=build-release DURATION=30s bench/run-api-postgresql.sh
#   REGENERATE=1 bench/run-api-postgresql.sh   # a new SQLite store (else it is reused)
#
# 1. bench_generate_store writes the API benchmark's store (2,000 series x 5,000 days = 10
#    million points, GEOGRAPHIES=100, DAYS=5000) into bench/out/api-postgresql/store.db.
# 2. A throwaway PostgreSQL cluster (tests/support/postgres-server.sh: loopback, trust
#    authentication, fsync off, otherwise PostgreSQL's defaults); `isobar ingest` on an empty
#    folder creates the schema through the project's own migrations, then every metrics table
#    is copied row for row from the SQLite file (`sqlite3 -csv` into psql's `\copy`), the
#    identity sequences are moved past the copied ids, the data version is set as the generator
#    sets it, and VACUUM ANALYZE leaves the tables as autovacuum would. The two servers must
#    then give byte-identical answers to a time-series and a tables request, or the run stops.
# 3. Two `isobar serve --response-cache-entries 0`, one on each store, so every request runs
#    its query, and wrk (-t$THREADS -c$CONNECTIONS --latency) on each, SQLite first:
#    - timeseries: GET .../metrics/{metric}?year=Y&page_size=365, a random series and year;
#    - tables:     POST /api/tables/v4, one plot of a random series over a random year.
# Prints requests/s, p50 and p99 of each and the ratios PostgreSQL / SQLite. The PostgreSQL
# server's backends run on the same cores as isobar and wrk. Output: bench/out/api-postgresql/.
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
GENERATE="$BUILD_DIR/bin/bench_generate_store"
DURATION="${DURATION:-15s}"
CONNECTIONS="${CONNECTIONS:-32}"
THREADS="${THREADS:-2}"
GEOGRAPHIES="${GEOGRAPHIES:-100}"
DAYS="${DAYS:-5000}"
PORT="${PORT:-18510}"
POSTGRESQL_PORT=$((PORT + 1))
OUT="$ROOT/bench/out/api-postgresql"
STORE="${STORE:-$OUT/store.db}"
CLUSTER="$OUT/postgresql"
POSTGRES_SERVER="$ROOT/tests/support/postgres-server.sh"
export BENCH_WRK_DIR="$ROOT/bench/wrk"

require_built "$ISOBAR" "$GENERATE"
require_commands wrk curl sqlite3 psql
if ! command -v pg_ctl >/dev/null && [ ! -x /usr/lib/postgresql/15/bin/pg_ctl ]; then
    echo "missing pg_ctl (packaging/install-deps.sh installs postgresql-15)" >&2
    exit 2
fi
mkdir -p "$OUT"
# The servers stop before their cluster does.
trap 'cleanup; "$POSTGRES_SERVER" stop "$CLUSTER"' EXIT

now() { date +%s.%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# --- the SQLite store ----------------------------------------------------------------------
if [ -n "${REGENERATE:-}" ] || [ ! -s "$STORE" ]; then
    rm -f "$STORE" "$STORE-wal" "$STORE-shm"
    echo "== generating $STORE ($((GEOGRAPHIES * 20)) series x $DAYS days)"
    "$GENERATE" --database "$STORE" --geographies "$GEOGRAPHIES" --days "$DAYS" | tee "$OUT/generate.txt"
else
    echo "== reusing $STORE (REGENERATE=1 rebuilds it); it was generated as:"
    cat "$OUT/generate.txt" 2>/dev/null || true
fi

# --- the same rows in PostgreSQL ---------------------------------------------------------
echo "== copying it into PostgreSQL ($(load))"
"$POSTGRES_SERVER" start "$CLUSTER"
# Trust authentication on loopback: no password, on a command line or anywhere else.
DATABASE_URL="$(cat "$CLUSTER/url")"
pg() { psql -X -q -v ON_ERROR_STOP=1 "$DATABASE_URL" "$@"; }
mkdir "$WORK_DIR/empty"
"$ISOBAR" ingest --database "$DATABASE_URL" "$WORK_DIR/empty" > "$OUT/migrate.log" 2>&1 \
    || { cat "$OUT/migrate.log" >&2; exit 1; }
start=$(now)
for table in theme sub_theme topic metric geography series point headline; do
    # Both schemas come from the same migrations: the SQLite file's column names are
    # PostgreSQL's. An unquoted empty field is NULL in both CSV dialects.
    columns="$(sqlite3 "$STORE" "SELECT group_concat(name, ', ') FROM pragma_table_info('$table')")"
    sqlite3 -csv "$STORE" "SELECT $columns FROM $table" \
        | pg -c "\\copy $table ($columns) FROM pstdin WITH (FORMAT csv)"
done
for table in theme sub_theme topic metric geography series; do
    pg -c "SELECT setval(pg_get_serial_sequence('$table', 'id'), max(id)) FROM $table" > /dev/null
done
pg -c "UPDATE store_state SET value = $(sqlite3 "$STORE" \
    "SELECT value FROM store_state WHERE key = 'data_version'") WHERE key = 'data_version'"
pg -c "VACUUM (ANALYZE)"
COPY_S=$(seconds "$start" "$(now)")
POINTS=$(pg -At -c "SELECT count(*) FROM point")
POINT_MB=$(pg -At -c "SELECT pg_total_relation_size('point') / 1048576")
echo "copied $POINTS points in $COPY_S s (table and index: $POINT_MB MiB)"

# --- the servers -------------------------------------------------------------------------
SERVE_FLAGS=(--bind 127.0.0.1 --no-auth --rate-limit 0 --response-cache-entries 0)
"$ISOBAR" serve "${SERVE_FLAGS[@]}" --port "$PORT" --database "$STORE" > "$OUT/serve-sqlite.log" 2>&1 &
PIDS+=($!)
"$ISOBAR" serve "${SERVE_FLAGS[@]}" --port "$POSTGRESQL_PORT" --database "$DATABASE_URL" \
    > "$OUT/serve-postgresql.log" 2>&1 &
PIDS+=($!)
wait_for "http://127.0.0.1:$PORT/health"
wait_for "http://127.0.0.1:$POSTGRESQL_PORT/health"

# One request of each kind on both: the same bytes, or the copy lost something.
TIMESERIES_PATH="/api/public/timeseries/themes/infectious_disease/sub_themes/respiratory/topics/COVID-19/geography_types/Nation/geographies/England/metrics/COVID-19_cases_casesByDay?year=2023&page_size=365"
TABLE_BODY='{"plots": [{"topic": "RSV", "metric": "RSV_cases_countByDay", "geography": "London", "geography_type": "UKHSA Region", "date_from": "2015-01-01", "date_to": "2015-12-31"}], "x_axis": "date"}'
for engine in sqlite postgresql; do
    port=$PORT
    [ "$engine" = postgresql ] && port=$POSTGRESQL_PORT
    curl -fsS -o "$OUT/timeseries-$engine.json" "http://127.0.0.1:$port$TIMESERIES_PATH"
    curl -fsS -o "$OUT/tables-$engine.json" -H 'Content-Type: application/json' \
        --data "$TABLE_BODY" "http://127.0.0.1:$port/api/tables/v4"
done
for answer in timeseries tables; do
    cmp -s "$OUT/$answer-sqlite.json" "$OUT/$answer-postgresql.json" \
        || { echo "$answer: the engines answered differently (see $OUT/$answer-*.json)" >&2; exit 1; }
done
echo "same answers from both engines: timeseries $(wc -c < "$OUT/timeseries-sqlite.json") bytes," \
    "tables $(wc -c < "$OUT/tables-sqlite.json") bytes"

# --- the runs ----------------------------------------------------------------------------
W="$BENCH_WRK_DIR"
echo "== wrk -t$THREADS -c$CONNECTIONS -d$DURATION on $(nproc) cores"
bench sqlite-timeseries "http://127.0.0.1:$PORT/" -s "$W/timeseries-random.lua"
bench postgresql-timeseries "http://127.0.0.1:$POSTGRESQL_PORT/" -s "$W/timeseries-random.lua"
bench sqlite-tables "http://127.0.0.1:$PORT/api/tables/v4" -s "$W/tables-random.lua"
bench postgresql-tables "http://127.0.0.1:$POSTGRESQL_PORT/api/tables/v4" -s "$W/tables-random.lua"

# --- the figures -------------------------------------------------------------------------
{
    echo
    echo "store: $(grep -m1 '^points:' "$OUT/generate.txt" 2>/dev/null || echo "$STORE");" \
        "PostgreSQL copy: $POINTS points"
    printf "%-24s %10s %9s %9s %8s\n" run "req/s" "p50 ms" "p99 ms" non-2xx
    for endpoint in timeseries tables; do
        read -r s_rps s_p50 s_p99 s_bad _ <<< "$(summary "sqlite-$endpoint")"
        read -r p_rps p_p50 p_p99 p_bad _ <<< "$(summary "postgresql-$endpoint")"
        awk -v e="$endpoint" -v s_rps="$s_rps" -v s_p50="$s_p50" -v s_p99="$s_p99" -v s_bad="$s_bad" \
            -v p_rps="$p_rps" -v p_p50="$p_p50" -v p_p99="$p_p99" -v p_bad="$p_bad" 'BEGIN {
                printf "%-24s %10.0f %9.2f %9.2f %8d\n", "sqlite-" e, s_rps, s_p50, s_p99, s_bad
                printf "%-24s %10.0f %9.2f %9.2f %8d\n", "postgresql-" e, p_rps, p_p50, p_p99, p_bad
                printf "%-24s %10.2f %9.2f %9.2f\n", "ratio PG/SQLite", p_rps / s_rps,
                    p_p50 / s_p50, p_p99 / s_p99
            }'
    done
    echo "every request runs its query (response cache off on both servers)"
    if grep -q 'Non-2xx' "$OUT"/wrk-*.txt; then
        echo "WARNING: some answers were not 2xx; those runs measured errors, not the API"
    fi
} | tee "$OUT/result.txt"

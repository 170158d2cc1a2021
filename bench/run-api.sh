#!/usr/bin/env bash
# API benchmark: `isobar serve` on a 10-million-point store against nginx, same run.
#
#   bench/run-api.sh                       # BUILD_DIR=build, DURATION=15s, CONNECTIONS=32
#   BUILD_DIR=build-release DURATION=30s bench/run-api.sh
#   REGENERATE=1 bench/run-api.sh          # rebuild the store (else bench/out/api/store.db is reused)
#
# 1. bench_generate_store writes 2,000 series x 5,000 days (GEOGRAPHIES=100, DAYS=5000) through
#    the project's own schema and prints how long that took.
# 2. wrk (-t2 -c$CONNECTIONS --latency) runs against:
#    - timeseries: GET .../metrics/{metric}?year=2023&page_size=365 (one series, one year);
#    - tables:     POST /api/tables/v4 with one plot over 2023;
#    each twice: "cached" repeats one request on a default server (answers come from the
#    response cache), "store" asks for a random series and year per request on a server
#    started with --response-cache-entries 0, so every request runs its SQLite query.
#    The reference is nginx answering a fixed body of the same size as the Isobar answer
#    (GET, and POST for tables) from a generated config, with access_log off and NGINX_WORKERS
#    workers (1, as Isobar answers on one thread).
# Prints requests/s, p50 and p99 latency and the server's CPU per request of each, and the
# ratios to nginx (targets: cached, p99 < 5 ms at 32 connections and requests/s >= 0.8 x
# nginx; from the store, p99 < 10 ms and 3 x the 1,578 requests/s first measured). Raw wrk
# output goes to bench/out/api/.
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
GENERATE="$BUILD_DIR/bin/bench_generate_store"
DURATION="${DURATION:-15s}"
CONNECTIONS="${CONNECTIONS:-32}"
THREADS="${THREADS:-2}"
GEOGRAPHIES="${GEOGRAPHIES:-100}"
DAYS="${DAYS:-5000}"
PORT="${PORT:-18480}"
NGINX_PORT=$((PORT + 1))
NOCACHE_PORT=$((PORT + 2))
OUT="$ROOT/bench/out/api"
STORE="${STORE:-$OUT/store.db}"
export BENCH_WRK_DIR="$ROOT/bench/wrk"

require_built "$ISOBAR" "$GENERATE"
require_commands wrk nginx curl
mkdir -p "$OUT"


# --- the store ---------------------------------------------------------------------------
if [ -n "${REGENERATE:-}" ] || [ ! -s "$STORE" ]; then
    rm -f "$STORE" "$STORE-wal" "$STORE-shm"
    echo "== generating $STORE ($((GEOGRAPHIES * 20)) series x $DAYS days)"
    echo "load before: $(uptime | sed 's/.*load average: //')"
    "$GENERATE" --database "$STORE" --geographies "$GEOGRAPHIES" --days "$DAYS" | tee "$OUT/generate.txt"
else
    echo "== reusing $STORE (REGENERATE=1 rebuilds it); it was generated as:"
    cat "$OUT/generate.txt" 2>/dev/null || true
fi

# --- the servers -------------------------------------------------------------------------
SERVE_FLAGS=(--bind 127.0.0.1 --database "$STORE")
# Auth and the per-caller rate limit guard the API; the benchmark measures the API itself,
# from one client address.
SERVE_HELP="$("$ISOBAR" serve --help 2>/dev/null)"
grep -q -- '--no-auth' <<< "$SERVE_HELP" && SERVE_FLAGS+=(--no-auth)
grep -q -- '--rate-limit' <<< "$SERVE_HELP" && SERVE_FLAGS+=(--rate-limit 0)


"$ISOBAR" serve "${SERVE_FLAGS[@]}" --port "$PORT" > "$OUT/serve.log" 2>&1 &
PIDS+=($!)
CACHED_PID=$!
# The first server migrates the store if the schema has grown; the second starts after it.
wait_for "http://127.0.0.1:$PORT/health"
"$ISOBAR" serve "${SERVE_FLAGS[@]}" --port "$NOCACHE_PORT" --response-cache-entries 0 \
    > "$OUT/serve-nocache.log" 2>&1 &
PIDS+=($!)
NOCACHE_PID=$!
wait_for "http://127.0.0.1:$NOCACHE_PORT/health"

TIMESERIES_PATH="/api/public/timeseries/themes/infectious_disease/sub_themes/respiratory/topics/COVID-19/geography_types/Nation/geographies/England/metrics/COVID-19_cases_casesByDay?year=2023&page_size=365"
export BENCH_TABLE_BODY='{"plots": [{"topic": "COVID-19", "metric": "COVID-19_cases_casesByDay", "geography": "England", "geography_type": "Nation", "date_from": "2023-01-01", "date_to": "2023-12-31"}], "x_axis": "date"}'

curl -fsS -o "$OUT/timeseries.json" "http://127.0.0.1:$PORT$TIMESERIES_PATH"
curl -fsS -o "$OUT/tables.json" -H 'Content-Type: application/json' --data "$BENCH_TABLE_BODY" \
    "http://127.0.0.1:$PORT/api/tables/v4"
TIMESERIES_BYTES=$(wc -c < "$OUT/timeseries.json")
TABLES_BYTES=$(wc -c < "$OUT/tables.json")
TIMESERIES_COUNT=$(grep -o '"date"' "$OUT/timeseries.json" | wc -l)
TABLES_COUNT=$(grep -o '"reference"' "$OUT/tables.json" | wc -l)
echo "timeseries answer: $TIMESERIES_BYTES bytes, $TIMESERIES_COUNT points"
echo "tables answer:     $TABLES_BYTES bytes, $TABLES_COUNT rows"

start_nginx "$NGINX_PORT" "$OUT/timeseries.json" "$OUT/tables.json"
NGINX_TABLES_BYTES=$(curl -fsS -X POST -H 'Content-Type: application/json' --data "$BENCH_TABLE_BODY" \
    "http://127.0.0.1:$NGINX_PORT/tables.json" | wc -c)
[ "$NGINX_TABLES_BYTES" = "$TABLES_BYTES" ] || { echo "nginx POST answered $NGINX_TABLES_BYTES bytes" >&2; exit 1; }

# --- the runs ----------------------------------------------------------------------------
W="$BENCH_WRK_DIR"
echo "== wrk -t$THREADS -c$CONNECTIONS -d$DURATION on $(nproc) cores"
CPU_PID=$NGINX_PID bench nginx-timeseries "http://127.0.0.1:$NGINX_PORT/timeseries.json"
CPU_PID=$CACHED_PID bench isobar-timeseries-cached "http://127.0.0.1:$PORT$TIMESERIES_PATH"
# A reader thread looks up a series' names on its first read of it (2,000 series here): a short
# pass first, so that the store runs measure the steady state.
wrk -t"$THREADS" -c"$CONNECTIONS" -d3s "http://127.0.0.1:$NOCACHE_PORT/" -s "$W/timeseries-random.lua" \
    > /dev/null
CPU_PID=$NOCACHE_PID bench isobar-timeseries-store "http://127.0.0.1:$NOCACHE_PORT/" -s "$W/timeseries-random.lua"
CPU_PID=$NGINX_PID bench nginx-tables "http://127.0.0.1:$NGINX_PORT/tables.json" -s "$W/tables.lua"
CPU_PID=$CACHED_PID bench isobar-tables-cached "http://127.0.0.1:$PORT/api/tables/v4" -s "$W/tables.lua"
CPU_PID=$NOCACHE_PID bench isobar-tables-store "http://127.0.0.1:$NOCACHE_PORT/api/tables/v4" -s "$W/tables-random.lua"

# --- the figures -------------------------------------------------------------------------
# wrk prints latencies with a unit (us, ms, s); everything below is in milliseconds.

{
    echo
    echo "store: $(grep -m1 '^points:' "$OUT/generate.txt" 2>/dev/null || echo "$STORE")"
    printf "%-26s %10s %9s %9s %8s %10s %10s %10s %10s\n" run "req/s" "p50 ms" "p99 ms" non-2xx \
        "req/s÷ng" "p99 target" "CPU us/req" "ng÷CPU"
    for endpoint in timeseries tables; do
        read -r ref_rps ref_p50 ref_p99 ref_bad _ <<< "$(summary nginx-$endpoint)"
        ref_cpu="$(cpu_per_request nginx-$endpoint)"
        printf "%-26s %10.0f %9.2f %9.2f %8d %10s %10s %10s %10s\n" "nginx-$endpoint" "$ref_rps" \
            "$ref_p50" "$ref_p99" "$ref_bad" "1.00" "-" "$ref_cpu" "1.00"
        for mode in cached store; do
            read -r rps p50 p99 bad _ <<< "$(summary isobar-$endpoint-$mode)"
            # Cached answers are held to 5 ms, answers read from the store to 10 ms.
            awk -v n="isobar-$endpoint-$mode" -v rps="$rps" -v p50="$p50" -v p99="$p99" -v bad="$bad" \
                -v ref="$ref_rps" -v cpu="$(cpu_per_request "isobar-$endpoint-$mode")" \
                -v ref_cpu="$ref_cpu" -v target="$([ "$mode" = cached ] && echo 5 || echo 10)" 'BEGIN {
                    printf "%-26s %10.0f %9.2f %9.2f %8d %10.2f %10s %10.1f %10.2f\n", n, rps, p50,
                        p99, bad, rps / ref, (p99 < target ? "yes" : "no"), cpu, ref_cpu / cpu
                }'
        done
    done
    echo "targets: p99 < 5 ms cached, < 10 ms from the store, at $CONNECTIONS connections;"
    echo "req/s >= 0.8 x nginx with $NGINX_WORKERS worker(s) cached (column req/s÷ng), >= 4,734 from the store (3 x 1,578)"
    if grep -q 'Non-2xx' "$OUT"/wrk-*.txt; then
        echo "WARNING: some answers were not 2xx; those runs measured errors, not the API"
    fi
} | tee "$OUT/result.txt"

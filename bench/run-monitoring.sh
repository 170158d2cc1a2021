#!/usr/bin/env bash
# Monitoring benchmarks (issue 5): what recording every request costs, how fast the request log
# is written, and how fast the stats read it back.
#
#   bench/run-monitoring.sh                      # BUILD_DIR=build, DURATION=15s, CONNECTIONS=64
#   BUILD_DIR=build-release DURATION=30s bench/run-monitoring.sh
#   SKIP_HTTP=1 bench/run-monitoring.sh          # the store parts only
#   SKIP_STORE=1 bench/run-monitoring.sh         # the capture cost only
#   REGENERATE=1 bench/run-monitoring.sh         # rebuild the 30-day stats store
#
# 1. Capture cost: `isobar accuweather-sandbox` and two `isobar serve --no-auth --rate-limit 0`
#    against it, one with --request-log true, one with --request-log false. One /prcpt position
#    is warmed on each, then wrk (-t$THREADS -c$CONNECTIONS --latency) runs on, off, on, off
#    (ROUNDS=2) so drift on a shared machine hits both sides. Prints requests/s, p50 and p99 of
#    each run, the means, and the cost of capture in % of requests/s (target: under 5%). Then
#    reads the capturing server's /metrics (events written and dropped) and sums the requests
#    its minute roll-ups hold.
# 2. bench_monitoring_store writer: EVENTS (500,000) realistic events through RequestLogWriter in
#    batches of 1,000 against a plain prepared INSERT of the same events into a flat table.
# 3. bench_monitoring_store stats: a store of DAYS (30) x PER_DAY (1,000,000) requests, the last
#    RAW_DAYS (7) through RequestLogWriter and as rows of a flat table, the older days as hour
#    and day roll-ups only (kept in bench/out/monitoring/stats.db and reused); RequestStats over
#    1 h, 24 h, 7 d and 30 d (p50 of RUNS), against the 7-day summary computed by GROUP BY over
#    the flat rows.
# Everything goes to bench/out/monitoring/ (result.txt holds the figures).
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
STORE_BENCH="$BUILD_DIR/bin/bench_monitoring_store"
DURATION="${DURATION:-15s}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
ROUNDS="${ROUNDS:-2}"
EVENTS="${EVENTS:-500000}"
DAYS="${DAYS:-30}"
PER_DAY="${PER_DAY:-1000000}"
RAW_DAYS="${RAW_DAYS:-7}"
RUNS="${RUNS:-5}"
CITIES="${CITIES:-$ROOT/bench/data/cities-300.csv}"
PORT="${PORT:-18500}"
SANDBOX_PORT="$PORT"
ON_PORT=$((PORT + 1))
OFF_PORT=$((PORT + 2))
# Paris: one position, so every request after the first is a cache hit.
PRCPT_PATH="/prcpt?lt=48.8566&lg=2.3522"
OUT="$ROOT/bench/out/monitoring"
STATS_STORE="${STATS_STORE:-$OUT/stats.db}"

# The store parts need only their bench; the capture cost needs the application too.
[ -n "${SKIP_STORE:-}" ] || require_built "$STORE_BENCH"
[ -n "${SKIP_HTTP:-}" ] || { require_built "$ISOBAR"; require_commands wrk curl sqlite3; }
mkdir -p "$OUT"
: > "$OUT/result.txt"



# --- 1. capture cost ---------------------------------------------------------------------
if [ -z "${SKIP_HTTP:-}" ]; then

    # A fresh key per run: the sandbox reads it from the environment, serve from its own variable.
    SANDBOX_KEY="bench-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
    ISOBAR_SANDBOX_API_KEY="$SANDBOX_KEY" "$ISOBAR" accuweather-sandbox --port "$SANDBOX_PORT" \
        > "$OUT/sandbox.log" 2>&1 &
    PIDS+=($!)

    serve() { # port log capture
        ISOBAR_ACCUWEATHER_URL="http://127.0.0.1:$SANDBOX_PORT" ISOBAR_ACCUWEATHER_API_KEY="$SANDBOX_KEY" \
            "$ISOBAR" serve --bind 127.0.0.1 --port "$1" --database "$WORK_DIR/serve-$1.db" \
            --no-auth --rate-limit 0 --request-log "$3" > "$2" 2>&1 &
        PIDS+=($!)
    }
    serve "$ON_PORT" "$OUT/serve-capture-on.log" true
    ON_PID=$!
    serve "$OFF_PORT" "$OUT/serve-capture-off.log" false
    OFF_PID=$!
    wait_for "http://127.0.0.1:$ON_PORT/health"
    wait_for "http://127.0.0.1:$OFF_PORT/health"
    curl -fsS -o "$OUT/prcpt-on.json" "http://127.0.0.1:$ON_PORT$PRCPT_PATH"
    curl -fsS -o "$OUT/prcpt-off.json" "http://127.0.0.1:$OFF_PORT$PRCPT_PATH"
    cmp -s "$OUT/prcpt-on.json" "$OUT/prcpt-off.json" || { echo "the two servers answer differently" >&2; exit 1; }
    echo "/prcpt answer: $(wc -c < "$OUT/prcpt-on.json") bytes: $(cat "$OUT/prcpt-on.json")"

    # CPU time a process has used (all threads, the writer's included), in ms: a figure that other
    # load on a shared machine disturbs far less than requests/s.
    TICKS=$(getconf CLK_TCK)
    cpu_ms() { awk -v tick="$TICKS" '{ print int(($14 + $15) * 1000 / tick) }' "/proc/$1/stat"; }

    capture_run() { # name port pid
        local cpu_before
        cpu_before=$(cpu_ms "$3")
        bench "$1" "http://127.0.0.1:$2$PRCPT_PATH"
        # The writer must not still be busy with this run's events during the next one: that
        # would bill capture to the other server. How far behind it was is part of the figures.
        local depth start
        depth=$(queue_depth)
        start=$(date +%s%N)
        for _ in $(seq 1 600); do
            [ "$(queue_depth)" = 0 ] && break
            sleep 0.1
        done
        echo "   request log queue at the end: $depth events, empty $(awk -v ns=$(($(date +%s%N) - start)) 'BEGIN { printf "%.1f", ns / 1e9 }') s later"
        echo $(($(cpu_ms "$3") - cpu_before)) > "$OUT/cpu-$1.txt"
        echo "   server CPU: $(cat "$OUT/cpu-$1.txt") ms"
        sleep 2
    }

    queue_depth() {
        curl -fsS "http://127.0.0.1:$ON_PORT/metrics" | awk '$1 == "isobar_request_events_queue_depth" { print $2 }'
    }

    echo "== /prcpt warm cache, capture on and off: wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $ROUNDS rounds on $(nproc) cores"
    RUN_NAMES=()
    for round in $(seq 1 "$ROUNDS"); do
        capture_run "capture-on-$round" "$ON_PORT" "$ON_PID"
        capture_run "capture-off-$round" "$OFF_PORT" "$OFF_PID"
        RUN_NAMES+=("capture-on-$round" "capture-off-$round")
    done

    # The writer may still be draining what the last run queued: wait until the queue is empty.
    metrics_value() { grep -E "^$1(\{\})? " "$OUT/metrics-on.txt" | awk '{print $2}'; }
    for _ in $(seq 1 100); do
        curl -fsS -o "$OUT/metrics-on.txt" "http://127.0.0.1:$ON_PORT/metrics"
        [ "$(metrics_value isobar_request_events_queue_depth)" = 0 ] && break
        sleep 0.2
    done
    curl -fsS -o "$OUT/metrics-off.txt" "http://127.0.0.1:$OFF_PORT/metrics"
    LOGGED=$(sqlite3 "$WORK_DIR/serve-$ON_PORT.db" "SELECT sum(requests) FROM rollup_endpoint_minute")

    # wrk prints latencies with a unit (us, ms, s); everything below is in milliseconds.
    {
        echo
        echo "== capture cost: /prcpt warm cache, wrk -t$THREADS -c$CONNECTIONS -d$DURATION"
        for name in "${RUN_NAMES[@]}"; do echo "$name $(summary "$name") $(cat "$OUT/cpu-$name.txt")"; done | awk '
            # name rps p50 p99 non2xx requests cpu_ms
            {
                side = ($1 ~ /-on-/) ? "on" : "off"
                percpu = $7 * 1000 / $6 # server CPU microseconds per request
                rps[side] += $2; p50[side] += $3; p99[side] += $4; bad[side] += $5
                req[side] += $6; cpums[side] += $7; n[side]++
                printf "%-16s %10.0f %9.2f %9.2f %8d %12.1f\n", $1, $2, $3, $4, $5, percpu
            }
            BEGIN {
                printf "%-16s %10s %9s %9s %8s %12s\n", "run", "req/s", "p50 ms", "p99 ms", "non-2xx", "CPU us/req"
            }
            END {
                for (s in n) { rps[s] /= n[s]; p50[s] /= n[s]; p99[s] /= n[s]; cpu[s] = cpums[s] * 1000 / req[s] }
                printf "%-16s %10.0f %9.2f %9.2f %8d %12.1f\n", "mean capture on", rps["on"], p50["on"], p99["on"], bad["on"], cpu["on"]
                printf "%-16s %10.0f %9.2f %9.2f %8d %12.1f\n", "mean capture off", rps["off"], p50["off"], p99["off"], bad["off"], cpu["off"]
                cost = 100 * (1 - rps["on"] / rps["off"])
                printf "capture cost: %.1f%% of requests/s (target: under 5%%: %s); p99 %.2f ms vs %.2f ms\n",
                    cost, (cost < 5 ? "met" : "NOT met"), p99["on"], p99["off"]
                printf "server CPU per request: %.1f us on, %.1f us off: capture adds %.1f%% (writer thread included)\n",
                    cpu["on"], cpu["off"], 100 * (cpu["on"] / cpu["off"] - 1)
            }'
        SENT=0
        for name in "${RUN_NAMES[@]}"; do
            case "$name" in capture-on-*) SENT=$((SENT + $(summary "$name" | awk '{print $5}'))) ;; esac
        done
        echo "capturing server: requests answered by wrk runs $SENT," \
            "isobar_request_events_written_total $(metrics_value isobar_request_events_written_total)," \
            "isobar_request_events_dropped_total $(metrics_value isobar_request_events_dropped_total)," \
            "queue depth $(metrics_value isobar_request_events_queue_depth), requests in its minute roll-ups $LOGGED"
        if grep -q 'Non-2xx' "$OUT"/wrk-capture-*.txt; then
            echo "WARNING: some answers were not 2xx; those runs measured errors, not the API"
        fi
    } | tee -a "$OUT/result.txt"
    stop_processes
    echo
fi

# --- 2 and 3. the request log store ------------------------------------------------------
if [ -z "${SKIP_STORE:-}" ]; then
    echo "== writer rate ($(load))"
    "$STORE_BENCH" writer --out "$OUT" --events "$EVENTS" --per-day "$PER_DAY" --cities "$CITIES" \
        | tee -a "$OUT/result.txt"
    echo | tee -a "$OUT/result.txt"
    echo "== stats queries ($(load))"
    "$STORE_BENCH" stats --store "$STATS_STORE" --days "$DAYS" --per-day "$PER_DAY" \
        --raw-days "$RAW_DAYS" --runs "$RUNS" --cities "$CITIES" ${REGENERATE:+--regenerate} \
        | tee -a "$OUT/result.txt"
fi

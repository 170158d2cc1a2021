#!/usr/bin/env bash
# The watches' /prcpt while charts are drawn at full speed beside it (issue 6): charts are drawn
# on the main thread, the HTTP loop runs on its own (docs/CHARTS.md), so watch answers should
# not wait for renders.
#
#   BUILD_DIR=build-release bench/run-prcpt-beside-charts.sh     # DURATION=15s
#
# `isobar serve --no-auth --rate-limit 0 --chart-cache-entries 0` on the sample data, weather
# from the local AccuWeather sandbox. One /prcpt position is warmed; then wrk (-t1
# -c$CONNECTIONS --latency) reads /prcpt alone, and again while a second wrk (-t1
# -c$CHART_CONNECTIONS) posts chart requests (PNG, 515x220, the cache off so each one is drawn).
# Prints /prcpt requests/s, p50 and p99 both ways and the charts drawn per second.
# Target: /prcpt p99 under 5 ms while charts are drawn. Output in bench/out/prcpt-charts/.
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
DURATION="${DURATION:-15s}"
CONNECTIONS="${CONNECTIONS:-32}"
CHART_CONNECTIONS="${CHART_CONNECTIONS:-4}"
PORT="${PORT:-18600}"
SANDBOX_PORT="$PORT"
SERVE_PORT=$((PORT + 1))
OUT="$ROOT/bench/out/prcpt-charts"
PRCPT="http://127.0.0.1:$SERVE_PORT/prcpt?lt=48.8566&lg=2.3522"

require_built "$ISOBAR"
require_commands wrk curl
mkdir -p "$OUT"

"$ISOBAR" ingest --database "$WORK_DIR/store.db" "$ROOT/data/ukhsa" > "$OUT/ingest.txt"
SANDBOX_KEY="bench-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
ISOBAR_SANDBOX_API_KEY="$SANDBOX_KEY" "$ISOBAR" accuweather-sandbox --port "$SANDBOX_PORT" \
    > "$OUT/sandbox.log" 2>&1 &
PIDS+=($!)
ISOBAR_ACCUWEATHER_URL="http://127.0.0.1:$SANDBOX_PORT" ISOBAR_ACCUWEATHER_API_KEY="$SANDBOX_KEY" \
    "$ISOBAR" serve --bind 127.0.0.1 --port "$SERVE_PORT" --database "$WORK_DIR/store.db" \
    --no-auth --rate-limit 0 --chart-cache-entries 0 > "$OUT/serve.log" 2>&1 &
PIDS+=($!)
wait_for "http://127.0.0.1:$SERVE_PORT/health"
curl -fsS -o /dev/null "$PRCPT"

cat > "$WORK_DIR/chart.json" <<'JSON'
{"file_format":"png","chart_width":515,"chart_height":220,"plots":[{"topic":"COVID-19","metric":"COVID-19_cases_casesByDay","geography":"England","geography_type":"Nation","chart_type":"line_with_shaded_section","date_from":"2022-11-01","date_to":"2023-11-08"}]}
JSON
cat > "$WORK_DIR/chart.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = io.open("$WORK_DIR/chart.json"):read("*a")
LUA
curl -fsS -o "$OUT/chart.png" -H 'Content-Type: application/json' --data-binary "@$WORK_DIR/chart.json" \
    "http://127.0.0.1:$SERVE_PORT/api/charts/v2" || { echo "the chart request fails" >&2; exit 1; }

echo "== /prcpt alone, wrk -t1 -c$CONNECTIONS -d$DURATION ($(load))"
wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency "$PRCPT" > "$OUT/wrk-prcpt-alone.txt"
echo "== /prcpt beside charts (wrk -t1 -c$CHART_CONNECTIONS on /api/charts/v2) ($(load))"
wrk -t1 -c"$CHART_CONNECTIONS" -d"$DURATION" -s "$WORK_DIR/chart.lua" \
    "http://127.0.0.1:$SERVE_PORT/api/charts/v2" > "$OUT/wrk-charts.txt" &
charts_pid=$!
sleep 1 # the render queue fills first
wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency "$PRCPT" > "$OUT/wrk-prcpt-beside.txt"
wait "$charts_pid"

{
    printf '%-24s %10s %9s %9s %8s\n' run req/s "p50 ms" "p99 ms" non-2xx
    for run in prcpt-alone prcpt-beside; do
        read -r rps p50 p99 non2xx _ <<< "$(summary "$run")"
        printf '%-24s %10.0f %9.2f %9.2f %8d\n' "$run" "$rps" "$p50" "$p99" "$non2xx"
    done
    read -r chart_rps _ _ chart_non2xx _ <<< "$(summary charts)"
    printf 'charts drawn beside it: %.1f per second (%d refused with 503)\n' "$chart_rps" "$chart_non2xx"
    read -r _ _ p99 _ <<< "$(summary prcpt-beside)"
    awk -v p99="$p99" 'BEGIN { printf "target: /prcpt p99 under 5 ms while charts are drawn: %s\n", (p99 < 5 ? "met" : "missed") }'
} | tee "$OUT/result.txt"

#!/usr/bin/env bash
# Runs every benchmark in turn: ingestion, then the API. Same variables as the scripts it
# calls (BUILD_DIR defaults to build). Each prints its own figures; results also land in
# bench/out/{ingest,api}/result.txt.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
"$HERE/run-ingest.sh"
echo
"$HERE/run-api.sh"
echo
# The same uncached API reads from PostgreSQL against SQLite, same data
# (bench/out/api-postgresql/result.txt).
"$HERE/run-api-postgresql.sh"
echo
# Weather: upstream calls of a simulated day, /prcpt beside nginx, auth on and off
# (bench/out/weather/economy.txt and result.txt).
"$HERE/run-weather.sh"
echo
# Monitoring: capture on/off on /prcpt, request log writer rate, stats over 30 simulated days
# (bench/out/monitoring/result.txt).
"$HERE/run-monitoring.sh"
echo
# Charts: build + render per chart type, PNG and SVG at two sizes, against matplotlib drawing
# the same data (bench/out/charts/result.txt).
"$HERE/run-charts.sh"
echo
# Watches beside charts: /prcpt p50/p99 alone and while charts are drawn at full speed
# (bench/out/prcpt-charts/result.txt).
"$HERE/run-prcpt-beside-charts.sh"
echo
# Desktop: first chart on the 10 M store, map frame time while panning 50,000 cells
# (bench/out/desktop/result.txt and map.txt).
"$HERE/run-desktop.sh"

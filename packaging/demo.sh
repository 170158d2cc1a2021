#!/usr/bin/env bash
# Installs what is missing, builds Isobar, loads the bundled sample data, and opens the desktop
# application on it (its embedded server on localhost) in a desktop session, or serves the API
# on localhost until Ctrl+C without a display (or with ISOBAR_HEADLESS=1). Weather comes from
# the local AccuWeather sandbox, so the whole real upstream path runs offline; set
# ISOBAR_ACCUWEATHER_URL (and a key) to use the real service.
set -euo pipefail
cd "$(dirname "$0")/.."

packaging/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build --target isobar

database="${ISOBAR_DATABASE:-$PWD/build/demo.db}"
build/bin/isobar ingest --database "$database" data/ukhsa

if [ -z "${ISOBAR_ACCUWEATHER_URL:-}" ]; then
    # A throwaway key shared with the sandbox through the environment, never the command line.
    ISOBAR_SANDBOX_API_KEY="demo-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    export ISOBAR_SANDBOX_API_KEY ISOBAR_ACCUWEATHER_API_KEY="$ISOBAR_SANDBOX_API_KEY"
    sandbox_port="${ISOBAR_SANDBOX_PORT:-8089}"
    build/bin/isobar accuweather-sandbox --port "$sandbox_port" &
    sandbox_pid=$!
    trap 'kill "$sandbox_pid" 2>/dev/null || true' EXIT
    export ISOBAR_ACCUWEATHER_URL="http://127.0.0.1:$sandbox_port"
fi

port="${ISOBAR_PORT:-8080}"
export ISOBAR_PORT="$port"
if [ -z "${ISOBAR_HEADLESS:-}" ] && [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    # A desktop session: the window on the sample data, its embedded server on the same port.
    echo
    echo "Opening Isobar; its embedded server answers on http://127.0.0.1:$port/ while it runs."
    build/bin/isobar --database "$database" --start-server --metric COVID-19_cases_casesByDay
    exit 0
fi
echo
echo "Open http://127.0.0.1:$port/api/public/timeseries/themes/ for metrics,"
echo "  or http://127.0.0.1:$port/prcpt?lt=51.5074&lg=-0.1278 for the weather at a position."
# No OpenID Connect provider in a demo: --no-auth opens every route (and says so loudly).
build/bin/isobar serve --no-auth --database "$database" --port "$port" "$@"

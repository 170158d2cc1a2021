#!/usr/bin/env bash
# Installs what is missing, builds Isobar, loads the bundled sample data and serves the API
# on localhost until Ctrl+C.
set -euo pipefail
cd "$(dirname "$0")/.."

packaging/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build --target isobar

database="${ISOBAR_DATABASE:-$PWD/build/demo.db}"
build/bin/isobar ingest --database "$database" data/ukhsa
echo
echo "Open http://127.0.0.1:${ISOBAR_PORT:-8080}/api/public/timeseries/themes/ in a browser."
exec build/bin/isobar serve --database "$database" "$@"

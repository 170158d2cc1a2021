#!/usr/bin/env bash
# The desktop end to end, on a real X server (Xvfb): sample data ingested, traffic recorded by
# a real `isobar serve` checking tokens of a local OpenID Connect provider (watches' weather
# calls from 300 cities through the AccuWeather sandbox under three token subjects, a web
# client reading the metrics API, errors and a forged token), then `isobar` opens that store with
# its embedded server, shows both pages and saves them as OUT/metrics.png and OUT/operations.png
# at 1440x900.
#
#   tests/desktop/end-to-end.sh ISOBAR_BINARY OIDC_PROVIDER_BINARY OUT_DIR
# (ctest runs it; the README's screenshots are its output)
set -euo pipefail

isobar="$1"
provider="$2"
out="$3"
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for() {
    for _ in $(seq 100); do curl -fs -o /dev/null "$1" && return 0; sleep 0.1; done
    echo "end-to-end: $1 did not answer" >&2
    return 1
}

# A private home: QSettings, the keyring and data folders never touch the user's own.
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share"
export XDG_RUNTIME_DIR="$work/runtime" LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC
mkdir -p "$XDG_CONFIG_HOME/Isobar" "$XDG_RUNTIME_DIR" "$out"
chmod 700 "$XDG_RUNTIME_DIR"
database="$work/isobar.db"

"$isobar" ingest --database "$database" "$root/data/ukhsa" > "$work/ingest.log"

# The weather upstream: the sandbox, sharing a throwaway key through the environment.
sandbox_port="$(free_port)"
export ISOBAR_SANDBOX_API_KEY="e2e-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
export ISOBAR_ACCUWEATHER_API_KEY="$ISOBAR_SANDBOX_API_KEY"
"$isobar" accuweather-sandbox --port "$sandbox_port" > "$work/sandbox.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$sandbox_port/locations/v1/cities/geoposition/search?q=0,0&apikey=$ISOBAR_SANDBOX_API_KEY" || true

# Tokens for three watch fleets and a web dashboard, from a local OIDC provider.
"$provider" --audience isobar-e2e --scope weather:read --subject watch-fleet-eu \
    --subject watch-fleet-asia --subject watch-fleet-americas --subject dashboard-web \
    > "$work/provider.txt" 2>&1 &
pids+=($!)
for _ in $(seq 100); do [ "$(grep -c '^token=' "$work/provider.txt" || true)" = 4 ] && break; sleep 0.1; done
issuer="$(sed -n 's/^issuer=//p' "$work/provider.txt")"
mapfile -t tokens < <(sed -n 's/^token=//p' "$work/provider.txt")
[ "${#tokens[@]}" = 4 ] || { echo "end-to-end: the OIDC provider gave no tokens" >&2; exit 1; }

# Traffic, recorded in the store's request log by a headless server.
serve_port="$(free_port)"
ISOBAR_ACCUWEATHER_URL="http://127.0.0.1:$sandbox_port" "$isobar" serve \
    --oidc-issuer "$issuer" --oidc-audience isobar-e2e \
    --database "$database" --port "$serve_port" --rate-limit 0 > "$work/serve.log" 2>&1 &
serve_pid=$!
pids+=("$serve_pid")
wait_for "http://127.0.0.1:$serve_port/health"
base="http://127.0.0.1:$serve_port"
request() { # token url...: one curl config group per token, answers discarded
    local token="$1"
    shift
    for url in "$@"; do printf 'url = "%s"\noutput = "/dev/null"\n' "$url"; done
    printf 'header = "Authorization: Bearer %s"\nnext\n' "$token"
}
{
    # The fleets take turns over the 300 most populous cities.
    n=0
    tail -n +2 "$root/bench/data/cities-300.csv" | cut -d, -f3,4 | while IFS=, read -r lat lon; do
        request "${tokens[$((n % 3))]}" "$base/prcpt?lt=$lat&lg=$lon"
        n=$((n + 1))
    done
    for _ in $(seq 40); do
        request "${tokens[3]}" "$base/api/public/timeseries/themes/" \
            "$base/api/public/timeseries/themes/infectious_disease/sub_themes/respiratory/topics/COVID-19/geography_types/Nation/geographies/England/metrics/COVID-19_cases_casesByDay" \
            "$base/api/public/timeseries/themes/no_such_theme/sub_themes/"
    done
    request "${tokens[0]}" $(for _ in $(seq 10); do echo "$base/prcpt?lt=123&lg=0"; done)
    request "forged.token.value" $(for _ in $(seq 12); do echo "$base/prcpt?lt=51.5&lg=-0.12"; done)
} | sed '$d' > "$work/urls.curl" # no `next` after the last group
curl -s --config "$work/urls.curl" || true
# SIGTERM flushes the request log before the server exits.
kill -TERM "$serve_pid"
wait "$serve_pid" || true

# The desktop, on its own X server, with its embedded server on another free port.
cat > "$XDG_CONFIG_HOME/Isobar/isobar.conf" <<CONF
[server]
port=$(free_port)
[weather]
accuWeatherUrl=http://127.0.0.1:$sandbox_port
CONF
xvfb-run -a -s "-screen 0 1440x900x24" "$isobar" --database "$database" --start-server \
    --metric COVID-19_cases_casesByDay --screenshots "$out"

# Each page: the size asked for, and not a blank frame.
python3 - "$out" <<'PY'
import struct, sys, zlib, pathlib
for name in ("metrics.png", "operations.png"):
    data = (pathlib.Path(sys.argv[1]) / name).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", name + ": not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1440, 900), f"{name}: {width}x{height}, expected 1440x900"
    assert len(data) > 30_000, f"{name}: {len(data)} bytes, a blank page?"
    print(f"{name}: {width}x{height}, {len(data)} bytes")
PY

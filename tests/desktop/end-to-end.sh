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

# Waits until FILE has COUNT lines matching REGEX, for as long as PID runs (60 s at most: a
# loaded machine is slow to start a process, but not that slow).
wait_for_lines() {
    local file="$1" regex="$2" count="$3" pid="$4" deadline=$((SECONDS + 60)) found
    while :; do
        found="$(grep -cE "$regex" "$file" 2>/dev/null || true)"
        [ "${found:-0}" -ge "$count" ] && return 0
        if ! kill -0 "$pid" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
            echo "end-to-end: no $count lines matching '$regex' in $file:" >&2
            cat "$file" >&2
            return 1
        fi
        sleep 0.1
    done
}
# Servers listen on port 0 and say which port they got: "listening on http://127.0.0.1:PORT/".
listening='listening on http://127\.0\.0\.1:[0-9]+/'
listening_port() { grep -m1 -oE "$listening" "$1" | sed -E 's|.*:([0-9]+)/$|\1|'; }

# A private home: QSettings, the keyring and data folders never touch the user's own.
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share"
export XDG_RUNTIME_DIR="$work/runtime" LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC
mkdir -p "$XDG_CONFIG_HOME/Isobar" "$XDG_RUNTIME_DIR" "$out"
chmod 700 "$XDG_RUNTIME_DIR"
database="$work/isobar.db"

"$isobar" ingest --database "$database" "$root/data/ukhsa" > "$work/ingest.log"

# The weather upstream: the sandbox, sharing a throwaway key through the environment.
export ISOBAR_SANDBOX_API_KEY="e2e-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
export ISOBAR_ACCUWEATHER_API_KEY="$ISOBAR_SANDBOX_API_KEY"
"$isobar" accuweather-sandbox --port 0 > "$work/sandbox.log" 2>&1 &
sandbox_pid=$!
pids+=("$sandbox_pid")
wait_for_lines "$work/sandbox.log" "$listening" 1 "$sandbox_pid"
sandbox_port="$(listening_port "$work/sandbox.log")"

# Tokens for three watch fleets and a web dashboard, from a local OIDC provider.
"$provider" --audience isobar-e2e --scope weather:read --subject watch-fleet-eu \
    --subject watch-fleet-asia --subject watch-fleet-americas --subject dashboard-web \
    > "$work/provider.txt" 2>&1 &
provider_pid=$!
pids+=("$provider_pid")
wait_for_lines "$work/provider.txt" '^token=' 4 "$provider_pid"
issuer="$(sed -n 's/^issuer=//p' "$work/provider.txt")"
mapfile -t tokens < <(sed -n 's/^token=//p' "$work/provider.txt")
[ "${#tokens[@]}" = 4 ] || { echo "end-to-end: the OIDC provider gave no tokens" >&2; exit 1; }

# Traffic, recorded in the store's request log by a headless server.
ISOBAR_ACCUWEATHER_URL="http://127.0.0.1:$sandbox_port" "$isobar" serve \
    --oidc-issuer "$issuer" --oidc-audience isobar-e2e \
    --database "$database" --port 0 --rate-limit 0 > "$work/serve.log" 2>&1 &
serve_pid=$!
pids+=("$serve_pid")
wait_for_lines "$work/serve.log" "$listening" 1 "$serve_pid"
base="http://127.0.0.1:$(listening_port "$work/serve.log")"
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

# The desktop, on its own X server, with its embedded server on a port of its own. Its
# settings refuse port 0, so a port is held for this run: bound with SO_REUSEADDR and never
# listening, the kernel gives it to no one else, while the desktop may still listen on it.
coproc HOLDER {
    python3 -u -c 'import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
sys.stdin.read()'
}
pids+=("$HOLDER_PID")
read -r desktop_port <&"${HOLDER[0]}"
cat > "$XDG_CONFIG_HOME/Isobar/isobar.conf" <<CONF
[server]
port=$desktop_port
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

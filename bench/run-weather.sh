#!/usr/bin/env bash
# Weather benchmarks: upstream economy of a simulated day, then /prcpt throughput on a warm
# cache beside nginx, then the same with bearer tokens checked.
#
#   bench/run-weather.sh                        # BUILD_DIR=build, DURATION=15s, CONNECTIONS=64
#   BUILD_DIR=build-release DURATION=30s bench/run-weather.sh
#   REQUESTS=100000 bench/run-weather.sh        # a shorter replay
#   SKIP_ECONOMY=1 bench/run-weather.sh         # the HTTP runs only
#   FLEET_REQUESTS=100000 bench/run-weather.sh  # a shorter fleet replay
#
# 1. bench_weather_economy replays REQUESTS (1,000,000) watch requests over a simulated day
#    through the real AccuWeatherClient and WeatherCache against an in-process sandbox, and
#    compares the upstream calls with the theoretical minimum of the same request stream and
#    with the original service's 2,000 calls per 1,000 requests (targets: within 2% of the
#    minimum, at least 90% fewer calls).
#    Then the fleet: FLEET_REQUESTS (200,000) of the same stream dealt in turn to REPLICAS (4)
#    replicas, each with its own cache, then sharing a second level in a local redis-server as
#    `isobar serve --redis-url` does (target: within 2% of the one process's minimum; alone,
#    the multiple is reported).
# 2. `isobar accuweather-sandbox` and three `isobar serve --rate-limit 0` against it: one with
#    --no-auth, one checking tokens of a local OIDC provider (bench_weather_oidc_provider), one
#    --no-auth with --redis-url to a local redis-server (the fleet's shared weather cache).
#    One position is warmed on each, then wrk (-t$THREADS -c$CONNECTIONS --latency) runs:
#    - nginx-prcpt:  nginx (non-daemon, generated config, access_log off, NGINX_WORKERS
#                    workers: 1, as Isobar answers on one thread) answering a fixed body of
#                    the same size as Isobar's /prcpt answer;
#    - prcpt-noauth: GET /prcpt?lt=..&lg=.. on the server without auth;
#    - prcpt-redis:  the same on the server with Redis configured;
#    - prcpt-auth:   the same with `Authorization: Bearer <token with weather:read>`;
#    - prcpt-noauth-token: the same requests, token included, to the server without auth: the
#                    token's ~600 bytes cost reading and parsing whether checked or not, so
#                    this run against prcpt-auth is what checking the token costs.
# Prints requests/s, p50 and p99 latency, each server's CPU per request, the ratios to nginx,
# auth on/off (the same requests, and against requests without a token) and Redis on/off
# (targets: p99 < 2 ms at 64 connections, requests/s >= 0.8 x nginx, checking a verified token
# under 5%). Raw output goes to bench/out/weather/.
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
ECONOMY="$BUILD_DIR/bin/bench_weather_economy"
PROVIDER="$BUILD_DIR/bin/bench_weather_oidc_provider"
DURATION="${DURATION:-15s}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
REQUESTS="${REQUESTS:-1000000}"
FLEET_REQUESTS="${FLEET_REQUESTS:-200000}"
REPLICAS="${REPLICAS:-4}"
CITIES="${CITIES:-$ROOT/bench/data/cities-300.csv}"
PORT="${PORT:-18490}"
SANDBOX_PORT="$PORT"
NOAUTH_PORT=$((PORT + 1))
AUTH_PORT=$((PORT + 2))
NGINX_PORT=$((PORT + 3))
REDIS_PORT=$((PORT + 4))
REDIS_SERVE_PORT=$((PORT + 5))
AUDIENCE="isobar-bench"
# Paris: any position works; one position, so every request after the first is a cache hit.
PRCPT_PATH="/prcpt?lt=48.8566&lg=2.3522"
OUT="$ROOT/bench/out/weather"

require_built "$ISOBAR" "$ECONOMY" "$PROVIDER"
require_commands wrk nginx curl redis-server redis-cli
mkdir -p "$OUT"

start_redis() { # a throwaway redis-server on REDIS_PORT, nothing saved
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no \
        > "$WORK_DIR/redis.log" 2>&1 &
    PIDS+=($!)
    for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping > /dev/null 2>&1 && return 0; sleep 0.1; done
    echo "redis-server did not start; see $WORK_DIR/redis.log" >&2
    return 1
}

# --- 1. upstream economy -----------------------------------------------------------------
if [ -z "${SKIP_ECONOMY:-}" ]; then
    echo "== upstream economy: $REQUESTS requests over a simulated day ($(load))"
    "$ECONOMY" --cities "$CITIES" --requests "$REQUESTS" > "$OUT/economy.txt"
    cat "$OUT/economy.txt"
    echo

    start_redis
    for shared in alone redis; do
        echo "== fleet economy: $FLEET_REQUESTS requests, $REPLICAS replicas, $shared ($(load))"
        args=(--cities "$CITIES" --requests "$FLEET_REQUESTS" --replicas "$REPLICAS")
        [ "$shared" = redis ] && args+=(--redis-url "redis://127.0.0.1:$REDIS_PORT")
        "$ECONOMY" "${args[@]}" > "$OUT/economy-fleet-$shared.txt"
        grep -E '^(replicas|total|calls / theoretical)' "$OUT/economy-fleet-$shared.txt"
        echo
    done
    stop_processes
fi

# --- 2. the servers ----------------------------------------------------------------------

# A fresh key per run: the sandbox reads it from the environment, serve from its own variable.
SANDBOX_KEY="bench-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
ISOBAR_SANDBOX_API_KEY="$SANDBOX_KEY" "$ISOBAR" accuweather-sandbox --port "$SANDBOX_PORT" \
    > "$OUT/sandbox.log" 2>&1 &
PIDS+=($!)

"$PROVIDER" --audience "$AUDIENCE" > "$WORK_DIR/provider.txt" 2> "$OUT/provider.log" &
PIDS+=($!)
for _ in $(seq 1 100); do
    grep -q '^token=' "$WORK_DIR/provider.txt" 2>/dev/null && break
    sleep 0.1
done
ISSUER="$(sed -n 's/^issuer=//p' "$WORK_DIR/provider.txt")"
TOKEN="$(sed -n 's/^token=//p' "$WORK_DIR/provider.txt")"
if [ -z "$ISSUER" ] || [ -z "$TOKEN" ]; then
    echo "the OIDC provider did not start; see $OUT/provider.log" >&2
    exit 1
fi

serve() { # port log [flags...]
    local port="$1" log="$2"
    shift 2
    ISOBAR_ACCUWEATHER_URL="http://127.0.0.1:$SANDBOX_PORT" ISOBAR_ACCUWEATHER_API_KEY="$SANDBOX_KEY" \
        "$ISOBAR" serve --bind 127.0.0.1 --port "$port" --database "$WORK_DIR/serve-$port.db" \
        --rate-limit 0 "$@" > "$log" 2>&1 &
    PIDS+=($!)
    SERVED_PID=$!
}
serve "$NOAUTH_PORT" "$OUT/serve-noauth.log" --no-auth
NOAUTH_PID=$SERVED_PID
serve "$AUTH_PORT" "$OUT/serve-auth.log" --oidc-issuer "$ISSUER" --oidc-audience "$AUDIENCE"
AUTH_PID=$SERVED_PID
start_redis
serve "$REDIS_SERVE_PORT" "$OUT/serve-redis.log" --no-auth --redis-url "redis://127.0.0.1:$REDIS_PORT"
REDIS_SERVE_PID=$SERVED_PID
wait_for "http://127.0.0.1:$NOAUTH_PORT/health"
wait_for "http://127.0.0.1:$AUTH_PORT/health"
# The Redis connection opens in the background; measure once the server says it is up.
wait_for_redis "$REDIS_SERVE_PORT"

# Warm the one position on all three servers (the authenticated one also fetches the provider's
# keys and caches the verified token), and check the token is really required.
curl -fsS -o "$OUT/prcpt.json" "http://127.0.0.1:$NOAUTH_PORT$PRCPT_PATH"
curl -fsS -o "$OUT/prcpt-redis.json" "http://127.0.0.1:$REDIS_SERVE_PORT$PRCPT_PATH"
wait_for "http://127.0.0.1:$AUTH_PORT$PRCPT_PATH" -H "Authorization: Bearer $TOKEN"
NO_TOKEN_STATUS=$(curl -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:$AUTH_PORT$PRCPT_PATH")
[ "$NO_TOKEN_STATUS" = 401 ] || { echo "the auth server answered $NO_TOKEN_STATUS without a token" >&2; exit 1; }
PRCPT_BYTES=$(wc -c < "$OUT/prcpt.json")
REDIS_BYTES=$(wc -c < "$OUT/prcpt-redis.json")
[ "$REDIS_BYTES" = "$PRCPT_BYTES" ] || { echo "the Redis server answered $REDIS_BYTES bytes" >&2; exit 1; }
echo "keys the Redis server's replica wrote to Redis: $(redis-cli -p "$REDIS_PORT" --scan --pattern 'isobar:*' | wc -l)"
echo "/prcpt answer: $PRCPT_BYTES bytes: $(cat "$OUT/prcpt.json")"

start_nginx "$NGINX_PORT" "$OUT/prcpt.json"
NGINX_BYTES=$(curl -fsS "http://127.0.0.1:$NGINX_PORT/prcpt.json" | wc -c)
[ "$NGINX_BYTES" = "$PRCPT_BYTES" ] || { echo "nginx answered $NGINX_BYTES bytes" >&2; exit 1; }

# --- 3. the runs -------------------------------------------------------------------------

echo "== wrk -t$THREADS -c$CONNECTIONS -d$DURATION on $(nproc) cores"
CPU_PID=$NGINX_PID bench nginx-prcpt "http://127.0.0.1:$NGINX_PORT/prcpt.json"
CPU_PID=$NOAUTH_PID bench prcpt-noauth "http://127.0.0.1:$NOAUTH_PORT$PRCPT_PATH"
CPU_PID=$REDIS_SERVE_PID bench prcpt-redis "http://127.0.0.1:$REDIS_SERVE_PORT$PRCPT_PATH"
CPU_PID=$AUTH_PID bench prcpt-auth "http://127.0.0.1:$AUTH_PORT$PRCPT_PATH" -H "Authorization: Bearer $TOKEN"
CPU_PID=$NOAUTH_PID bench prcpt-noauth-token "http://127.0.0.1:$NOAUTH_PORT$PRCPT_PATH" \
    -H "Authorization: Bearer $TOKEN"

# --- the figures -------------------------------------------------------------------------
# wrk prints latencies with a unit (us, ms, s); everything below is in milliseconds.

{
    echo
    read -r ng_rps ng_p50 ng_p99 ng_bad _ <<< "$(summary nginx-prcpt)"
    read -r off_rps off_p50 off_p99 off_bad _ <<< "$(summary prcpt-noauth)"
    read -r on_rps on_p50 on_p99 on_bad _ <<< "$(summary prcpt-auth)"
    read -r rd_rps rd_p50 rd_p99 rd_bad _ <<< "$(summary prcpt-redis)"
    read -r tk_rps tk_p50 tk_p99 tk_bad _ <<< "$(summary prcpt-noauth-token)"
    awk -v ng_rps="$ng_rps" -v ng_p50="$ng_p50" -v ng_p99="$ng_p99" -v ng_bad="$ng_bad" \
        -v off_rps="$off_rps" -v off_p50="$off_p50" -v off_p99="$off_p99" -v off_bad="$off_bad" \
        -v on_rps="$on_rps" -v on_p50="$on_p50" -v on_p99="$on_p99" -v on_bad="$on_bad" \
        -v rd_rps="$rd_rps" -v rd_p50="$rd_p50" -v rd_p99="$rd_p99" -v rd_bad="$rd_bad" \
        -v tk_rps="$tk_rps" -v tk_p50="$tk_p50" -v tk_p99="$tk_p99" -v tk_bad="$tk_bad" \
        -v ng_cpu="$(cpu_per_request nginx-prcpt)" -v off_cpu="$(cpu_per_request prcpt-noauth)" \
        -v rd_cpu="$(cpu_per_request prcpt-redis)" -v on_cpu="$(cpu_per_request prcpt-auth)" \
        -v tk_cpu="$(cpu_per_request prcpt-noauth-token)" '
        function row(name, rps, p50, p99, bad, cpu) {
            printf "%-18s %10.0f %9.2f %9.2f %8d %10.2f %10s %10.1f %10.2f\n", name, rps, p50, p99,
                bad, rps / ng_rps, (p99 < 2 ? "yes" : "no"), cpu, ng_cpu / cpu
        }
        BEGIN {
            printf "%-18s %10s %9s %9s %8s %10s %10s %10s %10s\n", "run", "req/s", "p50 ms",
                "p99 ms", "non-2xx", "req/s÷ng", "p99<2ms", "CPU us/req", "ng÷CPU"
            row("nginx-prcpt", ng_rps, ng_p50, ng_p99, ng_bad, ng_cpu)
            row("prcpt-noauth", off_rps, off_p50, off_p99, off_bad, off_cpu)
            row("prcpt-redis", rd_rps, rd_p50, rd_p99, rd_bad, rd_cpu)
            row("prcpt-auth", on_rps, on_p50, on_p99, on_bad, on_cpu)
            row("prcpt-noauth-token", tk_rps, tk_p50, tk_p99, tk_bad, tk_cpu)
            printf "auth on / off, the same requests: req/s %.2f, CPU per request %.2f (checking a verified token: target under 5%%)\n",
                on_rps / tk_rps, on_cpu / tk_cpu
            printf "auth on / off, with / without a token: req/s %.2f, p99 %.2f ms vs %.2f ms\n",
                on_rps / off_rps, on_p99, off_p99
            printf "redis / no redis: req/s %.2f, p99 %.2f ms vs %.2f ms\n", rd_rps / off_rps,
                rd_p99, off_p99
        }'
    echo "targets: p99 < 2 ms at $CONNECTIONS connections; req/s >= 0.8 x nginx with $NGINX_WORKERS worker(s) (column req/s÷ng)"
    if grep -q 'Non-2xx' "$OUT"/wrk-*.txt; then
        echo "WARNING: some answers were not 2xx; those runs measured errors, not the API"
    fi
} | tee "$OUT/result.txt"

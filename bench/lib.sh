# shellcheck shell=bash
# Shared by the bench drivers (sourced after `set -euo pipefail`): paths, waiting for servers,
# reading wrk's output.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-build}"
case "$BUILD_DIR" in /*) ;; *) BUILD_DIR="$ROOT/$BUILD_DIR" ;; esac
# shellcheck disable=SC2034 # the drivers that source this file run it
ISOBAR="$BUILD_DIR/bin/isobar"

load() { uptime | sed 's/.*load average: /load /'; }

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; } # pid
# A process's open descriptors, less the response caches' body files (server/http/BodyFile:
# memfds named isobar-body): their number follows what is cached, bounded by each cache's
# maxBodyFiles, and is no leak.
fd_count() { # pid
    find "/proc/$1/fd" -mindepth 1 -maxdepth 1 -printf '%l\n' 2>/dev/null | grep -cv '^/memfd:isobar-body' || true
}

seconds_of() { # a wrk duration (90, 90s, 10m, 1h) -> seconds
    case "$1" in
    *h) echo $((${1%h} * 3600)) ;;
    *m) echo $((${1%m} * 60)) ;;
    *s) echo "${1%s}" ;;
    *) echo "$1" ;;
    esac
}

wait_for() { # url [curl args...]: until it answers 2xx, at most 30 s (a store may be migrating)
    local url="$1"
    shift
    for _ in $(seq 1 300); do
        curl -fsS -o /dev/null "$@" "$url" 2>/dev/null && return 0
        sleep 0.1
    done
    echo "no answer from $url" >&2
    return 1
}

wait_for_redis() { # port: until the server's /health says its Redis connection is up, at most 10 s
    local port="$1"
    wait_for "http://127.0.0.1:$port/health"
    for _ in $(seq 100); do
        curl -fsS "http://127.0.0.1:$port/health" | grep -q '"redis":"ok"' && return 0
        sleep 0.1
    done
    echo "the server on port $port never reached Redis" >&2
    return 1
}

# A wrk --latency output file -> "rps p50 p99 non2xx requests", latencies in milliseconds
# (wrk prints them with a unit: us, ms, s or m).
wrk_summary() {
    awk '
        function ms(v) {
            if (v ~ /us$/) return v * 0.001
            if (v ~ /ms$/) return v + 0
            if (v ~ /m$/) return v * 60000
            return v * 1000
        }
        /Requests\/sec/ { rps = $2 }
        $1 == "50%" { p50 = ms($2) }
        $1 == "99%" { p99 = ms($2) }
        /Non-2xx/ { bad = $NF }
        / requests in / { requests = $1 }
        END { printf "%s %s %s %d %d\n", rps, p50, p99, bad, requests }' "$1"
}

summary() { wrk_summary "$OUT/wrk-$1.txt"; } # a run's name -> its figures ($OUT: the driver's)

# Clock ticks of CPU (user and system) a process and its children alive now have used so far:
# nginx answers from worker processes under its master.
cpu_ticks() { # pid
    local total=0 pid
    for pid in "$1" $(pgrep -P "$1"); do
        total=$((total + $(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0)))
    done
    echo "$total"
}
# A run's server CPU per request in microseconds, when bench was given CPU_PID; else "-".
cpu_per_request() { cat "$OUT/cpu-$1.txt" 2>/dev/null || echo -; } # name

# bench NAME URL [wrk args...]: one wrk run (-t$THREADS -c$CONNECTIONS -d$DURATION --latency),
# raw output kept in $OUT/wrk-NAME.txt, its headline figures echoed; fails when a server the
# driver started (PIDS) died during the run. With CPU_PID set, the CPU that process (and its
# children) used per request goes to $OUT/cpu-NAME.txt: unlike requests/s, it hardly moves
# with what else loads the machine.
bench() {
    local name="$1" url="$2" ticks_before=0 requests
    shift 2
    echo "-- $name ($(load))"
    rm -f "$OUT/cpu-$name.txt"
    [ -z "${CPU_PID:-}" ] || ticks_before="$(cpu_ticks "$CPU_PID")"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@" "$url" > "$OUT/wrk-$name.txt"
    grep -E 'Requests/sec|^ +(50|99)%|Non-2xx|Socket errors' "$OUT/wrk-$name.txt" | sed 's/^ */   /'
    if [ -n "${CPU_PID:-}" ]; then
        requests="$(summary "$name" | awk '{ print $5 }')"
        awk -v ticks=$(($(cpu_ticks "$CPU_PID") - ticks_before)) -v hz="$(getconf CLK_TCK)" \
            -v requests="$requests" 'BEGIN { printf "%.1f\n", ticks / hz * 1e6 / requests }' \
            > "$OUT/cpu-$name.txt"
        echo "   server CPU per request: $(cat "$OUT/cpu-$name.txt") us"
    fi
    for pid in "${PIDS[@]}"; do
        kill -0 "$pid" 2>/dev/null || { echo "a server (pid $pid) died during $name; see $OUT/*.log" >&2; exit 1; }
    done
}

require_built() { # executables of the build
    for tool in "$@"; do
        [ -x "$tool" ] || { echo "missing $tool: build first (BUILD_DIR=$BUILD_DIR)" >&2; exit 2; }
    done
}
require_commands() { # programs from Debian packages
    for tool in "$@"; do
        command -v "$tool" >/dev/null || { echo "missing $tool (packaging/install-deps.sh installs it)" >&2; exit 2; }
    done
}

# Verdict scripts (soak, hostile): the environment a sanitized build runs under, SERVER_ENV
# (empty for others), so that any report aborts it; LeakSanitizer checks at exit with the test
# suite's suppressions. Returns 0 when "$ISOBAR" is sanitized (it holds __asan_init).
use_sanitizer_env() {
    SERVER_ENV=()
    grep -qa __asan_init "$ISOBAR" || return 1
    SERVER_ENV=(
        "ASAN_OPTIONS=quarantine_size_mb=16:abort_on_error=1:detect_leaks=1"
        "LSAN_OPTIONS=suppressions=$ROOT/tests/sanitizers/lsan.supp:print_suppressions=0"
        "UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:suppressions=$ROOT/tests/sanitizers/ubsan.supp"
    )
    echo "== $ISOBAR is sanitized: ${SERVER_ENV[0]}"
}
FAILED=()
fail() { FAILED+=("$*"); echo "FAILED: $*"; } # a verdict that failed; the script exits 1 at its end

# `isobar accuweather-sandbox` on SANDBOX_PORT with a fresh key per run (SANDBOX_KEY): the
# sandbox reads it from the environment, serve from its own variable. Log in $OUT/sandbox.log.
start_sandbox() {
    SANDBOX_KEY="bench-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
    ISOBAR_SANDBOX_API_KEY="$SANDBOX_KEY" "$ISOBAR" accuweather-sandbox --bind 127.0.0.1 \
        --port "$SANDBOX_PORT" > "$OUT/sandbox.log" 2>&1 &
    PIDS+=($!)
}

# Processes a driver starts (PIDS+=($!)) end with it, and so does its scratch folder.
PIDS=()
WORK_DIR="$(mktemp -d)"
chmod 755 "$WORK_DIR" # nginx workers read files below it
stop_processes() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    PIDS=()
}
cleanup() {
    stop_processes
    rm -rf "$WORK_DIR"
}
trap cleanup EXIT

# The reference: nginx, non-daemon, on its own prefix and port, serving `files` as static
# JSON; a POST to a static file (a 405 in nginx) is turned back into the file with a 200.
# One worker by default: Isobar answers on one event-loop thread, and the comparison is of
# what each does with one core (NGINX_WORKERS=auto gives nginx every core). NGINX_PID: its
# master, for CPU_PID.
NGINX_WORKERS="${NGINX_WORKERS:-1}"
start_nginx() { # port files...
    local port="$1" dir="$WORK_DIR/nginx"
    shift
    mkdir -p "$dir/www"
    chmod 755 "$dir" "$dir/www"
    cp "$@" "$dir/www/"
    chmod 644 "$dir"/www/*
    cat > "$dir/nginx.conf" <<CONF
worker_processes $NGINX_WORKERS;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $dir/body;
    proxy_temp_path $dir/proxy;
    fastcgi_temp_path $dir/fastcgi;
    uwsgi_temp_path $dir/uwsgi;
    scgi_temp_path $dir/scgi;
    keepalive_requests 1000000;
    sendfile on;
    tcp_nopush on;
    open_file_cache max=16;
    server {
        listen 127.0.0.1:$port;
        root $dir/www;
        default_type application/json;
        location / { error_page 405 =200 \$uri; }
    }
}
CONF
    "$(command -v nginx)" -p "$dir" -c "$dir/nginx.conf" -g 'daemon off;' &
    # shellcheck disable=SC2034 # read by the drivers that source this file
    NGINX_PID=$!
    PIDS+=($!)
    wait_for "http://127.0.0.1:$port/$(basename "$1")"
}

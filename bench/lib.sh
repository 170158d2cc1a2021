# Shared by the bench drivers (sourced after `set -euo pipefail`): paths, waiting for servers,
# reading wrk's output.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-build}"
case "$BUILD_DIR" in /*) ;; *) BUILD_DIR="$ROOT/$BUILD_DIR" ;; esac
ISOBAR="$BUILD_DIR/bin/isobar"

load() { uptime | sed 's/.*load average: /load /'; }

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

#!/usr/bin/env bash
# Soak: DURATION of mixed traffic at CONNECTIONS connections against each scenario, checking
# that nothing answers what it should not, that p99 stays within its target, and that the
# servers' memory and file descriptors stay flat once warm.
#
#   BUILD_DIR=build-release bench/run-soak.sh      # 10 minutes per scenario
#   DURATION=1m bench/run-soak.sh                  # CI's version (packaging/test.sh)
#   SCENARIOS=fleet DURATION=5m bench/run-soak.sh  # one scenario
#
# Scenarios, both against one `isobar accuweather-sandbox`:
#   single: one `isobar serve` on a fresh SQLite store holding the sample data (data/ukhsa);
#   fleet:  two `isobar serve` replicas on one throwaway PostgreSQL
#           (tests/support/postgres-server.sh) holding the same data, sharing one redis-server;
#           wrk splits the connections between them.
# The traffic (wrk/soak-mix.lua): watch routes at 1,200 positions near the cities of
# bench/data/cities-300.csv, metrics API reads and tables of series taken from the store,
# headlines, the catalogue, PNG charts, the stats and ops routes, and bad requests (invalid
# coordinates, an unknown path, a broken body). Every answer is checked against the statuses
# its kind may give.
# While wrk runs, every SAMPLE seconds each server's VmRSS and open descriptors go to
# bench/out/soak/samples-SCENARIO.csv. Prints the answers by kind and status class, p99, the
# curve, and the verdicts; exits 1 when one fails:
#   - no unexpected answer (a 5xx, a 4xx to a request that should succeed, a 2xx to a bad one;
#     a chart refused with 503 and Retry-After by a full render queue is counted, not failed)
#     and no socket error or timeout;
#   - p99 of the mix under P99_TARGET_MS, per wrk, after the warm-up (wrk runs twice: the
#     warm-up, whose answers are checked but whose p99 is only shown, then the rest);
#   - RSS at the end at most RSS_GROWTH_PERCENT above RSS at the end of the warm-up (the first
#     20% of the run), per server;
#   - open descriptors at the end at most FD_SLACK above the most any warm-up sample held (the
#     sample at the warm-up's end may fall between the two wrk runs, with no connection open);
#   - every server still running, and exiting 0 on SIGTERM at the end with no sanitizer report
#     in its log (for a sanitized build, whose RSS is its allocator's, LeakSanitizer's check at
#     exit replaces the RSS verdict).
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
DURATION="${DURATION:-10m}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
SAMPLE="${SAMPLE:-10}"
SCENARIOS="${SCENARIOS:-single fleet}"
# The mix is mostly cache hits (the API benchmarks' targets: p99 < 5 ms for one warm
# route); charts, the catalogue and the stats are slower answers queued behind on two cores.
P99_TARGET_MS="${P99_TARGET_MS:-50}"
# What a warm server's heap may drift by: glibc's arenas (one per query thread, the render
# and writer threads) grow and shrink by a few MiB with the large answers in flight (a PNG, the
# 100 KB catalogue, stats). A leak of 100 bytes per request at 2,000 requests/s is 12 MiB a
# minute: over eight minutes after the warm-up, several times this on a ~100 MiB server.
RSS_GROWTH_PERCENT="${RSS_GROWTH_PERCENT:-10}"
# Descriptors come and go with the load: upstream connections to the sandbox (at most 8 at
# once), a query thread's store connection opened on its first query.
FD_SLACK="${FD_SLACK:-8}"
# How long wrk waits for an answer before counting a timeout (wrk's own default).
WRK_TIMEOUT="${WRK_TIMEOUT:-2s}"
DATA="${DATA:-$ROOT/data/ukhsa}"
CITIES="${CITIES:-$ROOT/bench/data/cities-300.csv}"
PORT="${PORT:-18700}"
SANDBOX_PORT="$PORT"
SINGLE_PORT=$((PORT + 1))
REPLICA_PORTS=($((PORT + 2)) $((PORT + 3)))
REDIS_PORT=$((PORT + 4))
OUT="$ROOT/bench/out/soak"
CLUSTER="$OUT/postgresql"
POSTGRES_SERVER="$ROOT/tests/support/postgres-server.sh"

require_built "$ISOBAR"
require_commands wrk curl sqlite3
case " $SCENARIOS " in *" fleet "*) require_commands redis-server redis-cli psql ;; esac
mkdir -p "$OUT"
rm -f "$OUT"/samples-*.csv "$OUT"/wrk-*.txt "$OUT"/serve-*.log
# The servers stop before their cluster does.
trap 'cleanup; "$POSTGRES_SERVER" stop "$CLUSTER"' EXIT

RUN_S="$(seconds_of "$DURATION")"
WARMUP_S=$((RUN_S / 5))
(( RUN_S >= 20 )) || { echo "DURATION must be at least 20 s (the warm-up is its first 20%)" >&2; exit 2; }

# A sanitized server's RSS is its allocator's: every block carries redzones, freed blocks wait
# in a quarantine (16 MiB here, 256 by default), and freed memory is kept per size class, so
# RSS climbed about 3 MiB/s for the whole of a minute's run at 16 connections while the
# Release build levels off. There the leak check replaces the RSS verdict: LeakSanitizer runs
# when each server exits after its SIGTERM (the suppressions are the test suite's), and any
# report, or an exit status other than 0, fails the run. A report during the run ends the
# server, which fails it too.
RSS_CHECKED=1
if use_sanitizer_env; then RSS_CHECKED=0; fi

# --- the sandbox and the sample data -----------------------------------------------------

start_sandbox

STORE="$WORK_DIR/store.db"
echo "== ingesting $DATA ($(load))"
env "${SERVER_ENV[@]}" "$ISOBAR" ingest --database "$STORE" "$DATA" > "$OUT/ingest-sqlite.txt" 2>&1 \
    || { cat "$OUT/ingest-sqlite.txt" >&2; exit 1; }
tail -n 3 "$OUT/ingest-sqlite.txt"

# The series the traffic reads, from the store itself: public time series of the default
# stratum covering more than a day (a table needs date_from before date_to), spread over topics and geographies by a fixed shuffle, with the dates they cover.
export SOAK_CITIES="$CITIES" SOAK_SERIES="$WORK_DIR/series.tsv" SOAK_HEADLINES="$WORK_DIR/headlines.tsv"
sqlite3 -separator $'\t' "$STORE" "
    SELECT th.name, st.name, t.name, m.name, g.geography_type, g.name, s.stratum, s.age, s.sex,
           date(min(p.day) * 86400, 'unixepoch'), date(max(p.day) * 86400, 'unixepoch')
    FROM series s JOIN metric m ON m.id = s.metric_id JOIN topic t ON t.id = m.topic_id
    JOIN sub_theme st ON st.id = t.sub_theme_id JOIN theme th ON th.id = st.theme_id
    JOIN geography g ON g.id = s.geography_id JOIN point p ON p.series_id = s.id
    WHERE s.has_public AND s.stratum = 'default' AND p.is_public
    GROUP BY s.id HAVING min(p.day) < max(p.day) ORDER BY (s.id * 7919) % 1009 LIMIT 200" > "$SOAK_SERIES"
sqlite3 -separator $'\t' "$STORE" "
    SELECT DISTINCT t.name, m.name, g.geography_type, g.name, s.stratum, s.age, s.sex
    FROM series s JOIN metric m ON m.id = s.metric_id JOIN topic t ON t.id = m.topic_id
    JOIN geography g ON g.id = s.geography_id JOIN headline h ON h.series_id = s.id
    WHERE s.has_public AND h.is_public LIMIT 50" > "$SOAK_HEADLINES"
echo "traffic reads $(wc -l < "$SOAK_SERIES") series and $(wc -l < "$SOAK_HEADLINES") headlines"

# --- servers and sampling ----------------------------------------------------------------

SERVER_NAMES=()
SERVER_PIDS=()
SERVER_PORTS=()
serve() { # name port database [flags...]
    local name="$1" port="$2" database="$3"
    shift 3
    # --cors-origins '*': the server echoes each request's Origin, which names its kind
    # (wrk/soak-mix.lua).
    env "${SERVER_ENV[@]}" ISOBAR_ACCUWEATHER_URL="http://127.0.0.1:$SANDBOX_PORT" \
        ISOBAR_ACCUWEATHER_API_KEY="$SANDBOX_KEY" "$ISOBAR" serve --bind 127.0.0.1 \
        --port "$port" --database "$database" --no-auth --rate-limit 0 --cors-origins '*' "$@" \
        > "$OUT/serve-$name.log" 2>&1 &
    PIDS+=($!)
    SERVER_PIDS+=($!)
    SERVER_NAMES+=("$name")
    SERVER_PORTS+=("$port")
}
stop_servers() { # SIGTERM: each must drain and exit 0, leak-free when sanitized
    local pid i status kept=()
    for pid in "${SERVER_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for i in "${!SERVER_PIDS[@]}"; do
        status=0
        wait "${SERVER_PIDS[$i]}" 2>/dev/null || status=$?
        local log="$OUT/serve-${SERVER_NAMES[$i]}.log"
        [ "$status" = 0 ] || fail "${SERVER_NAMES[$i]}: exit status $status after SIGTERM; see $log"
        if grep -qE 'Sanitizer|runtime error:' "$log"; then
            fail "${SERVER_NAMES[$i]}: a sanitizer report in $log"
        fi
    done
    for pid in "${PIDS[@]}"; do
        [[ " ${SERVER_PIDS[*]} " == *" $pid "* ]] || kept+=("$pid")
    done
    PIDS=("${kept[@]}")
    SERVER_NAMES=()
    SERVER_PIDS=()
    SERVER_PORTS=()
}


# soak SCENARIO: wrk on every server (connections and threads split between them), sampling
# them all; then the answers, the curve and the verdicts.
soak() {
    local scenario="$1" servers=${#SERVER_PIDS[@]} i pid wrks=() csv="$OUT/samples-$1.csv"
    local connections=$((CONNECTIONS / servers)) threads=$((THREADS / servers))
    (( threads >= 1 )) || threads=1
    echo "== $scenario: wrk -t$threads -c$connections -d${RUN_S}s (${WARMUP_S} s of warm-up, then" \
        "the rest) on each of $servers server(s), $(nproc) cores ($(load))"
    run_wrk() { # seconds url
        wrk -t"$threads" -c"$connections" -d"$1s" --timeout "$WRK_TIMEOUT" --latency \
            -s "$ROOT/bench/wrk/soak-mix.lua" "$2"
    }
    # Two runs back to back: the warm-up's answers are checked like the others, but its p99 is
    # only shown, since it holds every chart's first drawing, queued on the one GUI thread.
    for i in "${!SERVER_PIDS[@]}"; do
        local url="http://127.0.0.1:${SERVER_PORTS[$i]}" out="$OUT/wrk-$scenario-${SERVER_NAMES[$i]}"
        { run_wrk "$WARMUP_S" "$url" > "$out-warmup.txt" 2>&1 \
            && run_wrk $((RUN_S - WARMUP_S)) "$url" > "$out.txt" 2>&1; } &
        wrks+=($!)
    done

    # Samples at 0, SAMPLE, 2 SAMPLE, ..., at the end of the warm-up, and a second before wrk
    # stops.
    echo "elapsed_s,server,rss_kib,fds" > "$csv"
    local ticks t
    mapfile -t ticks < <({ seq 0 "$SAMPLE" $((RUN_S - 2)); echo "$WARMUP_S"; echo $((RUN_S - 1)); } | sort -nu)
    SECONDS=0
    for t in "${ticks[@]}"; do
        while (( SECONDS < t )); do sleep 0.2; done
        for i in "${!SERVER_PIDS[@]}"; do
            pid="${SERVER_PIDS[$i]}"
            kill -0 "$pid" 2>/dev/null || continue
            echo "$t,${SERVER_NAMES[$i]},$(rss_kib "$pid"),$(fd_count "$pid")" >> "$csv"
        done
    done
    for pid in "${wrks[@]}"; do wait "$pid" || fail "$scenario: wrk exited with $?"; done

    # The answers.
    for i in "${!SERVER_PIDS[@]}"; do
        local name="${SERVER_NAMES[$i]}" out part unexpected errors p99
        for part in warmup measured; do
            out="$OUT/wrk-$scenario-$name.txt"
            [ "$part" = measured ] || out="$OUT/wrk-$scenario-$name-warmup.txt"
            echo "-- $name, $part: $(grep -E 'Requests/sec' "$out" | tr -s ' ')"
            sed -n '/^kind /,/^soak-p99-ms/p' "$out"
            unexpected="$(awk '$1 == "soak-unexpected" { print $2 }' "$out")"
            errors="$(awk '$1 == "soak-socket-errors" { print $2 }' "$out")"
            p99="$(awk '$1 == "soak-p99-ms" { print $2 }' "$out")"
            [ "${unexpected:-x}" = 0 ] || fail "$scenario/$name ($part): ${unexpected:-no count of} unexpected answers"
            [ "${errors:-x}" = 0 ] || fail "$scenario/$name ($part): ${errors:-no count of} socket errors"
        done
        awk -v p="${p99:-1e9}" -v t="$P99_TARGET_MS" 'BEGIN { exit !(p < t) }' \
            || fail "$scenario/$name: p99 ${p99:-?} ms after the warm-up, target < $P99_TARGET_MS ms"
    done

    # The curve: a row per sample, RSS in MiB and descriptors per server.
    echo "-- RSS and open descriptors (warm-up: the first ${WARMUP_S} s)"
    awk -F, -v names="${SERVER_NAMES[*]}" 'NR > 1 { v[$1, $2] = $3 " " $4; if (!($1 in seen)) { seen[$1]; order[++n] = $1 } }
        END {
            k = split(names, name, " ")
            printf "%9s", "elapsed s"
            for (j = 1; j <= k; j++) printf "  %14s %5s", name[j] " MiB", "fds"
            printf "\n"
            for (r = 1; r <= n; r++) {
                printf "%9d", order[r]
                for (j = 1; j <= k; j++) {
                    split(v[order[r], name[j]], f, " ")
                    printf "  %14.1f %5d", f[1] / 1024, f[2]
                }
                printf "\n"
            }
        }' "$csv"

    # The verdicts, per server: RSS at the end of the warm-up and the most descriptors a
    # warm-up sample under load held, against the last sample.
    for i in "${!SERVER_PIDS[@]}"; do
        local name="${SERVER_NAMES[$i]}" verdict
        verdict="$(awk -F, -v name="$name" -v warmup="$WARMUP_S" -v pct="$RSS_GROWTH_PERCENT" \
            -v slack="$FD_SLACK" -v rss_checked="$RSS_CHECKED" '
            $2 == name && $1 > 0 && $1 <= warmup && $4 > fd0 { fd0 = $4 }
            $2 == name && $1 >= warmup && !warm { warm = 1; rss0 = $3; if ($4 > fd0) fd0 = $4; t0 = $1 }
            $2 == name { rss1 = $3; fd1 = $4; t1 = $1 }
            END {
                if (!warm) { print "FAIL no sample after the warm-up"; exit }
                growth = (rss1 - rss0) * 100 / rss0
                limit = rss_checked ? sprintf("limit %d%%", pct) : "not checked: sanitized"
                printf "%s rss %.1f -> %.1f MiB (%+.1f%%, %s) fds %d -> %d (slack %d) from %d s to %d s\n",
                    ((growth <= pct || !rss_checked) && fd1 <= fd0 + slack) ? "ok" : "FAIL",
                    rss0 / 1024, rss1 / 1024, growth, limit, fd0, fd1, slack, t0, t1
            }' "$csv")"
        echo "$name: ${verdict#* }"
        [[ "$verdict" == ok* ]] || fail "$scenario/$name: ${verdict#* }"
        kill -0 "${SERVER_PIDS[$i]}" 2>/dev/null || fail "$scenario/$name: the server died; see $OUT/serve-$name.log"
    done
}

# --- scenario single: one server, SQLite ----------------------------------------------------
if [[ " $SCENARIOS " == *" single "* ]]; then
    serve single "$SINGLE_PORT" "$STORE"
    wait_for "http://127.0.0.1:$SINGLE_PORT/health"
    soak single
    stop_servers
fi

# --- scenario fleet: two replicas, PostgreSQL and Redis --------------------------------------
if [[ " $SCENARIOS " == *" fleet "* ]]; then
    "$POSTGRES_SERVER" start "$CLUSTER"
    # Trust authentication on loopback: no password, on a command line or anywhere else.
    DATABASE_URL="$(cat "$CLUSTER/url")"
    echo "== ingesting $DATA into PostgreSQL ($(load))"
    env "${SERVER_ENV[@]}" "$ISOBAR" ingest --database "$DATABASE_URL" "$DATA" \
        > "$OUT/ingest-postgresql.txt" 2>&1 || { cat "$OUT/ingest-postgresql.txt" >&2; exit 1; }
    tail -n 3 "$OUT/ingest-postgresql.txt"
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no \
        > "$OUT/redis.log" 2>&1 &
    PIDS+=($!)
    for i in 1 2; do
        serve "replica-$i" "${REPLICA_PORTS[$((i - 1))]}" "$DATABASE_URL" --replica-id "replica-$i" \
            --redis-url "redis://127.0.0.1:$REDIS_PORT"
    done
    # The Redis connection opens in the background: start once both replicas say it is up.
    for port in "${REPLICA_PORTS[@]}"; do wait_for_redis "$port"; done
    soak fleet
    echo "keys in Redis: $(redis-cli -p "$REDIS_PORT" dbsize)"
    echo "requests recorded per replica: $(psql -X -At -F ' ' "$DATABASE_URL" -c \
        "SELECT replica, sum(requests) FROM rollup_endpoint_minute GROUP BY replica ORDER BY replica" | paste -sd ' ')"
    stop_servers
fi

# --- the outcome ---------------------------------------------------------------------------
echo
echo "targets: no unexpected answer or socket error; p99 after the warm-up < $P99_TARGET_MS ms; RSS growth after" \
    "the warm-up <= $RSS_GROWTH_PERCENT%; descriptors <= warm-up + $FD_SLACK"
if (( ${#FAILED[@]} )); then
    printf 'soak failed:\n'
    printf '  %s\n' "${FAILED[@]}"
    exit 1
fi
echo "soak passed"

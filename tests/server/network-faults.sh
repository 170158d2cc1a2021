#!/usr/bin/env bash
# Packet loss and refused connections between `isobar serve` and its AccuWeather upstream (the
# sandbox), injected with iptables inside a network namespace of the test's own, so the rules
# touch nothing else on the machine. Each fault: the documented answer within its time, and
# recovery without a restart once the rules are gone. Where no namespace can be made (a
# container without CAP_SYS_ADMIN), the rules go on the machine's own lo instead, in a chain of
# the test's that only the sandbox's port reaches, removed on exit.
#
#   tests/server/network-faults.sh build/bin/isobar    # as root (ctest runs it; 77: skipped)
#   ISOBAR_NETFAULT_NAMESPACE=no tests/server/network-faults.sh build/bin/isobar   # on lo
#
# - loss (20% of the sandbox port's packets, both ways): a cold cell is answered (TCP
#   retransmits) or 504 within the upstream timeout of each of its two calls, never hangs;
# - reject (tcp-reset on the sandbox port): a cold cell is 502 at once, after the client's
#   retries, not after the timeout; a warm cell is served from the cache;
# - rules removed: cold cells are answered again by the same process.
set -euo pipefail

ISOBAR_UNDER_TEST="$(realpath "${1:?usage: $0 ISOBAR_EXECUTABLE}")"
# Fixed ports: in the namespace nothing else listens; on the machine's lo, ports of the range
# left to scripts.
SANDBOX_PORT=18901
SERVE_PORT=18902
UPSTREAM_TIMEOUT_MS=3000
CHAIN="isobar-netfault-$$"

if [ -z "${ISOBAR_IN_NETNS:-}" ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "SKIP: needs root for a network namespace and iptables" >&2
        exit 77
    fi
    for tool in unshare ip iptables curl; do
        command -v "$tool" >/dev/null \
            || { echo "missing $tool (packaging/install-deps.sh installs it)" >&2; exit 2; }
    done
    # A fresh namespace: only lo, down until brought up below, no rules.
    if [ "${ISOBAR_NETFAULT_NAMESPACE:-yes}" = yes ] && unshare --net true 2>/dev/null; then
        ISOBAR_IN_NETNS=1 exec unshare --net "$0" "$@"
    fi
    echo "no network namespace: the rules go on lo, for port $SANDBOX_PORT only" >&2
else
    ip link set lo up
fi

# shellcheck source=bench/lib.sh
source "$(dirname "$0")/../../bench/lib.sh"
ISOBAR="$ISOBAR_UNDER_TEST"
require_built "$ISOBAR"

# The test's rules live in a chain of their own that only the sandbox's port reaches (either
# way), and go with the test.
iptables -N "$CHAIN"
iptables -I INPUT -p tcp -m multiport --ports "$SANDBOX_PORT" -j "$CHAIN"
remove_rules() {
    iptables -D INPUT -p tcp -m multiport --ports "$SANDBOX_PORT" -j "$CHAIN" || true
    iptables -F "$CHAIN" || true
    iptables -X "$CHAIN" || true
}
trap 'remove_rules; cleanup' EXIT

SANDBOX_KEY="netfault-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
ISOBAR_SANDBOX_API_KEY="$SANDBOX_KEY" "$ISOBAR" accuweather-sandbox --port "$SANDBOX_PORT" \
    > "$WORK_DIR/sandbox.log" 2>&1 &
PIDS+=($!)
ISOBAR_ACCUWEATHER_URL="http://127.0.0.1:$SANDBOX_PORT" ISOBAR_ACCUWEATHER_API_KEY="$SANDBOX_KEY" \
    "$ISOBAR" serve --bind 127.0.0.1 --port "$SERVE_PORT" --database "$WORK_DIR/serve.db" \
    --no-auth --rate-limit 0 --accuweather-timeout-ms "$UPSTREAM_TIMEOUT_MS" \
    > "$WORK_DIR/serve.log" 2>&1 &
SERVE_PID=$!
PIDS+=("$SERVE_PID")
wait_for "http://127.0.0.1:$SERVE_PORT/health"

failures=0
fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# GET /prcpt at a position -> "status milliseconds"; curl's own limit only stops a hang.
ask() { # latitude longitude
    curl -sS -o /dev/null --max-time 30 -w '%{http_code} %{time_total}\n' \
        "http://127.0.0.1:$SERVE_PORT/prcpt?lt=$1&lg=$2" \
        | awk '{ printf "%s %d\n", $1, $2 * 1000 }'
}

# Cold positions far enough apart to be cells of their own, each with its own location key:
# the n-th is 0.5 degrees along a parallel, a new parallel per phase.
ask_cold() { # phase n
    ask "$((40 + $1))" "$(awk -v n="$2" 'BEGIN { print -5 + n * 0.5 }')"
}

# Warm: answered before any fault, so the cache holds it.
read -r status ms <<< "$(ask 48.8566 2.3522)"
[ "$status" = 200 ] || fail "the warm position answered $status before any fault"

drop_share() { # percent of the sandbox port's packets
    iptables -A "$CHAIN" -m statistic --mode random \
        --probability "$(awk -v percent="$1" 'BEGIN { print percent / 100 }')" -j DROP
}

# --- loss ---------------------------------------------------------------------------------
drop_share 20
# Two upstream calls per cold cell (location key, then the conditions), each with its deadline.
loss_bound=$((2 * UPSTREAM_TIMEOUT_MS + 2000))
answered=0
for n in $(seq 1 6); do
    read -r status ms <<< "$(ask_cold 1 "$n")"
    echo "  loss: cold cell $n: $status in $ms ms"
    case "$status" in
        200) answered=$((answered + 1)) ;;
        504) ;;
        *) fail "under 20% loss a cold cell answered $status" ;;
    esac
    [ "$ms" -lt "$loss_bound" ] || fail "under 20% loss a cold cell took $ms ms (bound $loss_bound)"
done
echo "loss: $answered of 6 cold cells answered 200, the others 504, each within $loss_bound ms"
[ "$answered" -gt 0 ] || fail "under 20% loss no cold cell was answered"
dropped=$(iptables -L "$CHAIN" -n -v -x | awk '$3 == "DROP" { n += $1 } END { print n + 0 }')
echo "loss: $dropped packets dropped"
[ "$dropped" -gt 0 ] || fail "the loss rule dropped nothing: the faults were not injected"
iptables -F "$CHAIN"

# --- reject -------------------------------------------------------------------------------
iptables -A "$CHAIN" -p tcp --dport "$SANDBOX_PORT" -j REJECT --reject-with tcp-reset
# Refused at once: the client's retries (two, from 200 ms with jitter), well within the timeout.
reject_bound=$((UPSTREAM_TIMEOUT_MS * 2 / 3))
for n in 1 2 3; do
    read -r status ms <<< "$(ask_cold 2 "$n")"
    echo "  reject: cold cell $n: $status in $ms ms"
    [ "$status" = 502 ] || fail "with the upstream refusing a cold cell answered $status"
    [ "$ms" -lt "$reject_bound" ] \
        || fail "with the upstream refusing a cold cell took $ms ms (bound $reject_bound)"
done
read -r status ms <<< "$(ask 48.8566 2.3522)"
[ "$status" = 200 ] || fail "with the upstream refusing the warm cell answered $status"
[ "$ms" -lt 1000 ] || fail "with the upstream refusing the warm cell took $ms ms"
echo "reject: cold cells 502 within $reject_bound ms, the warm cell 200 in $ms ms"
iptables -F "$CHAIN"

# --- recovery -----------------------------------------------------------------------------
recovered=""
for _ in $(seq 1 50); do
    read -r status ms <<< "$(ask_cold 3 1)"
    [ "$status" = 200 ] && recovered=1 && break
    sleep 0.2
done
[ -n "$recovered" ] || fail "after the rules were removed a cold cell still answered $status"
read -r status ms <<< "$(ask_cold 2 1)"
[ "$status" = 200 ] || fail "the cell refused during the outage answered $status afterwards"
kill -0 "$SERVE_PID" 2>/dev/null || fail "the server died"
echo "recovery: cold cells answered again by the same server"

if [ "$failures" -gt 0 ]; then
    echo "--- serve.log (last lines)" >&2
    tail -n 40 "$WORK_DIR/serve.log" >&2
    exit 1
fi
echo "network faults: all passed"

#!/usr/bin/env bash
# Proves packaging/kubernetes offline, without a cluster:
#  1. renders every overlay (and the prometheus-adapter rule) with `kubectl kustomize`;
#  2. checks every object: kubernetes-models' JSON schemas, unknown fields and enum values from
#     the models' type declarations, and Isobar's rules per overlay (validate/policy.js);
#  3. makes known mistakes in copies of the renders (a misspelt readinessProbe, an
#     imagePullPolicy of Sometimes, an image tagged latest, ...) and expects each one caught;
#  4. starts a real `isobar serve` (with the AccuWeather sandbox), sends it a few requests and
#     keeps its /metrics;
#  5. checks the monitoring: every metric the rules, the board and the adapter read is in that
#     scrape, their queries parse (promtool), the alert rules pass `promtool check rules` and
#     the unit tests of monitoring/rules-test.yaml (`promtool test rules`).
# Needs kubectl, node and npm (the validator's packages are installed from its lock file),
# promtool and curl.
#
#   packaging/kubernetes/check.sh BUILD_DIR
set -euo pipefail

build="$(realpath "${1:?usage: check.sh BUILD_DIR}")"
here="$(cd "$(dirname "$0")" && pwd)"
validate="$here/validate"
isobar="$build/bin/isobar"
# The sandbox accepts only this key; serve presents it.
key="check-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
work="$(mktemp -d)"
pids=()
started=$SECONDS

# The servers started here read their settings from their command lines only.
unset "${!ISOBAR_@}"

# Sends SIGTERM and waits up to 15 s for the process to exit (then SIGKILL); returns its exit
# status.
stop() {
  local pid="$1"
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 150); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid"
}

cleanup() {
  for pid in "${pids[@]}"; do
    stop "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "kubernetes check: FAILED: $*" >&2
  exit 1
}

# Prints the first http://127.0.0.1:PORT a starting server logs, waiting up to 15 s for it;
# fails at once if the server exits.
listening_url() {
  local log="$1" pid="$2" url
  for _ in $(seq 1 150); do
    url="$(grep -o -m1 'http://127\.0\.0\.1:[0-9]*' "$log" || true)"
    if [ -n "$url" ]; then
      printf '%s' "$url"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

for tool in kubectl node npm promtool curl; do
  command -v "$tool" >/dev/null || fail "$tool is not installed"
done
[ -x "$isobar" ] || fail "no $isobar: build first"

# The validator's packages, exactly as locked (again only when the lock file changed).
if [ ! -f "$validate/node_modules/.package-lock.json" ] \
  || [ "$validate/package-lock.json" -nt "$validate/node_modules/.package-lock.json" ]; then
  npm ci --prefix "$validate" --no-audit --no-fund --loglevel=error
fi

# 1. Every overlay, rendered (the dev overlay with the credentials it draws for itself).
"$here/overlays/dev/make-secrets.sh"
mkdir "$work/rendered"
rendered=0
for dir in "$here"/overlays/*/; do
  overlay="$(basename "$dir")"
  kubectl kustomize "$dir" >"$work/rendered/$overlay.yaml" || fail "kubectl kustomize overlays/$overlay"
  rendered=$((rendered + 1))
done
kubectl kustomize "$here/monitoring/prometheus-adapter" >"$work/rendered/prometheus-adapter.yaml" \
  || fail "kubectl kustomize monitoring/prometheus-adapter"
echo "kubernetes check: $rendered overlays and the prometheus-adapter rule rendered"

# 2. Every object, checked.
node "$validate/check-manifests.js" "$work"/rendered/*.yaml || fail "the rendered manifests have findings (above)"

# 3. The checks catch what they are for: mistakes made in copies of the renders...
node "$validate/check-manifests.js" --self-test "$work/rendered" >"$work/self-test.log" \
  || { grep -v ': caught' "$work/self-test.log" >&2; fail "a mistake went through the checks"; }
tail -n 1 "$work/self-test.log"
# ...and the two mistakes strict checking is for, made in the rendered text itself.
mkdir "$work/mistakes"
sed 's/^\( *\)readinessProbe:/\1readinesProbe:/' "$work/rendered/eu-paris.yaml" >"$work/mistakes/eu-paris.yaml"
if node "$validate/check-manifests.js" "$work/mistakes/eu-paris.yaml" >"$work/mistake.log"; then
  fail "a misspelt readinesProbe went through"
fi
grep -q "readinesProbe: unknown field (did you mean 'readinessProbe'?)" "$work/mistake.log" \
  || fail "a misspelt readinesProbe was not named: $(cat "$work/mistake.log")"
sed 's/imagePullPolicy: IfNotPresent/imagePullPolicy: Sometimes/' "$work/rendered/eu-paris.yaml" >"$work/mistakes/eu-paris.yaml"
if node "$validate/check-manifests.js" "$work/mistakes/eu-paris.yaml" >"$work/mistake.log"; then
  fail "imagePullPolicy: Sometimes went through"
fi
grep -q 'imagePullPolicy: string "Sometimes" is not one of' "$work/mistake.log" \
  || fail "imagePullPolicy: Sometimes was not named: $(cat "$work/mistake.log")"
echo "kubernetes check: readinesProbe and imagePullPolicy: Sometimes in a rendered overlay both fail"

# 4. A real serve: weather through the sandbox, so that the weather families have samples.
ISOBAR_SANDBOX_API_KEY="$key" "$isobar" accuweather-sandbox --port 0 --bind 127.0.0.1 \
  >"$work/sandbox.log" 2>&1 &
pids+=("$!")
sandbox="$(listening_url "$work/sandbox.log" "$!")" \
  || fail "the AccuWeather sandbox did not start: $(cat "$work/sandbox.log")"
ISOBAR_ACCUWEATHER_API_KEY="$key" QT_QPA_PLATFORM=offscreen "$isobar" serve --no-auth \
  --database "$work/isobar.db" --bind 127.0.0.1 --port 0 --replica-id kubernetes-check \
  --accuweather-url "$sandbox" --accuweather-daily-budget 1000 >"$work/serve.log" 2>&1 &
serve_pid=$!
pids+=("$serve_pid")
api="$(listening_url "$work/serve.log" "$serve_pid")" || fail "isobar serve did not start: $(cat "$work/serve.log")"
for request in 200:/startupz 200:/livez 200:/readyz 200:/health 200:/api/public/timeseries/themes/ \
  '200:/prcpt?lt=48.8566&lg=2.3522' '200:/uvidx?lt=34.05&lg=-118.24' \
  '200:/api/v1/weather/current?lat=-33.87&lon=151.21' 404:/no-such-route; do
  status="$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$api${request#*:}")"
  [ "$status" = "${request%%:*}" ] || fail "GET ${request#*:} answered $status, not ${request%%:*}"
done
curl -fsS --max-time 10 "$api/metrics" >"$work/metrics.prom" || fail "no /metrics"
stop "$serve_pid" || fail "isobar serve did not exit 0 at SIGTERM"

# 5. The monitoring against that scrape, and promtool on the rules and every query.
node "$validate/check-monitoring.js" "$work" "$work/metrics.prom" || fail "the monitoring has findings (above)"
promtool check rules "$work/isobar.rules.yaml" "$work/queries.rules.yaml" >"$work/promtool.log" 2>&1 \
  || { cat "$work/promtool.log" >&2; fail "promtool check rules"; }
cp "$here/monitoring/rules-test.yaml" "$work/"
promtool test rules "$work/rules-test.yaml" >"$work/promtool.log" 2>&1 \
  || { cat "$work/promtool.log" >&2; fail "promtool test rules"; }
echo "kubernetes check: promtool check rules and test rules (monitoring/rules-test.yaml) pass"
# The names check catches a metric serve does not export: here, one taken out of the scrape.
mkdir "$work/mistakes/monitoring"
grep -v '^isobar_top_caller_requests' "$work/metrics.prom" >"$work/mistakes/metrics.prom"
if node "$validate/check-monitoring.js" "$work/mistakes/monitoring" "$work/mistakes/metrics.prom" >"$work/mistake.log"; then
  fail "a metric missing from the scrape went through"
fi
grep -q 'reads isobar_top_caller_requests, which isobar serve does not export' "$work/mistake.log" \
  || fail "a metric missing from the scrape was not named: $(cat "$work/mistake.log")"
echo "kubernetes check: a board query on a metric serve does not export fails"

echo "kubernetes check: passed in $((SECONDS - started)) s"

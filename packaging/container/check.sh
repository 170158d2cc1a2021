#!/usr/bin/env bash
# Builds the image and runs it as production would, on this machine's loopback: a read-only root
# filesystem, the store on a volume, the AccuWeather key from a mounted file. Checks that
# /health answers from the container, that data ingested through the container is served, that
# weather comes through from the local AccuWeather sandbox with that key, that the image's own
# health check passes, and that `podman stop` drains and exits 0. Then runs the Kubernetes
# Deployment of packaging/kubernetes/overlays/podman with `podman kube play` until /health
# answers. Last, kills a container outright while its request log is being written and starts a
# new one on the volume: the store passes `isobar check-store` and its data is served.
#
#   packaging/container/check.sh BUILD_DIR
set -euo pipefail

build="$(realpath "${1:?usage: check.sh BUILD_DIR}")"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$here/containers.conf}"

# Ports on loopback (the container shares the host's network): the API, its scrape port and
# the sandbox for this run; the kube-play overlay pins its own (18181, 18182).
api=18191
metrics=18192
sandbox=18193
key="check-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
name="isobar-check-$$"
killed="$name-killed"
after="$name-after"
volume="isobar-check-$$"
work="$(mktemp -d)"
sandbox_pid=""
played=""
traffic_pid=""

cleanup() {
  [ -z "$traffic_pid" ] || kill "$traffic_pid" 2>/dev/null || true
  for container in "$name" "$killed" "$after"; do
    podman rm --force --time 0 "$container" >/dev/null 2>&1 || true
  done
  podman volume rm --force "$volume" >/dev/null 2>&1 || true
  [ -z "$played" ] || podman kube down "$played" >/dev/null 2>&1 || true
  [ -z "$sandbox_pid" ] || kill "$sandbox_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "container check: FAILED: $*" >&2
  podman logs "${started:-$name}" 2>&1 | tail -n 40 >&2 || true
  cat "$work/podman.err" >&2 || true
  exit 1
}

# Polls `curl URL` until it answers 200 or 60 s pass; prints the body.
wait_for() {
  local url="$1" body
  for _ in $(seq 1 120); do
    if body="$(curl -fsS --max-time 2 "$url" 2>/dev/null)"; then
      printf '%s' "$body"
      return 0
    fi
    sleep 0.5
  done
  return 1
}

"$here/build-image.sh" "$build"
version="$("$build/bin/isobar" --version | cut -d' ' -f2)"
image="localhost/isobar:$version"

# The user, no compilers, no package manager: what the image must not need or carry.
[ "$(podman image inspect --format '{{.Config.User}}' "$image")" = "10001:10001" ] \
  || fail "the image does not run as the non-root user 10001"
for tool in apt-get gcc cc curl; do
  if podman run --rm --pull=never --entrypoint /usr/bin/env "$image" which "$tool" >/dev/null 2>>"$work/podman.err"; then
    fail "the image carries $tool"
  fi
done

# UKHSA's embargo and refresh times are UK local time: without the time-zone database Qt would
# read them as UTC, an hour off all summer.
podman run --rm --pull=never --entrypoint /usr/bin/env "$image" test -f /usr/share/zoneinfo/Europe/London \
  2>>"$work/podman.err" || fail "the image has no time-zone database (tzdata)"

# The local AccuWeather: the key the container must present is the one in the mounted file.
ISOBAR_SANDBOX_API_KEY="$key" "$build/bin/isobar" accuweather-sandbox --port "$sandbox" \
  >"$work/sandbox.log" 2>&1 &
sandbox_pid=$!
printf '%s\n' "$key" >"$work/accuweather-api-key"
chmod 0444 "$work/accuweather-api-key"
cp "$root/data/ukhsa/json/"6-in-1_coverage_coverageByYear_CTRY_E92000001_all_all_5y.json "$work/"
chmod 0755 "$work"

podman volume create "$volume" >/dev/null
# The image's serve as production runs it, on the check's volume, named NAME.
start_container() { # NAME
  started="$1"
  podman run --detach --name "$1" --pull=never --network=host --read-only \
    --health-interval disable \
    --volume "$volume:/var/lib/isobar" \
    --volume "$work/accuweather-api-key:/run/secrets/isobar/accuweather-api-key:ro" \
    --volume "$work:/samples:ro" \
    --env ISOBAR_PORT="$api" --env ISOBAR_METRICS_PORT="$metrics" \
    --env ISOBAR_NO_AUTH=true --env ISOBAR_LOG_FORMAT=json \
    --env ISOBAR_ACCUWEATHER_URL="http://127.0.0.1:$sandbox" \
    --env ISOBAR_ACCUWEATHER_API_KEY_FILE=/run/secrets/isobar/accuweather-api-key \
    "$image" >/dev/null 2>>"$work/podman.err"
}
start_container "$name"
# (podman's complaints that no systemd runs its health-check timers go to podman.err: the check
# runs the health check itself.)

health="$(wait_for "http://127.0.0.1:$api/health")" || fail "/health never answered"
grep -q '"status":"ok"' <<<"$health" || fail "/health: $health"
podman healthcheck run "$name" >/dev/null 2>>"$work/podman.err" \
  || fail "the image's health check failed"

podman exec "$name" /usr/bin/isobar ingest \
  /samples/6-in-1_coverage_coverageByYear_CTRY_E92000001_all_all_5y.json >/dev/null \
  || fail "isobar ingest in the container failed"
themes="$(curl -fsS "http://127.0.0.1:$api/api/public/timeseries/themes/")" \
  || fail "the metrics API did not answer"
grep -q '"name":"immunisation"' <<<"$themes" || fail "ingested data is not served: $themes"

weather="$(curl -fsS "http://127.0.0.1:$api/prcpt?lt=48.8566&lg=2.3522")" \
  || fail "weather was not served (the sandbox refuses any other key)"
grep -q '"prcpt"' <<<"$weather" || fail "weather: $weather"
scrape="$(curl -fsS "http://127.0.0.1:$metrics/metrics")" || fail "no /metrics on $metrics"
grep -q '^isobar_ready 1$' <<<"$scrape" || fail "isobar_ready is not 1"

# The key never reaches the logs.
if podman logs "$name" 2>&1 | grep -qF "$key"; then fail "the key appears in the logs"; fi
podman logs "$name" 2>&1 | grep -v '^{' && fail "a log line is not JSON"

podman stop --time 30 "$name" >/dev/null 2>>"$work/podman.err"
status="$(podman inspect --format '{{.State.ExitCode}}' "$name")"
[ "$status" = 0 ] || fail "podman stop: exit code $status"
podman logs "$name" 2>&1 | grep -q '"event":"shutting_down"' || fail "no drain on SIGTERM"
echo "container check: $image serves /health, data, weather; stops with exit code 0"

# The Kubernetes Deployment itself, as rendered for podman (hostNetwork, this image); its
# probes run the image's `isobar healthcheck`, which podman runs as the container's health check.
kubectl kustomize "$root/packaging/kubernetes/overlays/podman" >"$work/podman.yaml"
sed -i "s|127.0.0.1:SANDBOX_PORT|127.0.0.1:$sandbox|" "$work/podman.yaml"
played="$work/podman.yaml"
podman kube play --quiet "$played" >/dev/null 2>>"$work/podman.err" || fail "podman kube play"
wait_for "http://127.0.0.1:18181/health" >/dev/null || fail "the kube-played Deployment never answered /health"
wait_for "http://127.0.0.1:18181/readyz" >/dev/null || fail "the kube-played Deployment never became ready"
podman healthcheck run isobar-pod-0-isobar >/dev/null 2>>"$work/podman.err" \
  || fail "the kube-played Deployment's probe command failed"
echo "container check: podman kube play of overlays/podman answers /health and /readyz, its probe passes"

# Killed outright (SIGKILL: no drain, no flush) while the request log is written under traffic:
# the store's log on the volume has grown since the traffic began, so commits are landing and
# more are on their way. A new container on the volume then finds the store sound, checked
# from the image (which has no sqlite3), and serves the data committed before.
start_container "$killed"
wait_for "http://127.0.0.1:$api/health" >/dev/null || fail "/health never answered"
log="$(podman volume inspect --format '{{.Mountpoint}}' "$volume")/isobar.db-wal"
log_size() { stat -c %s "$log" 2>/dev/null || echo 0; }
before="$(log_size)"
while :; do curl -s --max-time 2 -o /dev/null "http://127.0.0.1:$api/api/public/timeseries/themes/" || true; done &
traffic_pid=$!
for _ in $(seq 1 100); do
  [ "$(log_size)" -le "$before" ] || break
  sleep 0.1
done
[ "$(log_size)" -gt "$before" ] || fail "no request reached the store's log within 10 s"
podman kill --signal KILL "$killed" >/dev/null 2>>"$work/podman.err" || fail "podman kill"
podman wait "$killed" >/dev/null 2>>"$work/podman.err" || true
kill "$traffic_pid" 2>/dev/null || true
traffic_pid=""
status="$(podman inspect --format '{{.State.ExitCode}}' "$killed")"
[ "$status" = 137 ] || fail "the killed container exited with $status, not by SIGKILL"

podman run --rm --pull=never --read-only --volume "$volume:/var/lib/isobar" \
  --entrypoint /usr/bin/isobar "$image" check-store >"$work/check-store.out" 2>&1 \
  || fail "isobar check-store after the kill: $(cat "$work/check-store.out")"
grep -q '^integrity: ok$' "$work/check-store.out" \
  || fail "isobar check-store: $(cat "$work/check-store.out")"
start_container "$after"
wait_for "http://127.0.0.1:$api/health" >/dev/null || fail "/health never answered after the kill"
themes="$(curl -fsS "http://127.0.0.1:$api/api/public/timeseries/themes/")" \
  || fail "the metrics API did not answer after the kill"
grep -q '"name":"immunisation"' <<<"$themes" || fail "data committed before the kill is gone: $themes"
podman stop --time 30 "$after" >/dev/null 2>>"$work/podman.err"
echo "container check: killed with SIGKILL under traffic, the store passes isobar check-store and a new container serves its data"

#!/usr/bin/env bash
# Proves the Debian package as an operator meets it: CPack builds isobar_VERSION_amd64.deb from
# the build tree, lintian finds no error or warning, and apt installs it in a booted Debian 12
# (systemd-nspawn, sharing the host's network) where the unit must start, answer, come back
# after a crash, take the AccuWeather key as a credential, serve a chart drawn inside its
# sandbox, stop cleanly, rate OK in `systemd-analyze security`, and leave nothing behind when
# purged. Runs as root.
#
#   packaging/deb/check.sh BUILD_DIR
#
# The container's root file system is made once by mmdebstrap and kept under
# /var/tmp/isobar-nspawn-rootfs, or $ISOBAR_NSPAWN_CACHE (keyed by its package list, renewed
# weekly); each run boots a copy of it, so runs stay independent, and may run side by side.
# Downloaded .debs are kept there too.
set -euo pipefail

build="$(realpath "${1:?usage: check.sh BUILD_DIR}")"
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cache_root="${ISOBAR_NSPAWN_CACHE:-/var/tmp/isobar-nspawn-rootfs}"
base_packages=systemd,systemd-sysv,dbus,apt,ca-certificates,curl

say() { echo "deb-check: $*"; }
fail() {
  echo "deb-check: FAIL: $*" >&2
  exit 1
}
[ "$(id -u)" = 0 ] || fail "run as root (systemd-nspawn boots a container)"
# CPack's dependency computation runs file(1) and dpkg-shlibdeps (dpkg-dev).
for tool in cpack file dpkg-shlibdeps lintian mmdebstrap systemd-nspawn nsenter flock pgrep curl; do
  command -v "$tool" >/dev/null || fail "$tool is missing (packaging/install-deps.sh installs it)"
done
[ -x "$build/bin/isobar" ] || fail "no $build/bin/isobar: build first (cmake --build $build)"
started=$SECONDS

# Polls `$@` every 0.2 s until it succeeds or `limit` seconds have passed.
wait_for() {
  local limit=$1 what=$2
  shift 2
  local deadline=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || fail "$what (waited ${limit}s)"
    sleep 0.2
  done
}

machine="isobar-deb-check-$$"
work="$(mktemp -d /var/tmp/isobar-deb-check.XXXXXX)"
rootfs="$work/rootfs"
nspawn_pid=""
stage=""
cgroups=()
leader=""
cleanup() {
  local status=$?
  if [ "$status" != 0 ] && [ -n "$leader" ] && [ -d "/proc/$leader" ]; then
    echo "deb-check: journalctl -u isobar, last lines:" >&2
    nsenter --target="$leader" --all --root --wd journalctl --unit=isobar.service --no-pager \
      --lines=30 >&2 || true
  fi
  if [ "$status" != 0 ] && [ -s "$work/boot.log" ]; then
    echo "deb-check: the container's console, last lines:" >&2
    tail -n 20 "$work/boot.log" >&2 || true
  fi
  if [ -n "$nspawn_pid" ] && kill -0 "$nspawn_pid" 2>/dev/null; then
    # SIGTERM asks the container's systemd to power off; it is killed if it has not in 30 s.
    kill -TERM "$nspawn_pid" 2>/dev/null || true
    local deadline=$((SECONDS + 30))
    while kill -0 "$nspawn_pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.2; done
    kill -KILL "$nspawn_pid" 2>/dev/null || true
    wait "$nspawn_pid" 2>/dev/null || true
  fi
  for cgroup in "${cgroups[@]}"; do
    find "$cgroup" -depth -type d -exec rmdir {} + 2>/dev/null || true
  done
  rm -rf "$work" "$stage" "/run/systemd/nspawn/propagate/$machine"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the package, and lintian ---------------------------------------------------------------
version="$("$build/bin/isobar" --version | cut -d' ' -f2)"
# CPack works in a folder of its own, then the package replaces the old one in one rename, so
# that whoever reads BUILD_DIR/packages meanwhile (the image build) never sees half a file.
mkdir -p "$build/packages"
stage="$(mktemp -d "$build/packages/.cpack.XXXXXX")"
(cd "$build" && cpack -G DEB -B "$stage" >/dev/null)
deb="$build/packages/isobar_${version}_amd64.deb"
[ -f "$stage/$(basename "$deb")" ] || fail "cpack made no $(basename "$deb")"
mv -f "$stage/$(basename "$deb")" "$deb"
rm -rf "$stage"
say "built $(basename "$deb"), $(($(stat -c %s "$deb") / 1024)) KiB"

# lintian refuses to be quiet about running as root; that line is not a finding.
findings="$(lintian --info "$deb" 2>&1 | grep -v 'running with root privileges' || true)"
[ -z "$findings" ] || printf '%s\n' "$findings"
if grep -qE '^[EW]: ' <<<"$findings"; then fail "lintian reports errors or warnings"; fi
say "lintian: no error, no warning"

# --- the container --------------------------------------------------------------------------
key="$(printf 'bookworm minbase %s\n' "$base_packages" | sha256sum | cut -c1-12)"
cached="$cache_root/$key"
mkdir -p "$cache_root/apt-archives"
if [ -d "$cached" ] && [ -n "$(find "$cached" -maxdepth 0 -mtime +7)" ]; then
  rm -rf "$cached" "$cache_root/apt-archives"
  mkdir -p "$cache_root/apt-archives"
fi
if [ ! -d "$cached" ]; then
  say "making the Debian 12 root file system (once; cached in $cached)"
  fresh="$(mktemp -d "$cache_root/new.XXXXXX")"
  mmdebstrap --quiet --variant=minbase --include="$base_packages" bookworm "$fresh/rootfs"
  # Another run may have made it meanwhile: keep theirs.
  mv -T "$fresh/rootfs" "$cached" 2>/dev/null || rm -rf "$fresh/rootfs"
  rmdir "$fresh"
fi


cp -a --reflink=auto "$cached" "$rootfs"
# apt's and dpkg's daily timers would fire at once in a never-booted system and take the dpkg lock.
for timer in apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer; do
  ln -sf /dev/null "$rootfs/etc/systemd/system/$timer"
done
cp "$deb" "$rootfs/root/"
# Packages downloaded by earlier runs (apt checks them against the archive's hashes).
cp -a "$cache_root/apt-archives/." "$rootfs/var/cache/apt/archives/"

# The service listens on the host's network, on the first port from 18080 that is free and that
# no other run of this check holds (a lock kept until this run ends).
port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
mkdir -p "$cache_root/ports"
port=18080
while :; do
  exec {port_lock}>"$cache_root/ports/$port.lock"
  if flock --nonblock "$port_lock" && ! port_taken "$port"; then break; fi
  exec {port_lock}>&-
  port=$((port + 1))
  [ "$port" -lt 18180 ] || fail "no free port from 18080 to 18179"
done
# The shipped settings with that port, in place before the package comes (dpkg keeps them, as
# it keeps any operator's file).
mkdir -p "$rootfs/etc/isobar" "$rootfs/srv/isobar-check"
dpkg-deb --fsys-tarfile "$deb" | tar -xO ./etc/isobar/isobar.conf \
  | sed "s/^port = 8080\$/port = $port/" >"$rootfs/etc/isobar/isobar.conf"
grep -q "^port = $port\$" "$rootfs/etc/isobar/isobar.conf" || fail "no 'port =' in isobar.conf"
cp "$repo/data/ukhsa/json/6-in-1_coverage_coverageByYear_CTRY_E92000001_all_all_5y.json" \
  "$rootfs/srv/isobar-check/"
chmod -R a+rX "$rootfs/srv/isobar-check"

# Without systemd on the host (a build container) nothing registers the machine or gives it a
# scope: it gets a cgroup made here (in systemd's hierarchy and the unified one), so that two
# runs side by side do not boot into the same one.
register=()
if [ ! -d /run/systemd/system ]; then
  register=(--register=no --keep-unit)
  while IFS=: read -r _ controllers path; do
    case "$controllers" in
      name=systemd) mount=/sys/fs/cgroup/systemd ;;
      '') mount=/sys/fs/cgroup/unified && [ -d "$mount" ] || mount=/sys/fs/cgroup ;;
      *) continue ;;
    esac
    if [ -f "$mount$path/cgroup.procs" ] && mkdir "$mount${path%/}/$machine" 2>/dev/null; then
      cgroups+=("$mount${path%/}/$machine")
    fi
  done </proc/self/cgroup
fi
(
  for cgroup in "${cgroups[@]}"; do echo "$BASHPID" >"$cgroup/cgroup.procs" || true; done
  exec systemd-nspawn --quiet --boot --directory="$rootfs" --machine="$machine" \
    "${register[@]}" --console=pipe
) >"$work/boot.log" 2>&1 </dev/null &
nspawn_pid=$!

container_init() { leader="$(pgrep -P "$nspawn_pid" | head -n1)" && [ -n "$leader" ]; }
wait_for 30 "the container did not start" container_init
# Commands inside the container, with its namespaces and root, and a clean environment.
inside() {
  nsenter --target="$leader" --all --root --wd \
    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}
in_apt() { inside apt-get -q -y -o DPkg::Lock::Timeout=60 "$@"; }
booted() {
  local state
  state="$(inside systemctl is-system-running 2>/dev/null || true)"
  [ "$state" = running ] || [ "$state" = degraded ]
}
wait_for 60 "the container's systemd did not finish booting" booted
say "container $machine booted ($((SECONDS - started)) s so far)"

# --- install --------------------------------------------------------------------------------
in_apt update >"$work/apt.log" 2>&1 || { cat "$work/apt.log"; fail "apt-get update"; }
if ! in_apt -o Dpkg::Options::=--force-confold --no-install-recommends \
  install "/root/$(basename "$deb")" >>"$work/apt.log" 2>&1; then
  cat "$work/apt.log"
  fail "apt-get install of the package"
fi
cp -n "$rootfs"/var/cache/apt/archives/*.deb "$cache_root/apt-archives/" 2>/dev/null || true
say "installed with apt ($((SECONDS - started)) s so far)"

unit_property() { inside systemctl show --property="$1" --value isobar.service; }
health() { curl -fsS --max-time 2 "http://127.0.0.1:$port/health"; }
journal() { inside journalctl --unit=isobar.service --no-pager --output=cat; }

[ "$(inside systemctl is-enabled isobar.service)" = enabled ] || fail "the unit is not enabled"
unit_active() { [ "$(unit_property ActiveState)" = active ]; }
wait_for 10 "the unit is not active after installation" unit_active
wait_for 30 "/health does not answer on port $port" health
status="$(health)"
grep -q '"status":"ok"' <<<"$status" || fail "/health: $status"
inside isobar healthcheck --config /etc/isobar/isobar.conf >/dev/null \
  || fail "isobar healthcheck inside the container"
say "the unit is active; /health and isobar healthcheck answer on port $port"

# --- restart after a crash ------------------------------------------------------------------
first_pid="$(unit_property MainPID)"
[ "$first_pid" -gt 0 ] || fail "no main PID"
inside /bin/sh -c "kill -9 $first_pid" # minbase has no kill(1); the shell's builtin
restarted() {
  local pid
  pid="$(unit_property MainPID)"
  [ "$pid" -gt 0 ] && [ "$pid" != "$first_pid" ] && unit_active
}
wait_for 20 "systemd did not restart serve after kill -9" restarted
wait_for 30 "/health does not answer after the restart" health
say "kill -9 of PID $first_pid: restarted as PID $(unit_property MainPID) (NRestarts=$(unit_property NRestarts)); /health answers"

# --- data and a chart, drawn inside the sandbox (offscreen platform, no W+X memory) ---------
# The documented way to load files into the service's store: a unit sharing its dynamic user.
inside systemd-run --quiet --wait --pipe --property=DynamicUser=yes --property=User=isobar \
  --property=StateDirectory=isobar \
  /usr/bin/isobar ingest --config /etc/isobar/isobar.conf /srv/isobar-check >"$work/ingest.log" 2>&1 \
  || { cat "$work/ingest.log"; fail "isobar ingest as the service's user"; }
chart_request='{"file_format": "png", "chart_width": 640, "chart_height": 360, "plots": [{"topic": "6-in-1", "metric": "6-in-1_coverage_coverageByYear", "geography_type": "Nation", "geography": "England", "stratum": "5y", "date_from": "2015-01-01", "chart_type": "line_with_shaded_section"}]}'
chart() {
  curl -fsS --max-time 10 -H 'Content-Type: application/json' -d "$chart_request" \
    -o "$work/chart.png" "http://127.0.0.1:$port/api/charts/v2" \
    && [ "$(head -c 4 "$work/chart.png" | od -An -c | tr -d ' ')" = '211PNG' ]
}
wait_for 15 "POST /api/charts/v2 did not answer a PNG" chart
say "ingested a UKHSA file as the service's user; a chart was drawn ($(stat -c %s "$work/chart.png") bytes)"

# --- the AccuWeather key as a credential ----------------------------------------------------
dropin=/etc/systemd/system/isobar.service.d/accuweather-key.conf
secret="check$RANDOM$RANDOM$RANDOM"
inside install -m 0600 /dev/null /etc/isobar/accuweather-api-key
printf '%s\n' "$secret" >"$rootfs/etc/isobar/accuweather-api-key"
inside install -D -m 0644 /usr/share/doc/isobar/examples/accuweather-key.conf "$dropin"
inside systemctl daemon-reload
inside systemctl restart isobar.service
wait_for 30 "/health does not answer with the key as a credential" health
# Whole outputs first, then searched: `grep -q` ends a pipe early, and pipefail would count that.
log="$(journal)"
grep -q 'AccuWeather key: file /run/credentials/isobar.service/accuweather-api-key' <<<"$log" \
  || fail "serve did not take the key from the credential"
main_pid="$(unit_property MainPID)"
exposed="$(inside cat "/proc/$main_pid/cmdline" "/proc/$main_pid/environ" | tr '\0' '\n')"
exposed+="$(unit_property Environment)$log"
if grep -qF "$secret" <<<"$exposed"; then
  fail "the key shows in the command line, the environment or the journal"
fi
inside rm -f "$dropin" /etc/isobar/accuweather-api-key
inside systemctl daemon-reload
say "the key reached serve as a credential, and nowhere else"

# --- hardening ------------------------------------------------------------------------------
inside systemd-analyze security --no-pager isobar.service >"$work/security.txt" 2>&1 || true
exposure="$(grep -o 'Overall exposure level for isobar.service: .*' "$work/security.txt" || true)"
[ -n "$exposure" ] || { cat "$work/security.txt"; fail "systemd-analyze security said nothing"; }
say "$exposure"
grep -qE ': [0-9.]+ (SAFE|OK)' <<<"$exposure" || fail "the unit is rated worse than OK"

# --- stop -----------------------------------------------------------------------------------
inside systemctl stop isobar.service
[ "$(unit_property ActiveState)" = inactive ] || fail "the unit is not inactive after stop"
[ "$(unit_property Result)" = success ] || fail "stop: Result=$(unit_property Result)"
[ "$(unit_property ExecMainStatus)" = 0 ] || fail "serve exited $(unit_property ExecMainStatus)"
refused="$(journal | grep -iE 'seccomp|denied|not permitted|cannot|memory' || true)"
[ -z "$refused" ] || fail "the sandbox refused serve something: $refused"
say "systemctl stop: Result=success, exit status 0"

# --- purge ----------------------------------------------------------------------------------
in_apt purge isobar >"$work/purge.log" 2>&1 || { cat "$work/purge.log"; fail "apt-get purge"; }
for gone in /usr/bin/isobar /etc/isobar/isobar.conf /etc/isobar /usr/lib/systemd/system/isobar.service; do
  [ ! -e "$rootfs$gone" ] || fail "$gone is still there after purge"
done
[ -z "$(inside find /etc/systemd/system -name 'isobar*')" ] || fail "unit links left after purge"
say "apt-get purge removed the program, the unit, /etc/isobar and the unit's links"

say "passed in $((SECONDS - started)) s"

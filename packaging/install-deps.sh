#!/usr/bin/env bash
# Installs the Debian 12 packages Isobar needs to build, test, benchmark and run.
# Idempotent: packages already present are left alone.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config
  # Qt 6.4 (Debian 12); QtCharts' CMake config needs libqt6opengl6-dev
  qt6-base-dev qt6-base-dev-tools libqt6sql6-sqlite qt6-httpserver-dev qt6-websockets-dev
  qt6-charts-dev qt6-svg-dev libqt6opengl6-dev libqt6svg6 qt6-qpa-plugins
  qtkeychain-qt6-dev
  # PostgreSQL as the shared store: Qt's driver, and a real server for the tests
  libqt6sql6-psql libpq-dev postgresql-15
  # Redis as the shared weather cache: hiredis (with its Qt adapter), and a real server for tests
  libhiredis-dev redis-server
  # the S3 drop-off: libcurl signs requests with AWS Signature Version 4
  libcurl4-openssl-dev
  # UKHSA's bulk download is a ZIP
  libzip-dev
  # storage and tools used by tests and benchmarks (stress-ng: CPU load beside the suite)
  sqlite3 libsqlite3-dev zlib1g-dev libpng-dev libhttp-parser-dev libssl-dev stress-ng
  # headless rendering needs real fonts
  fonts-dejavu-core
  # benchmark reference and load generator
  nginx-light wrk
  # slow and hostile clients (bench/run-hostile.sh); iptables gives them their own addresses
  slowhttptest iptables
  python3-matplotlib
  # promtool checks the /metrics exposition in the tests
  prometheus
  # real Secret Service for keychain tests
  dbus dbus-x11 gnome-keyring libsecret-tools libsecret-1-0
  # misc
  curl ca-certificates python3
  # tests/server/network-faults.sh: packet loss and resets in a network namespace of its own
  iproute2 iptables
  # style and correctness checks (packaging/check-style.sh)
  clang-format clang-tidy shellcheck git
  # CI's test build: clang with its sanitizer and libFuzzer runtimes, linked by lld
  clang libclang-rt-14-dev lld
  # the desktop end-to-end run and its screenshots need an X server
  xvfb xauth
  # shipping (packaging/container, packaging/deb, packaging/kubernetes): the image is built from
  # the Debian archive and run with podman; the .deb is checked by lintian and installed in a
  # booted systemd-nspawn container
  podman buildah runc uidmap catatonit mmdebstrap systemd-container lintian file
)

# Node.js runs the tests' S3 server (tests/support/s3); a Node.js already installed from
# elsewhere brings its own npm.
command -v npm >/dev/null || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
else
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "install-deps: installing ${missing[*]}"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# npm packages, exactly as pinned by their lock files (again only when the lock file changed).
s3="$(dirname "$0")/../tests/support/s3"
if [ ! -f "$s3/node_modules/.package-lock.json" ] \
  || [ "$s3/package-lock.json" -nt "$s3/node_modules/.package-lock.json" ]; then
  npm ci --prefix "$s3" --no-audit --no-fund
fi

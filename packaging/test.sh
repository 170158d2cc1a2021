#!/usr/bin/env bash
# Installs what is missing, builds Isobar and its tests with warnings as errors, checks the
# style (packaging/check-style.sh), runs the whole suite with ctest, then proves what ships
# (docs/DEPLOYMENT.md): the Kubernetes manifests and monitoring, the .deb in a booted systemd
# container, and the image run with podman. Arguments go to ctest.
set -euo pipefail
cd "$(dirname "$0")/.."

packaging/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DISOBAR_WERROR=ON
cmake --build build
packaging/check-style.sh build
(cd build && ctest --output-on-failure --timeout 600 -j2 "$@")

packaging/kubernetes/check.sh build
packaging/deb/check.sh build
packaging/container/check.sh build

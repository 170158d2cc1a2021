#!/usr/bin/env bash
# Builds the image localhost/isobar:VERSION from a build tree, without pulling anything: the
# root filesystem is made from the Debian archive by mmdebstrap, with Isobar's own .deb (CPack,
# packaging/deb/) installed in it, so the image and the package carry the same files and the
# same computed dependencies. Prints the image's name and size.
#
#   packaging/container/build-image.sh BUILD_DIR
#
# Reproducible: file times are clamped to the last commit's time (SOURCE_DATE_EPOCH), as is the
# image's creation time; the same commit and the same archive state give the same layer.
set -euo pipefail

build="$(realpath "${1:?usage: build-image.sh BUILD_DIR}")"
here="$(cd "$(dirname "$0")" && pwd)"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$here/containers.conf}"

version="$("$build/bin/isobar" --version | cut -d' ' -f2)"
image="localhost/isobar:$version"
SOURCE_DATE_EPOCH="$(git -C "$here" log -1 --format=%ct)"
export SOURCE_DATE_EPOCH

# The package, built from this tree if it is not there yet (find fails while packages/ is
# missing, which must not end the script).
deb="$(find "$build/packages" -maxdepth 1 -name "isobar_${version}_*.deb" 2>/dev/null | head -n1 || true)"
if [ -z "$deb" ]; then
  (cd "$build" && cpack -G DEB -B "$build/packages" >/dev/null)
  deb="$(find "$build/packages" -maxdepth 1 -name "isobar_${version}_*.deb" | head -n1)"
fi
[ -n "$deb" ] || { echo "build-image: no isobar_${version}_*.deb in $build/packages" >&2; exit 1; }

work="$(mktemp -d)"
container=""
cleanup() {
  [ -z "$container" ] || buildah rm "$container" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# The essential variant has no apt and no compilers; the dynamic loader, libc, a shell and
# dpkg stay (Debian's essential set), though nothing at run time uses the shell. Left out: docs,
# manuals, translations, and the Mesa GL drivers with the LLVM and Z3 libraries only they load
# (Qt's GUI library depends on them; `serve` draws offscreen, in software): two thirds of the
# size. The user is fixed (10001) so that Kubernetes' runAsUser and volume ownership match.
# The hooks' "$1" is the new root, expanded by mmdebstrap when it runs them, not here.
# shellcheck disable=SC2016
mmdebstrap --quiet --variant=essential \
  --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
  --hook-dir=/usr/share/mmdebstrap/hooks/file-mirror-automount \
  --include="$deb" \
  --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --dpkgopt='path-exclude=/usr/share/info/*' \
  --dpkgopt='path-exclude=/usr/lib/x86_64-linux-gnu/dri/*' \
  --dpkgopt='path-exclude=/usr/lib/x86_64-linux-gnu/libLLVM*' \
  --dpkgopt='path-exclude=/usr/lib/x86_64-linux-gnu/libz3*' \
  --customize-hook='echo "isobar:x:10001:10001:Isobar:/var/lib/isobar:/usr/sbin/nologin" >>"$1/etc/passwd"' \
  --customize-hook='echo "isobar:x:10001:" >>"$1/etc/group"' \
  --customize-hook='install -d -o 10001 -g 10001 -m 0750 "$1/var/lib/isobar"' \
  --customize-hook='rm -rf "$1"/var/cache/* "$1"/var/log/* "$1"/var/lib/apt' \
  bookworm "$work/rootfs.tar" >"$work/mmdebstrap.log" 2>&1 \
  || { cat "$work/mmdebstrap.log" >&2; exit 1; }

container="$(buildah from --pull=never scratch)"
buildah add --quiet "$container" "$work/rootfs.tar" / >/dev/null
# Everything `serve` needs to run in a container comes from ISOBAR_* variables; the store is
# SQLite on the volume unless ISOBAR_DATABASE names PostgreSQL. The API listens on all of the
# container's interfaces, /metrics on its own port for the scraper.
buildah config \
  --entrypoint '["/usr/bin/isobar", "serve"]' --cmd '' \
  --user 10001:10001 --workingdir /var/lib/isobar \
  --env LANG=C.UTF-8 --env QT_QPA_PLATFORM=offscreen \
  --env ISOBAR_BIND=0.0.0.0 --env ISOBAR_PORT=8080 \
  --env ISOBAR_METRICS_BIND=0.0.0.0 --env ISOBAR_METRICS_PORT=9090 \
  --env ISOBAR_DATABASE=/var/lib/isobar/isobar.db \
  --port 8080 --port 9090 --volume /var/lib/isobar \
  --stop-signal SIGTERM \
  --healthcheck 'CMD /usr/bin/isobar healthcheck' \
  --healthcheck-interval 10s --healthcheck-timeout 5s --healthcheck-start-period 10s \
  --healthcheck-retries 3 \
  --label org.opencontainers.image.title=isobar \
  --label org.opencontainers.image.version="$version" \
  --label org.opencontainers.image.revision="$(git -C "$here" rev-parse HEAD)" \
  "$container" 2>/dev/null # buildah warns that OCI has no HEALTHCHECK: the image is Docker's
buildah commit --quiet --format docker --timestamp "$SOURCE_DATE_EPOCH" --rm "$container" \
  "$image" >/dev/null
container=""

size="$(podman image inspect --format '{{.Size}}' "$image")"
echo "build-image: $image, $((size / 1024 / 1024)) MiB"

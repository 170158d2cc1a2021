#!/bin/sh
# Runs a command against a real, unlocked Secret Service: a private D-Bus session bus with
# gnome-keyring-daemon on it, in a throw-away HOME so no real keyring is ever touched.
# Usage: with-keyring.sh COMMAND [ARGS...]
# Fails (exit 125) when the keyring cannot be started, so keychain tests never pass by skipping.
set -eu

if [ "${ISOBAR_WITH_KEYRING_INNER:-}" != 1 ]; then
    for tool in dbus-run-session gnome-keyring-daemon; do
        if ! command -v "$tool" >/dev/null 2>&1; then
            echo "with-keyring: $tool is missing (packaging/install-deps.sh installs it)" >&2
            exit 125
        fi
    done
    sandbox=$(mktemp -d "${TMPDIR:-/tmp}/isobar-keyring.XXXXXX")
    trap 'rm -rf "$sandbox"' EXIT INT TERM
    mkdir -p "$sandbox/home" "$sandbox/config" "$sandbox/data" "$sandbox/cache" "$sandbox/runtime"
    chmod 700 "$sandbox/runtime"
    status=0
    env HOME="$sandbox/home" XDG_CONFIG_HOME="$sandbox/config" XDG_DATA_HOME="$sandbox/data" \
        XDG_CACHE_HOME="$sandbox/cache" XDG_RUNTIME_DIR="$sandbox/runtime" \
        ISOBAR_WITH_KEYRING_INNER=1 \
        dbus-run-session -- "$0" "$@" || status=$?
    exit "$status"
fi

# Inside the private session bus. No display: a keyring prompt could never be answered.
unset DISPLAY WAYLAND_DISPLAY
# Unlocking with a password creates the "login" collection on first use and makes it the
# default, so stores need no prompt.
printf '%s' "isobar-test-keyring" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
# The daemon claims its bus name after it forks; wait for it so that a client's request does
# not D-Bus-activate a second, locked daemon instead. A minute at most: a loaded machine can be
# slow to start it.
owned=false
for _ in $(seq 600); do
    if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
        org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; then
        owned=true
        break
    fi
    sleep 0.1
done
if [ "$owned" != true ]; then
    echo "with-keyring: gnome-keyring-daemon did not claim org.freedesktop.secrets" >&2
    exit 125
fi
if ! command -v secret-tool >/dev/null 2>&1; then
    echo "with-keyring: secret-tool is missing (packaging/install-deps.sh installs libsecret-tools)" >&2
    exit 125
fi
# Prove the keyring answers before handing over: store, read back, clear a probe item.
if ! printf probe | secret-tool store --label=isobar-keyring-probe isobar-probe 1 2>/dev/null \
    || [ "$(secret-tool lookup isobar-probe 1 2>/dev/null)" != probe ]; then
    echo "with-keyring: gnome-keyring started but does not store secrets" >&2
    exit 125
fi
secret-tool clear isobar-probe 1
export ISOBAR_TEST_KEYRING=1
exec "$@"

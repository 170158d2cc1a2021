#!/usr/bin/env bash
# A throwaway PostgreSQL 15 for the test suite: `start DIR` makes a cluster in DIR (initdb, as
# the postgres user when run as root, since initdb refuses root), listens on a free loopback port
# and writes its URL to DIR/url; `stop DIR` stops it and removes DIR. ctest runs these as the
# setup and cleanup of the `postgresql` fixture; each suite then creates its own database.
# Trust authentication on loopback only: the cluster lives as long as the test run.
set -euo pipefail

action="${1:?usage: postgres-server.sh start|stop DIR}"
dir="${2:?usage: postgres-server.sh start|stop DIR}"
bindir="$(pg_config --bindir 2>/dev/null || true)"
[ -x "$bindir/initdb" ] || bindir=/usr/lib/postgresql/15/bin

as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

case "$action" in
start)
    # A run that was killed before its cleanup may have left its server running here.
    if [ -f "$dir/data/postmaster.pid" ]; then
        as_owner "$bindir/pg_ctl" --pgdata="$dir/data" --mode=immediate --wait stop > /dev/null || true
    fi
    rm -rf "$dir"
    mkdir -p "$dir/socket"
    [ "$(id -u)" = 0 ] && chown -R postgres: "$dir"
    as_owner "$bindir/initdb" --pgdata="$dir/data" --username=isobar --auth=trust \
        --encoding=UTF8 --locale=C.UTF-8 --no-sync > "$dir/initdb.log"
    # A port taken between choosing and binding makes pg_ctl fail: choose again.
    for attempt in 1 2 3 4 5; do
        port="$(free_port)"
        if as_owner "$bindir/pg_ctl" --pgdata="$dir/data" --log="$dir/server.log" --wait \
            --timeout=60 --options="-p $port -k $dir/socket -c listen_addresses=127.0.0.1 \
-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
            start > /dev/null; then
            echo "postgresql://isobar@127.0.0.1:$port/postgres" > "$dir/url"
            echo "postgres-server: listening on 127.0.0.1:$port (attempt $attempt)"
            exit 0
        fi
    done
    cat "$dir/server.log" >&2
    exit 1
    ;;
stop)
    if [ -d "$dir/data" ]; then
        as_owner "$bindir/pg_ctl" --pgdata="$dir/data" --mode=immediate --wait stop > /dev/null || true
    fi
    rm -rf "$dir"
    ;;
*)
    echo "usage: postgres-server.sh start|stop DIR" >&2
    exit 2
    ;;
esac

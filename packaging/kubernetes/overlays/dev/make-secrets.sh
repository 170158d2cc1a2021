#!/usr/bin/env bash
# Makes the dev overlay's credentials, random, in overlays/dev/secrets/ (ignored by git), once:
# a laptop cluster's PostgreSQL and Redis passwords and the AccuWeather sandbox's key. Run it
# before `kubectl apply -k packaging/kubernetes/overlays/dev`; later runs keep what is there.
set -euo pipefail
secrets="$(cd "$(dirname "$0")" && pwd)/secrets"
mkdir -p "$secrets"
chmod 0700 "$secrets"
random() { od -An -N16 -tx1 /dev/urandom | tr -d ' \n'; }

[ -f "$secrets/postgresql-password" ] || random >"$secrets/postgresql-password"
[ -f "$secrets/redis-password" ] || random >"$secrets/redis-password"
[ -f "$secrets/accuweather-api-key" ] || echo "dev-sandbox-$(random)" >"$secrets/accuweather-api-key"

# libpq's service file (PGSERVICE=isobar), and Redis's configuration, from the passwords.
printf '[isobar]\npassword=%s\n' "$(cat "$secrets/postgresql-password")" >"$secrets/pg_service.conf"
printf 'requirepass %s\nsave ""\nappendonly no\ndir /data\n' "$(cat "$secrets/redis-password")" \
  >"$secrets/redis.conf"
chmod 0600 "$secrets"/*

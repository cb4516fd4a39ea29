#!/usr/bin/env bash
# Installs (from Debian) and starts the real services the platform and its tests use:
# PostgreSQL, Redis, Prometheus (promtool) and Chromium. Idempotent: safe to run again.
# Usage: scripts/provision-services.sh            (PostgreSQL + Redis + test tools)
#        LANYARD_PROVISION=minimal scripts/...    (PostgreSQL + Redis only, for `npm run up`)
set -euo pipefail

PGPORT="${PGPORT:-5432}"
REDIS_PORT="${REDIS_PORT:-6379}"
DB_USER="${LANYARD_DB_USER:-lanyard}"
DB_PASSWORD="${LANYARD_DB_PASSWORD:-lanyard}"
DB_NAME="${LANYARD_DB_NAME:-lanyard}"

log() { printf '[provision] %s\n' "$*" >&2; }

# `npm run up` and `npm test` may start together on a fresh machine: one provisions at a time
# (apt/dpkg and cluster start-up are not safe to run twice at once); the second finds it done.
exec 8>"${TMPDIR:-/tmp}/lanyard-provision.lock"
if ! flock -n 8; then
  log "another provisioning run is in progress; waiting for it"
  flock 8
fi
# Every daemon this script starts (and apt's maintainer scripts, which may start PostgreSQL) runs
# with fd 8 closed (`8>&-`): a daemon that inherited it would hold the lock for as long as it runs,
# and every later run (`npm run up` after `npm test`) would wait for it forever.

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

packages=(postgresql redis-server)
if [ "${LANYARD_PROVISION:-full}" != minimal ]; then
  packages+=(prometheus chromium etcd-server docker-compose openssl)
fi

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing ${missing[*]} from Debian"
  as_root apt-get update -qq
  # --no-install-recommends: docker-compose would otherwise drag in the docker engine.
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 8>&-
fi

# --- PostgreSQL -------------------------------------------------------------------------------
pg_version="$(ls /etc/postgresql | sort -n | tail -1)"
if ! pg_lsclusters -h | awk '{print $4}' | grep -q online; then
  conf="/etc/postgresql/${pg_version}/main"
  # Password auth over TCP for the app; the cluster itself runs as `postgres` (it refuses root).
  if ! grep -q 'lanyard-provision' "$conf/pg_hba.conf"; then
    as_root sed -i '1i host all all 127.0.0.1/32 scram-sha-256 # lanyard-provision\nhost all all ::1/128 scram-sha-256 # lanyard-provision' "$conf/pg_hba.conf"
  fi
  # Tests create a database per test file; a few more connections than the default 100 avoid flakes.
  as_root sed -i "s/^#\?max_connections = .*/max_connections = 300/" "$conf/postgresql.conf"
  as_root sed -i "s/^#\?port = .*/port = ${PGPORT}/" "$conf/postgresql.conf"
  log "starting PostgreSQL ${pg_version} on :${PGPORT}"
  as_root pg_ctlcluster --skip-systemctl-redirect "$pg_version" main start 8>&-
fi
for _ in $(seq 1 50); do pg_isready -q -h 127.0.0.1 -p "$PGPORT" && break; sleep 0.2; done

psql_admin() { as_root su postgres -c "psql -v ON_ERROR_STOP=1 -q -p ${PGPORT} $*"; }
if ! psql_admin "-tAc \"select 1 from pg_roles where rolname='${DB_USER}'\"" | grep -q 1; then
  log "creating role ${DB_USER}"
  psql_admin "-c \"create role ${DB_USER} login createdb password '${DB_PASSWORD}'\""
fi
# Tests drop their databases WITH (FORCE); that must be allowed to end an autovacuum worker
# still busy in one, which only pg_signal_backend permits to a non-superuser.
psql_admin "-c \"grant pg_signal_backend to ${DB_USER}\"" >/dev/null
if ! psql_admin "-tAc \"select 1 from pg_database where datname='${DB_NAME}'\"" | grep -q 1; then
  log "creating database ${DB_NAME}"
  psql_admin "-c \"create database ${DB_NAME} owner ${DB_USER}\""
fi

# --- Redis ------------------------------------------------------------------------------------
if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
  log "starting Redis on :${REDIS_PORT}"
  redis-server --daemonize yes --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
    --logfile /tmp/lanyard-redis.log 8>&-
  for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
fi

log "PostgreSQL postgres://${DB_USER}:***@127.0.0.1:${PGPORT}/${DB_NAME} and Redis redis://127.0.0.1:${REDIS_PORT} are up"

#!/usr/bin/env bash
# Runs the three API benchmarks (client_credentials, refresh_token, hosted login) against a fresh,
# migrated bench database and prints a summary table. Benchmarks, not tests: nothing here asserts.
# Usage: services/api/bench/run-all.sh          (or: npm run bench -w @lanyard/api)
# Knobs (env): BENCH_DURATION, BENCH_WARMUP, BENCH_CONNECTIONS, BENCH_LOGIN_CONNECTIONS, BENCH_ROUNDS,
# BENCH_SERVER_CPUS, BENCH_CLIENT_CPUS, BENCH_RESULTS_DIR, BENCH_DATABASE_ADMIN_URL — docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/../../.."

log() { printf '[bench] %s\n' "$*" >&2; }

ADMIN_URL="${BENCH_DATABASE_ADMIN_URL:-postgres://lanyard:lanyard@127.0.0.1:5432/postgres}"
REDIS_URL="${BENCH_REDIS_URL:-redis://127.0.0.1:6379}"

if ! pg_isready -q -h 127.0.0.1 -p 5432 || ! redis-cli -u "$REDIS_URL" ping >/dev/null 2>&1; then
  log "starting PostgreSQL and Redis"
  LANYARD_PROVISION=minimal bash scripts/provision-services.sh
fi

DB_NAME="lanyard_bench_$(date +%Y%m%d%H%M%S)_$$"
DB_URL="${ADMIN_URL%/*}/${DB_NAME}"
RESULTS_DIR="${BENCH_RESULTS_DIR:-.cache/bench/$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$RESULTS_DIR"

cleanup() { psql "$ADMIN_URL" -q -c "drop database if exists ${DB_NAME} with (force)" >/dev/null 2>&1 || true; }
trap cleanup EXIT

log "creating and migrating ${DB_NAME}"
psql "$ADMIN_URL" -q -v ON_ERROR_STOP=1 -c "create database ${DB_NAME}"
DATABASE_URL="$DB_URL" npm run --silent migrate >/dev/null

# Three rounds per target (order rotated, median reported): single runs vary ±20 % on this machine.
export BENCH_ROUNDS="${BENCH_ROUNDS:-3}"
export BENCH_DATABASE_URL="$DB_URL" BENCH_RESULTS_DIR="$RESULTS_DIR" BENCH_REDIS_URL="$REDIS_URL"
for bench in client-credentials refresh login; do
  log "running ${bench}"
  npx tsx "services/api/bench/${bench}.ts"
done
npx tsx services/api/bench/summary.ts "$RESULTS_DIR"
log "figures kept in ${RESULTS_DIR}"

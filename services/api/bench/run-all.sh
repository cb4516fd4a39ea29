#!/usr/bin/env bash
# Runs the API benchmarks (client_credentials, refresh_token, hosted login, scale-out) against a fresh,
# migrated bench database, first on the machine as it is (quiet) and then with a fixed CPU hog on the
# driver's core (busy), and prints a summary table per mode. Benchmarks, not tests: nothing asserts.
# Usage: services/api/bench/run-all.sh [--quiet | --busy]    (or: npm run bench; default: both modes)
# Knobs (env): BENCH_DURATION, BENCH_WARMUP, BENCH_CONNECTIONS, BENCH_LOGIN_CONNECTIONS, BENCH_ROUNDS,
# BENCH_SERVER_CPUS, BENCH_CLIENT_CPUS, BENCH_RESULTS_DIR, BENCH_DATABASE_ADMIN_URL, BENCH_KEYCLOAK — docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/../../.."

log() { printf '[bench] %s\n' "$*" >&2; }

ADMIN_URL="${BENCH_DATABASE_ADMIN_URL:-postgres://lanyard:lanyard@127.0.0.1:5432/postgres}"
REDIS_URL="${BENCH_REDIS_URL:-redis://127.0.0.1:6379}"

if ! pg_isready -q -h 127.0.0.1 -p 5432 || ! redis-cli -u "$REDIS_URL" ping >/dev/null 2>&1; then
  log "starting PostgreSQL and Redis"
  LANYARD_PROVISION=minimal bash scripts/provision-services.sh
fi
# Nothing prepared by hand: npm dependencies, and the kube-apiserver + etcd the operator bench runs
# against (seconds when both are there; Keycloak is fetched by the benches that use it).
bash scripts/ensure-node-modules.sh >&2
bash scripts/build-k8s-test-bins.sh >&2

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
case "${1:-}" in
  --quiet) MODES=(quiet) ;;
  --busy) MODES=(busy) ;;
  '') MODES=(quiet busy) ;;
  *) log "usage: run-all.sh [--quiet | --busy]"; exit 2 ;;
esac
for mode in "${MODES[@]}"; do
  export BENCH_BUSY=$([[ "$mode" == busy ]] && echo 1 || echo 0) BENCH_RESULTS_DIR="${RESULTS_DIR}/${mode}"
  for bench in client-credentials refresh login scale-out; do
    log "running ${bench} (${mode})"
    npx tsx "services/api/bench/${bench}.ts"
  done
done
# The operator's convergence is not a contention claim: it runs once, with the quiet figures.
if [[ " ${MODES[*]} " == *" quiet "* ]]; then
  log "running operator convergence (quiet)"
  BENCH_BUSY=0 BENCH_RESULTS_DIR="${RESULTS_DIR}/quiet" npx tsx operator/bench/converge.ts
fi
for mode in "${MODES[@]}"; do npx tsx services/api/bench/summary.ts "${RESULTS_DIR}/${mode}"; done
log "figures kept in ${RESULTS_DIR}"

#!/usr/bin/env bash
# `npm run up`: brings the platform up on this machine for development:
# PostgreSQL + Redis (installed from Debian and started if needed), dependencies, a generated .env,
# migrations, then the API on :8000 (/metrics on :9464), the worker on :5555 and a development
# mailbox on :8025 (SMTP :1025) that shows every email the platform sends (Ctrl-C stops them all).
set -euo pipefail
cd "$(dirname "$0")/.."

LANYARD_PROVISION=minimal bash scripts/provision-services.sh

bash scripts/ensure-node-modules.sh

# .env holds secrets: created with mode 0600; an existing one loses any group/other access.
bash scripts/write-dev-env.sh .env
# KEY=VALUE lines, exported verbatim (not `source`d: values such as SMTP_FROM contain `<`).
while IFS= read -r line || [ -n "$line" ]; do
  case "$line" in ''|'#'*) continue ;; esac
  export "${line%%=*}=${line#*=}"
done < .env

npm run --silent migrate

pids=()
cleanup() { for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done; wait; }
trap cleanup EXIT INT TERM

# Mail for development: a local mailbox on :1025 (SMTP) / :8025 (messages), unless something (a
# Mailpit, a real relay) already listens on the SMTP port.
if ! (exec 3<>/dev/tcp/127.0.0.1/1025) 2>/dev/null; then
  npx tsx packages/testing/bin/dev-mailbox.ts &
  pids+=($!)
fi

if [ -f services/worker/src/server.ts ]; then
  npx tsx services/worker/src/server.ts &
  pids+=($!)
fi
npx tsx services/api/src/server.ts &
pids+=($!)
wait -n

#!/usr/bin/env bash
# The whole test suite, runnable on a fresh machine with nothing run before it:
#   1. provision what the tests run against (PostgreSQL, Redis, Chromium, promtool, etcd from Debian;
#      started if stopped) — seconds when everything is there;
#   2. install npm dependencies when package-lock.json changed since the last install;
#   3. build the real Kubernetes test binaries from their Go modules into ~/.cache/lanyard (outside
#      the clone, stamp-checked: ~15–25 min cold, ~1 s warm);
#   4. static checks, then every vitest project against the real services.
# Environment: LANYARD_SKIP_PROVISION=1 skips steps 1–3 (when you know they are done).
set -euo pipefail
cd "$(dirname "$0")/.."

started=$SECONDS
step() { printf '\n== %s (t+%ss)\n' "$*" "$((SECONDS - started))"; }

if [ "${LANYARD_SKIP_PROVISION:-0}" != 1 ]; then
  step "provision services (PostgreSQL, Redis, Chromium, promtool, etcd)"
  bash scripts/provision-services.sh

  step "npm dependencies"
  bash scripts/ensure-node-modules.sh

  step "Kubernetes test binaries (kube-apiserver, etcd, kubectl, helm, tilt)"
  bash scripts/build-k8s-test-bins.sh --with-tilt

  step "API fuzzer (schemathesis from PyPI, pinned, into ~/.cache/lanyard)"
  bash scripts/ensure-schemathesis.sh
fi

step "lint (eslint, including the dependency-direction rules)"
npx eslint --max-warnings 0 .

step "typecheck (tsc --noEmit, strict)"
npx tsc -p tsconfig.json

step "import cycles (madge)"
npx madge --circular --extensions ts --ts-config tsconfig.json packages services operator cdk8s

step "tests (vitest: unit + integration against real services)"
report_dir=$(mktemp -d)
trap 'rm -rf "$report_dir"' EXIT
status=0
# No colour: the summary lines must read the same to a person and to a log parser.
NO_COLOR=1 npx vitest run --reporter=default --reporter=json --outputFile.json="$report_dir/vitest.json" || status=$?
# One plain totals line at the very end, for whoever reads only the last lines.
node scripts/print-test-totals.mjs "$report_dir/vitest.json" || status=$((status == 0 ? 1 : status))
step "done"
exit "$status"

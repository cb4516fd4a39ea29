#!/usr/bin/env bash
# The whole test suite: static checks, then every vitest project against the real services
# (PostgreSQL, Redis, ... — start them with scripts/provision-services.sh; .ci/run does).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "lint (eslint, including the dependency-direction rules)"
npx eslint --max-warnings 0 .

step "typecheck (tsc --noEmit, strict)"
npx tsc -p tsconfig.json

step "import cycles (madge)"
npx madge --circular --extensions ts --ts-config tsconfig.json packages services operator cdk8s

step "tests (vitest: unit + integration against real services)"
npx vitest run

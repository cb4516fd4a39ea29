#!/usr/bin/env bash
# Installs npm dependencies exactly as package-lock.json locks them (npm ci) when they are missing
# or the lock file changed since the last install; seconds otherwise. `npm run up` and `npm test`
# both call it, possibly at the same moment, so installs are serialised by a lock.
set -euo pipefail
cd "$(dirname "$0")/.."

stamp_file=node_modules/.lanyard-lock-stamp
want="$(sha256sum package-lock.json | cut -c1-16)"
current() { cat "$stamp_file" 2>/dev/null || true; }

exec 7>"${TMPDIR:-/tmp}/lanyard-npm-$(pwd | sha256sum | cut -c1-12).lock"
flock 7
if [ -d node_modules ] && [ "$(current)" = "$want" ]; then
  echo "npm dependencies up to date (package-lock.json unchanged)"
  exit 0
fi
echo "installing exactly what package-lock.json locks (npm ci)"
npm ci --no-audit --no-fund
echo "$want" > "$stamp_file"

#!/usr/bin/env bash
# Writes the development .env that `npm run up` (scripts/up.sh) runs with: .env.example with
# NODE_ENV=development, the demo seeded and fresh random secrets.
#
#   bash scripts/write-dev-env.sh [target]      (default: .env at the repository root)
#
# The file holds secrets, so it is created with mode 0600 (owner only), whatever the caller's
# umask. An existing file is never overwritten (restarts keep the same keys, so tokens stay
# valid), but if group or others may read it, their access is removed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
target="${1:-$root/.env}"
example="$root/.env.example"

if [ -e "$target" ]; then
  # Group and other permission bits of `ls -l` (POSIX, unlike stat's and find's flags).
  if [ "$(ls -ld "$target" | cut -c5-10)" != "------" ]; then
    echo "[up] $target was accessible to others; restricting it to its owner (chmod go=)" >&2
    chmod go= "$target"
  fi
  exit 0
fi

echo "[up] writing $target (development; fresh random secrets)" >&2
umask 077
# Written next to the target and renamed into place: never a half-written .env, never a moment
# in which the secrets sit in a file with a looser mode.
tmp="$(mktemp "$target.XXXXXX")"
trap 'rm -f "$tmp"' EXIT
sed -e "s|^NODE_ENV=.*|NODE_ENV=development|" \
    -e "s|^SEED_DEMO=.*|SEED_DEMO=true|" \
    -e "s|^KEY_ENCRYPTION_KEY=.*|KEY_ENCRYPTION_KEY=$(openssl rand -base64 32)|" \
    -e "s|^BOOTSTRAP_ADMIN_CLIENT_SECRET=.*|BOOTSTRAP_ADMIN_CLIENT_SECRET=$(openssl rand -base64 32 | tr -d '=+/')|" \
    "$example" > "$tmp"
chmod 600 "$tmp"
mv -f "$tmp" "$target"
trap - EXIT

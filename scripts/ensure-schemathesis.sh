#!/usr/bin/env bash
# Installs the API fuzzer, schemathesis (from PyPI, one pinned version), into a virtualenv outside
# the clone, so a fresh clone (CI) reuses the one an earlier clone installed:
#
#   ${LANYARD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lanyard}/schemathesis-<version>/
#
# and prints the path of its `st` executable (the only line on stdout; progress goes to stderr).
# The fuzz test (services/api/test/integration/fuzz/) calls it too, so it also works run alone.
# Idempotent: ~10 ms when that version is installed (a stamp written after a complete install);
# ~15–40 s cold. `npm test` and a fuzz test may call it at once: installs are serialised by a lock.
#
# Usage: scripts/ensure-schemathesis.sh [--force] [--print-path]
#   --force       reinstall even when the stamp is there
#   --print-path  print where `st` is (or will be) and exit (installs nothing)
set -euo pipefail

# Read the docs of this version before using a newer CLI flag: `st run --help`.
VERSION=4.32.5
# Its dependencies, pinned too (pip freeze of a clean install): Hypothesis generates the cases, so
# the same seed gives the same run only with the same Hypothesis. Bump together with VERSION.
CONSTRAINTS="anyio==4.16.0
certifi==2026.10.19.post1
charset-normalizer==3.5.3
click==8.5.1
graphql-core==3.3.2
harfile==0.6.0
hypothesis==6.170.17
hypothesis-graphql==0.13.5
idna==3.20
iniconfig==2.3.1
jsonschema_rs==0.60.3
markdown-it-py==4.3.0
MarkupSafe==3.0.4
mdurl==0.1.2
packaging==26.4
pluggy==1.7.0
Pygments==2.21.0
pyrate-limiter==4.5.1
pytest==9.2.0
PyYAML==6.0.4
requests==2.34.2
rich==15.0.0
sortedcontainers==2.4.0
typing_extensions==4.16.0
urllib3==2.8.0
Werkzeug==3.1.9"
CACHE="${LANYARD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lanyard}"
VENV="$CACHE/schemathesis-$VERSION"
ST="$VENV/bin/st"
STAMP="$VENV/.lanyard-complete"
WANT="$VERSION $(printf '%s' "$CONSTRAINTS" | sha256sum | cut -c1-16)"

FORCE=0
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1 ;;
    --print-path) echo "$ST"; exit 0 ;;
    -h|--help) awk 'NR>1 && !/^#/ {exit} NR>1 {sub(/^# ?/, ""); print}' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done

log() { printf '[schemathesis] %s\n' "$*" >&2; }
installed() { [ -f "$STAMP" ] && [ -x "$ST" ] && [ "$(cat "$STAMP")" = "$WANT" ]; }

# Fast path, without the lock: a complete install is never modified in place.
if [ "$FORCE" = 0 ] && installed; then
  echo "$ST"
  exit 0
fi

mkdir -p "$CACHE"
exec 9>"$CACHE/.schemathesis-$VERSION.lock"
if ! flock -n 9; then
  log "another install of schemathesis $VERSION is running; waiting for it"
  flock 9
fi
# Whoever held the lock may have just finished the same install.
if [ "$FORCE" = 0 ] && installed; then
  echo "$ST"
  exit 0
fi

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
PYTHON="${LANYARD_PYTHON:-python3}"
if ! command -v "$PYTHON" >/dev/null || ! "$PYTHON" -c 'import venv, ensurepip' 2>/dev/null; then
  log "installing python3 and python3-venv from Debian"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3 python3-venv >/dev/null
  PYTHON=python3
fi
"$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || {
  echo "error: $("$PYTHON" --version 2>&1) is too old; schemathesis $VERSION needs Python >= 3.11" >&2
  exit 1
}

# A half-made venv (interrupted install) is removed, never repaired. Venvs are not relocatable
# (scripts carry absolute shebangs), so it is built in place, under the lock, and stamped last.
log "installing schemathesis $VERSION into $VENV ($("$PYTHON" --version 2>&1))"
rm -rf "$VENV"
"$PYTHON" -m venv "$VENV"
printf '%s\n' "$CONSTRAINTS" > "$VENV/constraints.txt"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -c "$VENV/constraints.txt" "schemathesis==$VERSION" >&2
"$ST" --version >&2
echo "$WANT" > "$STAMP"
echo "$ST"

#!/usr/bin/env bash
# Builds tools/alloy-syntax (a small checker on Grafana Alloy's own syntax module, pinned by
# tools/alloy-syntax/go.mod) into a git-ignored cache outside the clone, and prints its path on
# the last line of stdout:
#
#   ${LANYARD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lanyard}/alloy-bin/alloy-syntax
#
# Idempotent: rebuilt only when its stamp (hash of the tool's go.mod, go.sum and sources, the Go
# version and the build flags) changed; a cached binary costs a few milliseconds. Parallel callers
# build once, under a lock. Progress goes to stderr.
#
# Usage: scripts/build-alloy-syntax.sh [--force]
#   ALLOY_SYNTAX=/path/to/alloy-syntax overrides the build.
set -euo pipefail

if [[ -n "${ALLOY_SYNTAX:-}" && -x "${ALLOY_SYNTAX}" ]]; then echo "$ALLOY_SYNTAX"; exit 0; fi

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOL="$REPO/tools/alloy-syntax"
BIN="${LANYARD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lanyard}/alloy-bin"
FORCE=0
[[ "${1:-}" == --force ]] && FORCE=1

command -v go >/dev/null || { echo "error: go is not installed (need Go >= 1.26)" >&2; exit 1; }

export CGO_ENABLED=0
export GOFLAGS="-mod=readonly -buildvcs=false"
FLAGS=(-trimpath -ldflags=-s\ -w)

mkdir -p "$BIN"
exec 7>"$BIN/.build.lock"
flock 7

want="$({ go env GOVERSION GOOS GOARCH; echo "${FLAGS[*]} $GOFLAGS CGO=$CGO_ENABLED"; cat "$TOOL/go.mod" "$TOOL/go.sum" "$TOOL"/*.go; } | sha256sum | cut -c1-16)"
if [[ $FORCE == 0 && -x "$BIN/alloy-syntax" && -f "$BIN/.alloy-syntax.stamp" && "$(cat "$BIN/.alloy-syntax.stamp")" == "$want" ]]; then
  echo "$BIN/alloy-syntax"
  exit 0
fi

echo "==> building alloy-syntax (github.com/grafana/alloy/syntax $(cd "$TOOL" && go list -m -f '{{.Version}}' github.com/grafana/alloy/syntax))" >&2
tmp="$(mktemp "$BIN/.alloy-syntax.XXXXXX")"
(cd "$TOOL" && go build "${FLAGS[@]}" -o "$tmp" .) >&2
mv -f "$tmp" "$BIN/alloy-syntax"
echo "$want" > "$BIN/.alloy-syntax.stamp"
echo "$BIN/alloy-syntax"

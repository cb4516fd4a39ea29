#!/usr/bin/env bash
# Prints the path of one of the Kubernetes test tools (helm, tilt, kubectl, kube-apiserver, etcd),
# building them first with scripts/build-k8s-test-bins.sh when needed (idempotent: a cached binary
# with a matching stamp costs ~0.1 s). Parallel callers (test files) build once, under a lock.
# An override wins: HELM=/path/to/helm, TILT=/path/to/tilt.
# Progress goes to stderr; only the path goes to stdout:  HELM="$(scripts/ensure-k8s-tool.sh helm)"
set -euo pipefail

tool="${1:?usage: ensure-k8s-tool.sh helm|tilt|kubectl|kube-apiserver|etcd}"
override_var="$(echo "$tool" | tr 'a-z-' 'A-Z_')"
if [[ -n "${!override_var:-}" && -x "${!override_var}" ]]; then echo "${!override_var}"; exit 0; fi

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="$("$REPO/scripts/build-k8s-test-bins.sh" --print-dir)"
mkdir -p "$BIN"
exec 9>"$BIN/.ensure.lock"
flock 9
flags=()
[[ "$tool" == tilt ]] && flags+=(--with-tilt)
"$REPO/scripts/build-k8s-test-bins.sh" "${flags[@]}" >&2
[[ -x "$BIN/$tool" ]] || { echo "error: $BIN/$tool was not built" >&2; exit 1; }
echo "$BIN/$tool"

#!/usr/bin/env bash
# Build real Kubernetes test binaries (kube-apiserver, kubectl, etcd, helm and,
# with --with-tilt, tilt) from their Go modules into a git-ignored cache:
#
#   ${LANYARD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lanyard}/k8s-bin/
#
# Outside the clone on purpose: a fresh clone (CI) reuses binaries built for an earlier one.
#
# Versions are pinned by the go.mod/go.sum files under tools/k8s-test-bins/.
# Idempotent: a binary is rebuilt only when its stamp (hash of the pinning
# go.mod/go.sum, the Go version and this script's build flags) changed.
# See docs/k8s-test-env.md.
#
# Usage: scripts/build-k8s-test-bins.sh [--with-tilt] [--force] [--print-dir]
#   --with-tilt  also build tilt (slow, optional)
#   --force      rebuild even when the stamps match
#   --print-dir  print the binary directory and exit (builds nothing)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$REPO/tools/k8s-test-bins"
BIN="${LANYARD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lanyard}/k8s-bin"

WITH_TILT=0
FORCE=0
for arg in "$@"; do
  case "$arg" in
    --with-tilt) WITH_TILT=1 ;;
    --force) FORCE=1 ;;
    --print-dir) echo "$BIN"; exit 0 ;;
    -h|--help) awk 'NR>1 && !/^#/ {exit} NR>1 {sub(/^# ?/, ""); print}' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done

command -v go >/dev/null || { echo "error: go is not installed (need Go >= 1.26)" >&2; exit 1; }
GO_VERSION="$(go env GOVERSION)"
case "$GO_VERSION" in
  go1.2[6-9]*|go1.[3-9][0-9]*) ;;
  *) echo "error: $GO_VERSION is too old; the pinned modules need Go >= 1.26" >&2; exit 1 ;;
esac

# Static binaries, no C toolchain needed; go.sum must match (never edited here);
# no VCS stamping (the pinning modules live inside this repo's work tree).
export CGO_ENABLED=0
export GOFLAGS="-mod=readonly -buildvcs=false"
BUILD_FLAGS=(-trimpath)
BASE_LDFLAGS="-s -w"

mkdir -p "$BIN"
# Two clones (or two `npm test`s) may build at once; they share this cache, so one builds at a time.
exec 6>"$BIN/.build.lock"
if ! flock -n 6; then
  echo "==> another build of the Kubernetes test binaries is running; waiting for it"
  flock 6
fi

modver() { # <module dir> <module path> -> version selected in that go.mod
  (cd "$1" && go list -m -f '{{if .Replace}}{{.Replace.Version}}{{else}}{{.Version}}{{end}}' "$2")
}

# stamp <name> <module dir> <ldflags>: what a cached binary must have been built from
stamp() {
  { echo "$GO_VERSION $(go env GOOS)/$(go env GOARCH) ${BUILD_FLAGS[*]} $GOFLAGS CGO=$CGO_ENABLED"
    echo "$3"
    cat "$2/go.mod" "$2/go.sum"
  } | sha256sum | cut -c1-16
}

BUILT=()
SKIPPED=()

# build <module dir> <ldflags> <name=package>...
build() {
  local dir="$1" ldflags="$2"; shift 2
  local todo=() pairs=() p name pkg want
  want="$(stamp x "$dir" "$ldflags")"
  for p in "$@"; do
    name="${p%%=*}"
    if [[ $FORCE == 0 && -x "$BIN/$name" && -f "$BIN/.$name.stamp" && "$(cat "$BIN/.$name.stamp")" == "$want" ]]; then
      SKIPPED+=("$name")
    else
      todo+=("${p#*=}"); pairs+=("$p")
    fi
  done
  [[ ${#todo[@]} -gt 0 ]] || return 0
  local tmp; tmp="$(mktemp -d "$BIN/.build.XXXXXX")"
  local t0=$SECONDS
  echo "==> building ${pairs[*]} (in ${dir#"$REPO/"})"
  for p in "${pairs[@]}"; do
    name="${p%%=*}"; pkg="${p#*=}"
    # One package per `go build` so the output name never depends on the
    # import path (go.etcd.io/etcd/server/v3 would otherwise become "server");
    # the second build of a module reuses the build cache and only links.
    if ! (cd "$dir" && go build "${BUILD_FLAGS[@]}" -ldflags="$ldflags" -o "$tmp/$name" "$pkg"); then
      rm -rf "$tmp"; return 1
    fi
  done
  for p in "${pairs[@]}"; do
    name="${p%%=*}"
    mv -f "$tmp/$name" "$BIN/$name"
    echo "$want" > "$BIN/.$name.stamp"
    BUILT+=("$name")
  done
  rmdir "$tmp"
  echo "    done in $((SECONDS - t0))s"
}

# --- kube-apiserver + kubectl (k8s.io/kubernetes) ---
K8S_VERSION="$(modver "$TOOLS/kube" k8s.io/kubernetes)"
K8S_MINOR="$(echo "$K8S_VERSION" | cut -d. -f2)"
kv=""
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  kv+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$K8S_MINOR"
  kv+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
done
build "$TOOLS/kube" "$BASE_LDFLAGS$kv" \
  kube-apiserver=k8s.io/kubernetes/cmd/kube-apiserver \
  kubectl=k8s.io/kubernetes/cmd/kubectl

# --- etcd (module go.etcd.io/etcd/server/v3 is the etcd main package) ---
ETCD_VERSION="$(modver "$TOOLS/etcd" go.etcd.io/etcd/server/v3)"
build "$TOOLS/etcd" "$BASE_LDFLAGS" etcd=go.etcd.io/etcd/server/v3

# --- helm ---
HELM_VERSION="$(modver "$TOOLS/helm" helm.sh/helm/v3)"
HELM_K8S="$(modver "$TOOLS/helm" k8s.io/client-go)"   # v0.37.x -> Kubernetes 1.37
hv="-X helm.sh/helm/v3/internal/version.version=$HELM_VERSION -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
for pkg in helm.sh/helm/v3/pkg/lint/rules helm.sh/helm/v3/pkg/chartutil; do
  hv+=" -X $pkg.k8sVersionMajor=1 -X $pkg.k8sVersionMinor=$(echo "$HELM_K8S" | cut -d. -f2)"
done
build "$TOOLS/helm" "$BASE_LDFLAGS $hv" helm=helm.sh/helm/v3/cmd/helm

# --- tilt (optional) ---
TILT_VERSION=""
if [[ $WITH_TILT == 1 ]]; then
  TILT_VERSION="$(modver "$TOOLS/tilt" github.com/tilt-dev/tilt)"
  # tilt needs cgo (go-tree-sitter, via its Starlark language server) and so a C compiler.
  command -v "${CC:-gcc}" >/dev/null || { echo "error: --with-tilt needs a C compiler (apt-get install gcc)" >&2; exit 1; }
  CGO_ENABLED=1 build "$TOOLS/tilt" "$BASE_LDFLAGS -X main.version=${TILT_VERSION#v}" tilt=github.com/tilt-dev/tilt/cmd/tilt
fi

# Machine-readable summary for test harnesses (source it or parse KEY=VALUE).
{
  echo "K8S_BIN_DIR=$BIN"
  echo "KUBE_APISERVER=$BIN/kube-apiserver"
  echo "KUBECTL=$BIN/kubectl"
  echo "ETCD=$BIN/etcd"
  echo "HELM=$BIN/helm"
  echo "K8S_VERSION=$K8S_VERSION"
  echo "ETCD_VERSION=$ETCD_VERSION"
  echo "HELM_VERSION=$HELM_VERSION"
  if [[ -x "$BIN/tilt" ]]; then echo "TILT=$BIN/tilt"; fi
} > "$BIN/versions.env"

echo "k8s test binaries in $BIN:"
echo "  kube-apiserver, kubectl  $K8S_VERSION"
echo "  etcd                     $ETCD_VERSION"
echo "  helm                     $HELM_VERSION"
[[ -z "$TILT_VERSION" ]] || echo "  tilt                     $TILT_VERSION"
echo "built: ${BUILT[*]:-(nothing)}; up to date: ${SKIPPED[*]:-(none)}"

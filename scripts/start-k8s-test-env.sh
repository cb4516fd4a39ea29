#!/usr/bin/env bash
# Start a real etcd + kube-apiserver on 127.0.0.1 for tests (no kubelet, no
# controller-manager, no scheduler). Binaries come from
# scripts/build-k8s-test-bins.sh. See docs/k8s-test-env.md.
#
# Usage:
#   scripts/start-k8s-test-env.sh [start] [--dir DIR] [--foreground]
#       Starts etcd and kube-apiserver on free ports, waits for /readyz, writes
#       DIR/env (KEY=VALUE lines) and prints the same lines on stdout.
#       Without --foreground both processes keep running after the script exits
#       (stop them with `stop`). With --foreground the script stays up until it
#       gets SIGTERM/SIGINT/SIGHUP or its parent process dies, then stops both
#       and deletes DIR. It prints READY after the KEY=VALUE lines.
#       DIR defaults to a new mktemp directory.
#   scripts/start-k8s-test-env.sh stop DIR [--keep]
#       Stops the processes recorded in DIR/pids and deletes DIR (unless --keep).
#
# Environment: LANYARD_CACHE (binary cache root, default ~/.cache/lanyard),
#   KUBE_APISERVER / ETCD (override binary paths), K8S_READY_TIMEOUT (s, default 90).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${LANYARD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lanyard}/k8s-bin"
KUBE_APISERVER="${KUBE_APISERVER:-$BIN/kube-apiserver}"
ETCD="${ETCD:-$BIN/etcd}"
READY_TIMEOUT="${K8S_READY_TIMEOUT:-90}"

cmd=start
if [[ "${1:-}" == start || "${1:-}" == stop ]]; then cmd="$1"; shift; fi
DIR=""; FOREGROUND=0; KEEP=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --dir) DIR="$2"; shift 2 ;;
    --foreground) FOREGROUND=1; shift ;;
    --keep) KEEP=1; shift ;;
    -h|--help) awk 'NR>1 && !/^#/ {exit} NR>1 {sub(/^# ?/, ""); print}' "$0"; exit 0 ;;
    *) if [[ $cmd == stop && -z "$DIR" ]]; then DIR="$1"; shift; else echo "unknown argument: $1" >&2; exit 2; fi ;;
  esac
done

alive() { # running and not a zombie
  kill -0 "$1" 2>/dev/null && ! grep -qE '^[^)]*\) Z' "/proc/$1/stat" 2>/dev/null
}
stop_env() { # <dir> <keep>
  local d="$1" key pid
  [[ -f "$d/pids" ]] || { echo "no test env in $d" >&2; return 1; }
  # kube-apiserver before etcd (it hangs retrying a dead etcd); TERM, KILL after 10 s.
  for key in K8S_APISERVER_PID ETCD_PID; do
    pid="$(sed -n "s/^$key=//p" "$d/pids")"
    [[ -n "$pid" ]] || continue
    kill -TERM "$pid" 2>/dev/null || continue
    for _ in $(seq 100); do alive "$pid" || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  [[ "$2" == 1 ]] || rm -rf "$d"
}

if [[ $cmd == stop ]]; then
  [[ -n "$DIR" ]] || { echo "usage: $0 stop DIR" >&2; exit 2; }
  stop_env "$DIR" "$KEEP"
  exit 0
fi

for b in "$KUBE_APISERVER" "$ETCD"; do
  [[ -x "$b" ]] || { echo "error: $b not found; run scripts/build-k8s-test-bins.sh first" >&2; exit 1; }
done
for t in openssl curl; do
  command -v "$t" >/dev/null || { echo "error: $t is required" >&2; exit 1; }
done

if [[ -z "$DIR" ]]; then DIR="$(mktemp -d "${TMPDIR:-/tmp}/lanyard-k8s.XXXXXX")"; fi
mkdir -p "$DIR"; DIR="$(cd "$DIR" && pwd)"
: > "$DIR/pids"

cleanup_on_error() { echo "error: test env failed to start; logs in $DIR" >&2; tail -n 20 "$DIR"/*.log >&2 2>/dev/null || true; stop_env "$DIR" 1 || true; }
trap cleanup_on_error ERR

# Three distinct free loopback ports (held open together while choosing).
read -r ETCD_PORT ETCD_PEER_PORT API_PORT < <(node -e '
  const net = require("net"); const ports = []; const ss = [];
  const next = () => { if (ports.length === 3) { console.log(ports.join(" ")); ss.forEach(s => s.close()); return; }
    const s = net.createServer(); ss.push(s); s.listen(0, "127.0.0.1", () => { ports.push(s.address().port); next(); }); };
  next();' 2>/dev/null || python3 -c '
import socket; ss=[socket.socket() for _ in range(3)]
[s.bind(("127.0.0.1",0)) for s in ss]; print(" ".join(str(s.getsockname()[1]) for s in ss))')

# --- credentials -----------------------------------------------------------
# A throwaway CA and a serving certificate for 127.0.0.1/localhost signed by it
# (clients trust K8S_CA_FILE; Node rejects a self-signed leaf even when trusted).
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=lanyard-test-ca" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -keyout "$DIR/ca.key" -out "$DIR/ca.crt" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
  -keyout "$DIR/serving.key" -out "$DIR/serving.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n' > "$DIR/serving.ext"
openssl x509 -req -in "$DIR/serving.csr" -CA "$DIR/ca.crt" -CAkey "$DIR/ca.key" -CAcreateserial \
  -days 2 -extfile "$DIR/serving.ext" -out "$DIR/serving.crt" 2>/dev/null
# Service-account token signing key pair.
openssl genrsa -out "$DIR/sa.key" 2048 2>/dev/null
openssl rsa -in "$DIR/sa.key" -pubout -out "$DIR/sa.pub" 2>/dev/null
# Static bearer tokens: token,user,uid,"group1,group2"
ADMIN_TOKEN="$(openssl rand -hex 24)"
USER_TOKEN="$(openssl rand -hex 24)"
USER_NAME="lanyard-test-user"
USER_GROUP="lanyard:test-users"
cat > "$DIR/tokens.csv" <<EOF
$ADMIN_TOKEN,lanyard-test-admin,uid-admin,"system:masters"
$USER_TOKEN,$USER_NAME,uid-user,"$USER_GROUP"
EOF
chmod 600 "$DIR"/*.key "$DIR/tokens.csv"

# --- etcd ------------------------------------------------------------------
ETCD_URL="http://127.0.0.1:$ETCD_PORT"
setsid "$ETCD" \
  --name=test --data-dir="$DIR/etcd-data" \
  --listen-client-urls="$ETCD_URL" --advertise-client-urls="$ETCD_URL" \
  --listen-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-advertise-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-cluster="test=http://127.0.0.1:$ETCD_PEER_PORT" \
  --unsafe-no-fsync --log-level=warn \
  > "$DIR/etcd.log" 2>&1 < /dev/null &
ETCD_PID=$!
echo "ETCD_PID=$ETCD_PID" >> "$DIR/pids"
for _ in $(seq 100); do
  curl -fsS "$ETCD_URL/health" 2>/dev/null | grep -q '"health":"true"' && break
  kill -0 "$ETCD_PID" 2>/dev/null || { echo "etcd exited" >&2; false; }
  sleep 0.1
done

# --- kube-apiserver --------------------------------------------------------
API_URL="https://127.0.0.1:$API_PORT"
setsid "$KUBE_APISERVER" \
  --etcd-servers="$ETCD_URL" \
  --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$API_PORT" \
  --tls-cert-file="$DIR/serving.crt" --tls-private-key-file="$DIR/serving.key" \
  --service-account-issuer="$API_URL" \
  --service-account-key-file="$DIR/sa.pub" \
  --service-account-signing-key-file="$DIR/sa.key" \
  --token-auth-file="$DIR/tokens.csv" \
  --authorization-mode=RBAC \
  --service-cluster-ip-range=10.96.0.0/16 \
  --disable-admission-plugins=ServiceAccount \
  --endpoint-reconciler-type=none \
  --allow-privileged=true \
  --profiling=false \
  > "$DIR/kube-apiserver.log" 2>&1 < /dev/null &
API_PID=$!
echo "K8S_APISERVER_PID=$API_PID" >> "$DIR/pids"

deadline=$((SECONDS + READY_TIMEOUT))
until curl -fsS --cacert "$DIR/ca.crt" -H "Authorization: Bearer $ADMIN_TOKEN" \
        "$API_URL/readyz" >/dev/null 2>&1; do
  kill -0 "$API_PID" 2>/dev/null || { echo "kube-apiserver exited" >&2; false; }
  [[ $SECONDS -lt $deadline ]] || { echo "kube-apiserver not ready after ${READY_TIMEOUT}s" >&2; false; }
  sleep 0.2
done

# --- kubeconfigs -------------------------------------------------------------
CA_DATA="$(base64 -w0 < "$DIR/ca.crt")"
write_kubeconfig() { # <file> <user> <token>
  cat > "$1" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: lanyard-test
  cluster:
    server: $API_URL
    certificate-authority-data: $CA_DATA
users:
- name: $2
  user:
    token: $3
contexts:
- name: lanyard-test
  context:
    cluster: lanyard-test
    user: $2
current-context: lanyard-test
EOF
  chmod 600 "$1"
}
write_kubeconfig "$DIR/admin.kubeconfig" lanyard-test-admin "$ADMIN_TOKEN"
write_kubeconfig "$DIR/user.kubeconfig" "$USER_NAME" "$USER_TOKEN"

cat > "$DIR/env" <<EOF
K8S_ENV_DIR=$DIR
K8S_API_URL=$API_URL
K8S_CA_FILE=$DIR/ca.crt
K8S_ADMIN_TOKEN=$ADMIN_TOKEN
K8S_USER_TOKEN=$USER_TOKEN
K8S_USER_NAME=$USER_NAME
K8S_USER_GROUP=$USER_GROUP
KUBECONFIG=$DIR/admin.kubeconfig
K8S_USER_KUBECONFIG=$DIR/user.kubeconfig
K8S_SA_ISSUER=$API_URL
K8S_SA_PUBLIC_KEY_FILE=$DIR/sa.pub
ETCD_URL=$ETCD_URL
ETCD_PID=$ETCD_PID
K8S_APISERVER_PID=$API_PID
EOF
chmod 600 "$DIR/env"
trap - ERR
cat "$DIR/env"

if [[ $FOREGROUND == 1 ]]; then
  trap 'stop_env "$DIR" "$KEEP"; exit 0' TERM INT HUP
  echo "READY" # a harness can wait for this line
  parent=$PPID # stop too if whoever started us dies without signalling
  while alive "$API_PID" && alive "$ETCD_PID"; do
    alive "$parent" || { stop_env "$DIR" "$KEEP"; exit 0; }
    sleep 1 & wait $! || true
  done
  echo "error: a test env process exited; logs in $DIR" >&2
  stop_env "$DIR" 1 || true
  exit 1
fi

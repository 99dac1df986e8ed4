#!/usr/bin/env bash
# Proves that a warm tool cache is enough to run the local cluster: starts a second, throw-away
# cluster inside a network namespace with no route to anything (the package proxies are
# unreachable), checks it serves nodes, and removes it. Needs root (unshare -n).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
"$ROOT/hack/tools/build.sh" >/dev/null   # warm the cache first, with the network
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export MESOS_OPERATOR_CLUSTER_DIR=$dir MESOS_OPERATOR_CLUSTER_NAME=offline-check GOPROXY=off
unshare -n bash -euo pipefail -c '
  ip link set lo up
  # kube-apiserver needs a default route and a non-loopback address to choose its advertise
  # address; both stay on the loopback device, so nothing leaves the namespace.
  ip addr add 10.255.0.1/32 dev lo
  ip route add default dev lo
  if curl -sS -m 3 https://proxy.golang.org >/dev/null 2>&1; then echo "network still reachable"; exit 1; fi
  trap "'"$ROOT"'/hack/cluster down >/dev/null 2>&1 || true" EXIT
  "'"$ROOT"'/hack/cluster" up --nodes 2 >/dev/null
  # A loaded machine may answer /readyz slowly for a moment after "up": ask again for up to a minute.
  for _ in $(seq 20); do
    if out=$("'"$ROOT"'/hack/cluster" status) && echo "$out" | grep -q "Server Version"; then break; fi
    sleep 3
  done
  echo "$out" | grep -E "Server Version|nodes"
'
echo "offline check: OK"

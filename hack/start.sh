#!/usr/bin/env bash
# `npm start`: bring up the local cluster (if none is running), install the CRDs, say how to apply
# the examples, then run the operator in the foreground (Ctrl-C stops it; the cluster keeps running).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
KUBECONFIG_FILE="$ROOT/.cluster/kubeconfig"
"$ROOT/hack/cluster" up --nodes "${NODES:-4}" >/dev/null
"$ROOT/hack/cluster" status
BIN=$("$ROOT/hack/tools/build.sh" 2>/dev/null)
kubectl=("$BIN/kubectl" --kubeconfig "$KUBECONFIG_FILE")
"${kubectl[@]}" apply --server-side --force-conflicts -f "$ROOT/crds" >/dev/null
"${kubectl[@]}" wait --for=condition=Established --timeout=60s \
  crd/frameworks.mesos.operator.dev crd/offers.mesos.operator.dev \
  crd/tasks.mesos.operator.dev crd/roles.mesos.operator.dev >/dev/null
cat <<MSG

The local cluster is up and the CRDs are installed; the operator starts below (its logs follow).
In another terminal:
  export KUBECONFIG=$KUBECONFIG_FILE
  export PATH=$BIN:\$PATH     # kubectl and helm of the same release
  kubectl apply -f examples/framework.yaml      # a Framework; its Offers appear: kubectl get moffer
  kubectl apply -f examples/task.yaml           # a Task placed on one of them
  kubectl get mtask -w                          # TASK_STAGING → TASK_STARTING → TASK_RUNNING
  kubectl get pods -o wide                      # its pod, bound to a fake node
Stop the operator with Ctrl-C, the cluster with: hack/cluster down

MSG
# npm puts node_modules/.bin (tsx) and Node 24 first on the PATH.
exec tsx "$ROOT/controllers/main.ts" --kubeconfig "$KUBECONFIG_FILE" --metrics-port "${METRICS_PORT:-8080}" "$@"

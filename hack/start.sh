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
# The examples go in before the operator starts: they are only objects until it runs, and then it
# offers, places and launches as it would for anything applied later. MESOS_OPERATOR_EXAMPLES=0 skips.
DEMO_NS=mesos-demo
if [ "${MESOS_OPERATOR_EXAMPLES:-1}" != 0 ]; then
  "${kubectl[@]}" create namespace "$DEMO_NS" --dry-run=client -o yaml | "${kubectl[@]}" apply -f - >/dev/null
  "${kubectl[@]}" apply -f "$ROOT/examples/role-with-quota.yaml" >/dev/null
  "${kubectl[@]}" -n "$DEMO_NS" apply -f "$ROOT/examples/framework.yaml" -f "$ROOT/examples/task.yaml" >/dev/null
  APPLIED="Applied examples/role-with-quota.yaml, and framework.yaml and task.yaml in namespace $DEMO_NS."
else
  APPLIED="Examples not applied (MESOS_OPERATOR_EXAMPLES=0)."
fi
cat <<MSG

The local cluster is up and the CRDs are installed. $APPLIED
The operator starts below (its logs follow); its Mesos API is http://localhost:${MESOS_API_PORT:-5050}.
In another terminal:
  export KUBECONFIG=$KUBECONFIG_FILE
  export PATH=$BIN:\$PATH     # kubectl and helm of the same release
  kubectl -n $DEMO_NS get mesos                 # the Framework, its Offers, the Task (TASK_RUNNING)
  kubectl -n $DEMO_NS get pods -o wide          # the task's pod, bound to a fake node
  kubectl -n $DEMO_NS apply -f examples/task-group.yaml   # more: a task group (one pod, two containers)
  curl -s localhost:${MESOS_API_PORT:-5050}/master/state | head -c 300     # the same state, as a Mesos master shows it
Stop the operator with Ctrl-C, the cluster with: hack/cluster down

MSG
# npm puts node_modules/.bin (tsx) and Node 24 first on the PATH.
exec tsx "$ROOT/controllers/main.ts" --kubeconfig "$KUBECONFIG_FILE" --metrics-port "${METRICS_PORT:-8080}" \
  --mesos-api-port "${MESOS_API_PORT:-5050}" "$@"

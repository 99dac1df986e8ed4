#!/usr/bin/env bash
# `npm start`: bring up the local cluster (if none is running) and say how to reach it.
# Later the operator itself is started here too (issue #5).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
"$ROOT/hack/cluster" up --nodes "${NODES:-4}" >/dev/null
"$ROOT/hack/cluster" status
BIN=$("$ROOT/hack/tools/build.sh" 2>/dev/null)
cat <<MSG

The local cluster is up. To use it:
  export KUBECONFIG=$ROOT/.cluster/kubeconfig
  export PATH=$BIN:\$PATH     # kubectl and helm of the same release
  kubectl get nodes
Stop it with: hack/cluster down
MSG

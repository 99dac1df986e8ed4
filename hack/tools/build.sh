#!/usr/bin/env bash
# Builds the local-cluster tools from the Go module proxy into a version-keyed cache:
#   $MESOS_OPERATOR_CACHE (default ~/.cache/mesos-operator)/bin/<tool>-<version>/<binaries>
# A tool is rebuilt only when its pinned version in hack/versions.env changes.
# Prints the directory holding every binary (one line, on stdout) so callers can
#   BIN=$(hack/tools/build.sh)
# Progress and timings go to stderr. A failure names the tool and shows the end of its build log.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=../versions.env
source "$ROOT/hack/versions.env"
CACHE=${MESOS_OPERATOR_CACHE:-$HOME/.cache/mesos-operator}
export GOTOOLCHAIN=local GOWORK=off CGO_ENABLED=0 GOFLAGS=-buildvcs=false
OUT=$CACHE/bin/current   # symlink farm pointing at the versioned builds
mkdir -p "$CACHE/bin" "$CACHE/src" "$CACHE/logs" "$OUT"

log() { printf '[tools] %s\n' "$*" >&2; }

# run_build NAME VERSION FUNCTION: builds into $CACHE/bin/NAME-VERSION unless its stamp exists.
run_build() {
  local name=$1 version=$2 fn=$3
  local dir=$CACHE/bin/$name-$version logf=$CACHE/logs/$name-$version.log
  if [ -f "$dir/.complete" ]; then
    log "$name $version: cached"
  else
    log "$name $version: building (log: $logf)"
    local start=$SECONDS
    rm -rf "$dir"; mkdir -p "$dir"
    if ! ( "$fn" "$dir" "$version" ) >"$logf" 2>&1; then
      log "BUILD FAILED: $name $version after $((SECONDS - start))s. Last lines of $logf:"
      tail -n 30 "$logf" >&2
      exit 1
    fi
    touch "$dir/.complete"
    log "$name $version: built in $((SECONDS - start))s"
  fi
  local f
  for f in "$dir"/*; do ln -sfn "$f" "$OUT/$(basename "$f")"; done
}

# Wrapper module for k8s.io/kubernetes: its go.mod requires every staging module at v0.0.0 and maps
# them to ./staging, which a dependency cannot use, so we generate a replace block from the exact
# .mod file, mapping each staging module to its published v0.MINOR.PATCH.
build_kube() {
  local dir=$1 kv=$2 minor patch sv src kmod mods
  minor=$(echo "$kv" | cut -d. -f2); patch=$(echo "$kv" | cut -d. -f3); sv=v0.$minor.$patch
  src=$CACHE/src/kube-$kv; mkdir -p "$src"; cd "$src"
  (cd /tmp && go mod download "k8s.io/kubernetes@$kv")
  kmod=$(go env GOMODCACHE)/cache/download/k8s.io/kubernetes/@v/$kv.mod
  mods=$({ grep -E '^\s+k8s\.io/[a-z0-9-]+ v0\.0\.0$' "$kmod" | awk '{print $1}'
           grep -E '=> \./staging/src/' "$kmod" | awk '{print $1}'; } | sort -u)
  {
    echo "module local.tools/kube"; echo
    grep -E '^go ' "$kmod"; grep -E '^godebug ' "$kmod" || true; echo
    echo "require k8s.io/kubernetes $kv"; echo; echo "replace ("
    for m in $mods; do printf '\t%s => %s %s\n' "$m" "$m" "$sv"; done
    echo ")"
  } > go.mod
  printf '//go:build tools\n\npackage tools\n\nimport (\n\t_ "k8s.io/kubernetes/cmd/kube-apiserver"\n\t_ "k8s.io/kubernetes/cmd/kube-controller-manager"\n\t_ "k8s.io/kubernetes/cmd/kube-scheduler"\n\t_ "k8s.io/kubernetes/cmd/kubectl"\n)\n' > tools.go
  go mod tidy
  local ld="-s -w" p now; now=$(date -u +%FT%TZ)
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld="$ld -X $p.gitVersion=$kv -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean -X $p.buildDate=$now"
  done
  go build -trimpath -tags selinux,notest,grpcnotrace -ldflags "$ld" -o "$dir/" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl
  "$dir/kube-apiserver" --version
}

# etcd's server/go.mod has replace directives, so `go install` refuses it; a wrapper module works.
build_etcd() {
  local dir=$1 v=$2 src=$CACHE/src/etcd-$2
  mkdir -p "$src"; cd "$src"
  printf 'module local.tools/etcd\n\ngo 1.26.0\n\nrequire go.etcd.io/etcd/server/v3 %s\n' "$v" > go.mod
  printf '//go:build tools\n\npackage tools\n\nimport _ "go.etcd.io/etcd/server/v3"\n' > tools.go
  go mod tidy
  go build -trimpath -ldflags "-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=$v" -o "$dir/etcd" go.etcd.io/etcd/server/v3
  "$dir/etcd" --version
}

build_kwok() {
  GOBIN=$1 go install -trimpath -ldflags "-s -w" "sigs.k8s.io/kwok/cmd/kwok@$2" "sigs.k8s.io/kwok/cmd/kwokctl@$2"
  "$1/kwokctl" --version
}

build_helm() {
  local minor; minor=$(echo "$KUBE_VERSION" | cut -d. -f2)
  GOBIN=$1 go install -trimpath -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=$2 \
    -X helm.sh/helm/v3/internal/version.gitTreeState=clean \
    -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$minor \
    -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=$minor" \
    "helm.sh/helm/v3/cmd/helm@$2"
  "$1/helm" version
}

build_kind() {
  GOBIN=$1 go install -trimpath -ldflags "-s -w" "sigs.k8s.io/kind@$2"
  "$1/kind" version
}

total=$SECONDS
run_build kube "$KUBE_VERSION" build_kube
run_build etcd "$ETCD_VERSION" build_etcd
run_build kwok "$KWOK_VERSION" build_kwok
run_build helm "$HELM_VERSION" build_helm
run_build kind "$KIND_VERSION" build_kind
log "all tools ready in $((SECONDS - total))s: $OUT"
echo "$OUT"

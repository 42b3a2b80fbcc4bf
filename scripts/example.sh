#!/usr/bin/env bash
# The main job: evaluate the bundled example project (examples/support). Extra arguments go to
# `assay eval`, e.g. `npm run example -- --model fake:echo`.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bootstrap-node.sh
. scripts/install-deps.sh
exec node bin/assay.js eval -C examples/support "$@"

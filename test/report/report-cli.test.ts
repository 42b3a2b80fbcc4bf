import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, scratchProject, writeFiles } from '../cli/cli-harness.ts';

// `assay report` end to end on runs made by `assay eval` with the scripted `fake:bot`:
//   V1: q05 fails (the baseline); V2: q03 and q07 fail (2 regressions, 1 improvement).
const script = `rules:
  - match: "^V1 item 05$"
    reply: "NO"
  - match: "^V2 item (03|07)$"
    reply: "NO <script>window.__pwned = 1</script>"
default: OK
`;
const ids = Array.from({ length: 40 }, (_, i) => String(i + 1).padStart(2, '0'));
const suite = `defaults:\n  checks:\n    - contains: OK\ncases:\n${ids.map((n) => `  - id: q${n}\n    vars: { question: item ${n} }\n`).join('')}`;
const prompt = (marker: string) =>
  `---\nname: bot\nvariables:\n  question: string\n---\n# user\n${marker} {{ question }}\n`;

let project: { dir: string; cleanup: () => void };
const runs: Record<string, string> = {};

async function evalVersion(marker: string): Promise<string> {
  writeFiles(project.dir, { 'prompts/bot.prompt.md': prompt(marker) });
  const r = await runCli(['eval', '-C', project.dir, '--json']);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout).reports[0].run.id as string;
}

beforeAll(async () => {
  project = scratchProject(false);
  writeFiles(project.dir, {
    'assay.yaml': [
      'name: report-test',
      'prompts: [prompts/*.prompt.md]',
      'suites: [suites/main.yaml]',
      'models:',
      '  - id: fake:bot',
      '    script: bot.yaml',
      'defaults:',
      '  maxRetries: 0',
    ].join('\n'),
    'bot.yaml': script,
    'suites/main.yaml': suite,
    'out/.keep': '',
  });
  runs.v1 = await evalVersion('V1');
  runs.v2 = await evalVersion('V2');
}, 60_000);

afterAll(() => project?.cleanup());

describe('assay report (CLI)', () => {
  it('writes the HTML report of a run compared with a baseline, and every result beside it as JSONL', async () => {
    const out = join(project.dir, 'out/report.html');
    const r = await runCli(['report', 'latest', '--compare', 'latest~1', '-o', out, '-C', project.dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(
        `^wrote .*report\\.html \\(\\d+ KB, 40 of 40 results embedded, compared with run ${runs.v1}\\) and every result to .*report\\.results\\.jsonl\\n$`,
      ),
    );
    const html = readFileSync(out, 'utf8');
    expect(html).toContain(`Assay report · run ${runs.v2} vs ${runs.v1}`);
    expect(html).toContain('<b>95.0% [83.5%, 98.6%]</b>');
    expect(html).toContain('Flipped cases (3)');
    expect(html).toMatch(
      /<div class="flip" data-kind="regressed"><h3><span class="bad">regressed<\/span> q03/,
    );
    expect(html).toContain('<ins>NO &lt;script&gt;window.__pwned = 1&lt;/script&gt;</ins>');
    expect(html).toContain('question: item 03');
    expect(html.match(/<script/g)).toHaveLength(1);
    const lines = readFileSync(join(project.dir, 'out/report.results.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(80);
    expect(new Set(lines.map((l) => JSON.parse(l).runId))).toEqual(new Set([runs.v1, runs.v2]));
    // written atomically: no temp file left behind
    expect(readdirSync(join(project.dir, 'out')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('writes Markdown with -o FILE.md, and --json says what was written', async () => {
    const out = join(project.dir, 'out/report.md');
    const r = await runCli([
      'report',
      runs.v2 as string,
      '--compare',
      runs.v1 as string,
      '-o',
      out,
      '-C',
      project.dir,
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      format: 'md',
      runId: runs.v2,
      baselineRunId: runs.v1,
      results: 40,
    });
    const md = readFileSync(out, 'utf8');
    expect(md).toContain('| bot@');
    expect(md).toContain('## Top regressions (2)');
    expect(md).toContain('```text\nNO <script>window.__pwned = 1</script>\n```');
    expect(md).toContain('_Charts: see the HTML report');
  });

  it('reports a single run by default as report.html in the current folder', async () => {
    const r = await runCli(['report', '-C', project.dir], { cwd: join(project.dir, 'out') });
    expect(r.code).toBe(0);
    expect(existsSync(join(project.dir, 'out/report.html'))).toBe(true);
    expect(readFileSync(join(project.dir, 'out/report.html'), 'utf8')).toContain(
      `Assay report · run ${runs.v2}<`,
    );
  });

  it('exits 2 with a clear message for an unknown run, a wrong extension or a missing folder', async () => {
    const bad = await runCli(['report', 'nope', '-o', join(project.dir, 'out/x.html'), '-C', project.dir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("assay: no run 'nope' in the store; see `assay runs list`\n");
    const badBase = await runCli([
      'report',
      'latest',
      '--compare',
      'latest~9',
      '-o',
      join(project.dir, 'out/x.html'),
      '-C',
      project.dir,
    ]);
    expect(badBase.code).toBe(2);
    expect(badBase.stderr).toContain("no run 'latest~9'");
    const ext = await runCli(['report', 'latest', '-o', join(project.dir, 'out/x.pdf'), '-C', project.dir]);
    expect(ext.code).toBe(2);
    expect(ext.stderr).toContain('use -o FILE.html (self-contained page) or -o FILE.md (Markdown)');
    const missing = await runCli([
      'report',
      'latest',
      '-o',
      join(project.dir, 'nowhere/x.html'),
      '-C',
      project.dir,
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot write .*nowhere\/x\.html: folder .*nowhere does not exist/);
    for (const r of [bad, badBase, ext, missing]) expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(existsSync(join(project.dir, 'out/x.html'))).toBe(false);
  });
});

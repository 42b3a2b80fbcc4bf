import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { latestAnnotations } from '../../src/annotations/latest-annotations.ts';
import { readAnnotations } from '../../src/annotations/read-annotations.ts';
import { readLabelsFile } from '../../src/registry/labels-file.ts';
import { describeInBrowser, openUiSession, type UiSession } from './fixtures/ui-browser.ts';
import { buildUiFixture, type UiFixture } from './fixtures/ui-fixture.ts';

let fx: UiFixture;
let ui: UiSession;

describeInBrowser('assay ui in headless Chromium (fixture project evaluated with fake: models)', () => {
  beforeAll(async () => {
    fx = await buildUiFixture();
    ui = await openUiSession(fx.dir);
  }, 90_000);
  afterAll(async () => {
    await ui?.close();
    fx?.cleanup();
  });

  it('takes the token from the URL into sessionStorage and out of the address bar', async () => {
    const { page } = ui;
    await ui.open('#/');
    await page.getByTestId('run-row').first().waitFor();
    expect(page.url()).toBe(`${ui.origin}/#/`);
    expect(await page.evaluate(() => sessionStorage.getItem('assay-token'))).toBe(ui.server.token);
    await page.reload(); // the token survives a reload without the URL
    await page.getByTestId('run-row').first().waitFor();
  });

  it('without the token, or with a wrong one, the page shows no data and says which address to open', async () => {
    const context = await ui.browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${ui.origin}/#/`);
      const alert = page.getByRole('alert');
      await expect.poll(() => alert.textContent()).toContain('open the address that `assay ui` printed');
      await page.goto(`${ui.origin}/?token=${'0'.repeat(64)}#/`);
      await page.reload();
      await expect.poll(() => alert.textContent()).toContain('open the address that `assay ui` printed');
      expect(await page.getByTestId('run-row').count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('goes from the runs list to the comparison with the previous run: regressions first, with the statistics', async () => {
    const { page } = ui;
    await ui.open('#/');
    const rows = page.getByTestId('run-row');
    expect(await rows.count()).toBe(2);
    const newest = rows.first();
    expect(await newest.getAttribute('data-run-id')).toBe(fx.runs.v2);
    await expect.poll(() => newest.textContent()).toContain('42.5% [28.5, 57.8]');
    await newest.getByTestId('compare-previous').click();
    await page.waitForURL(`**/#/compare/${fx.runs.v1}/${fx.runs.v2}`);
    const cases = page.getByTestId('compare-case');
    await cases.first().waitFor();
    const kinds = await cases.evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
    const ids = await cases.evaluateAll((els) => els.map((e) => e.getAttribute('data-case-id')));
    // 3 plain regressions + 20 hostile ones, then the one improvement; unchanged groups start collapsed.
    expect(kinds.slice(0, 23)).toEqual(Array(23).fill('regressed'));
    expect(kinds[23]).toBe('improved');
    expect(ids.slice(0, 3).sort()).toEqual(['q03', 'q07', 'q12']);
    expect(ids[23]).toBe('q05');
    const stats = page.getByTestId('compare-stats');
    expect(await stats.textContent()).toContain('−55.0 pts');
    expect(await stats.textContent()).toContain('exact McNemar');
    expect(await page.getByTestId('verdict').textContent()).toBe('worse');
    // Word-level diff: the changed words are marked on each side.
    const q03 = page.locator('[data-testid=compare-case][data-case-id=q03]');
    expect(await q03.locator('mark.del').allTextContents()).toContain('OK');
    expect((await q03.locator('mark.ins').allTextContents()).join('')).toContain('NO,');
  });

  it('annotates three outputs with the keyboard; they are in annotations/support.jsonl', async () => {
    const { page } = ui;
    await ui.open(`#/annotate/${fx.runs.v2}`);
    await page.getByTestId('annotator-name').fill('ana');
    await page.getByTestId('annotator-start').click();
    const item = page.getByTestId('annotate-item');
    await item.waitFor();
    const progress = page.getByTestId('annotate-progress');
    expect(await progress.textContent()).toBe('1/40 · 0 judged by ana');
    expect(await item.getAttribute('data-case-id')).toBe('q01');
    await page.keyboard.press('p');
    await expect.poll(() => progress.textContent()).toBe('2/40 · 1 judged by ana');
    await page.keyboard.press('n');
    await page.keyboard.type('too curt');
    await page.keyboard.press('Enter');
    await page.keyboard.press('f');
    await expect.poll(() => progress.textContent()).toBe('3/40 · 2 judged by ana');
    await page.keyboard.press('k'); // back to q02: judged, shown as such
    await expect.poll(() => item.getAttribute('data-case-id')).toBe('q02');
    expect(await page.getByTestId('my-judgment').textContent()).toBe('you: fail');
    await page.keyboard.press('j');
    await expect.poll(() => item.getAttribute('data-case-id')).toBe('q03');
    await page.keyboard.press('4');
    await expect.poll(() => progress.textContent()).toBe('4/40 · 3 judged by ana');

    const file = join(fx.dir, 'annotations/support.jsonl');
    const latest = latestAnnotations(readAnnotations(file));
    expect(latest.map((a) => [a.caseId, a.annotator, a.verdict ?? a.score, a.note, a.runId])).toEqual([
      ['q01', 'ana', 'pass', undefined, fx.runs.v2],
      ['q02', 'ana', 'fail', 'too curt', fx.runs.v2],
      ['q03', 'ana', 4, undefined, fx.runs.v2],
    ]);
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(3);

    // The name is asked once; a new visit resumes at the first output ana has not judged.
    await ui.open(`#/annotate/${fx.runs.v2}`);
    await item.waitFor();
    expect(await page.getByTestId('annotator-name').count()).toBe(0);
    expect(await item.getAttribute('data-case-id')).toBe('q04');
    expect(await progress.textContent()).toBe('4/40 · 3 judged by ana');
  });

  it('moves a label with a button: assay.labels.yaml changes', async () => {
    const { page } = ui;
    await ui.open('#/prompts');
    const v2Row = page.locator(`[data-testid=prompt-version][data-version="${fx.versions.v2}"]`);
    await v2Row.waitFor();
    expect(await v2Row.getByTestId('label-chip').allTextContents()).toEqual(['staging']);
    await v2Row.locator('[data-testid=label-move][data-label=production]').click();
    await expect
      .poll(() => v2Row.getByTestId('label-chip').allTextContents())
      .toEqual(['production', 'staging']);
    expect(await readLabelsFile(fx.dir)).toEqual({
      bot: { production: fx.versions.v2, staging: fx.versions.v2 },
    });
    // and the diff between the two versions
    await page.getByTestId('show-diff').click();
    const diff = page.getByTestId('prompt-diff');
    await diff.waitFor();
    expect(await diff.locator('.line.del').allTextContents()).toEqual(['- V1 {{ question }}']);
    expect(await diff.locator('.line.ins').allTextContents()).toEqual(['+ V2 {{ question }}']);
  });

  it('shows the judge with its status, κ and confusion matrix', async () => {
    const { page } = ui;
    await ui.open('#/judges');
    const judge = page.getByTestId('judge-row');
    await judge.waitFor();
    expect(await judge.textContent()).toContain('validated');
    expect(await page.getByTestId('kappa').textContent()).toBe('0.812');
    const cells = await page.getByTestId('confusion-matrix').locator('td').allTextContents();
    expect(cells).toEqual(['27', '3', '2', '14']);
  });

  it('filters the run view by status and text and opens a result', async () => {
    const { page } = ui;
    await ui.open(`#/runs/${fx.runs.v1}`);
    await page.getByTestId('result-row').first().waitFor();
    await page.getByTestId('status-filter').selectOption('fail');
    await expect.poll(() => page.getByTestId('results-count').textContent()).toBe('1 result');
    const row = page.getByTestId('result-row');
    expect(await row.getAttribute('data-index')).toBe('4');
    await row.click();
    expect(await page.getByTestId('result-output').textContent()).toBe('NO, item 05 is out of stock');
    await page.getByTestId('status-filter').selectOption('');
    await page.getByTestId('text-filter').fill('item 1');
    await expect.poll(() => page.getByTestId('results-count').textContent()).toBe('10 results'); // items 10-19
    const ids = await page.getByTestId('result-row').evaluateAll((els) => els.map((e) => e.textContent));
    expect(ids).toHaveLength(10);
  });

  it('stayed on 127.0.0.1 and the page logged no error (no CSP violation either)', () => {
    expect(ui.requests.filter((u) => !u.startsWith(`${ui.origin}/`))).toEqual([]);
    expect(ui.errors).toEqual([]);
  });
});

import { statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from '../cli/cli-harness.ts';
import { seededCaseId, seedLargeRun } from './fixtures/seed-large-run.ts';
import { describeInBrowser, openUiSession, type UiSession } from './fixtures/ui-browser.ts';
import { buildUiFixture, type UiFixture } from './fixtures/ui-fixture.ts';

const N = 100_000;
let fx: UiFixture;
let ui: UiSession;
let runId: string;

const rowsInDom = () => ui.page.locator('[data-testid=results-table] tr').count();

describeInBrowser(`run view on a seeded store of ${N.toLocaleString('en-US')} results`, () => {
  beforeAll(async () => {
    fx = await buildUiFixture();
    runId = await seedLargeRun(fx.dir, fx.runs.v2, N);
    ui = await openUiSession(fx.dir);
  }, 120_000);
  afterAll(async () => {
    await ui?.close();
    fx?.cleanup();
  });

  it('keeps fewer than 500 rows in the DOM and shows the last case within 2 seconds of "jump to last"', async () => {
    const { page } = ui;
    await ui.open(`#/runs/${runId}`);
    await page.getByTestId('result-row').first().waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('results-count').textContent()).toBe('100,000 results');
    expect(await rowsInDom()).toBeLessThan(500);
    expect(await page.locator('[data-testid=result-row][data-index="0"]').textContent()).toContain(
      seededCaseId(1),
    );

    const t0 = performance.now();
    await page.getByTestId('jump-last').click();
    const last = page.locator(`[data-testid=result-row][data-index="${N - 1}"]`);
    await last.waitFor({ state: 'visible', timeout: 2000 });
    const ms = performance.now() - t0;
    expect(await last.textContent()).toContain(seededCaseId(N));
    expect(await last.isVisible()).toBe(true);
    expect(ms).toBeLessThan(2000);
    console.log(`jump to last of ${N}: ${Math.round(ms)} ms, ${await rowsInDom()} rows in the DOM`);
    expect(await rowsInDom()).toBeLessThan(500);

    // Scrolling through the middle loads the pages in view and still keeps the DOM small.
    await page.getByTestId('results-table').evaluate((el) => el.scrollTo({ top: el.scrollHeight / 2 }));
    const middle = page.locator('[data-testid=result-row][data-index="50000"]');
    await middle.waitFor({ timeout: 5000 });
    expect(await middle.textContent()).toContain(seededCaseId(50_001));
    expect(await rowsInDom()).toBeLessThan(500);
  });

  it('the status filter counts over the whole run', async () => {
    const { page } = ui;
    await page.getByTestId('status-filter').selectOption('error');
    await expect
      .poll(() => page.getByTestId('results-count').textContent(), { timeout: 10_000 })
      .toBe('2,000 results');
    // A new filter starts at the top (the earlier "jump to last" does not jump again).
    const top = page.locator('[data-testid=result-row][data-pos="0"]');
    await top.waitFor({ state: 'visible' });
    expect(await top.getAttribute('data-status')).toBe('error');
    expect(await top.getAttribute('data-index')).toBe('49'); // every 50th result errors
    expect(ui.errors).toEqual([]);
  });

  it('the static report of that run is built and opens in Chromium offline, its charts drawn', async () => {
    const out = join(fx.dir, 'big-report.html');
    const made = await runCli(['report', runId, '-o', out, '-C', fx.dir]);
    expect(made.code, made.stderr).toBe(0);
    expect(statSync(out).size).toBeLessThan(5_000_000);
    const page = await ui.page.context().newPage();
    const outside: string[] = [];
    await page.route('**/*', (route) => {
      if (route.request().url().startsWith('file:')) return route.continue();
      outside.push(route.request().url());
      return route.abort();
    });
    await page.goto(pathToFileURL(out).href, { timeout: 30_000 });
    expect(await page.locator('h1').textContent()).toContain(runId);
    const charts = page.locator('svg');
    expect(await charts.count()).toBeGreaterThan(0);
    expect(await charts.first().locator('circle, rect, path, line').count()).toBeGreaterThan(0);
    expect(outside).toEqual([]);
    await page.close();
  }, 60_000);
});

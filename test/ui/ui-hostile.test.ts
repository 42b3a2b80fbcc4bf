import { afterAll, beforeAll, expect, it } from 'vitest';
import { HOSTILE_NAME, HOSTILE_OUTPUTS } from '../fixtures/hostile-outputs.ts';
import { describeInBrowser, openUiSession, type UiSession } from './fixtures/ui-browser.ts';
import { buildUiFixture, type UiFixture } from './fixtures/ui-fixture.ts';

let fx: UiFixture;
let ui: UiSession;

/** Elements a payload would create if any view parsed model text as HTML. */
const INJECTED =
  'script, img, iframe, svg, math, form, details, style, a[href^="javascript:"], [onerror], [onload]';

async function noInjectedElements(selector: string): Promise<void> {
  // A string expression: the test is type-checked without the DOM library.
  const count = await ui.page.evaluate<number>(
    `document.querySelectorAll(${JSON.stringify(`${selector} :is(${INJECTED})`)}).length`,
  );
  expect(count, `elements created from model text under ${selector}`).toBe(0);
}

// The fake model echoes each case's input (a hostile string) after the version marker, so every hostile
// string is an input, an output and, for one case, a case id; all of them regress from V1 to V2.
const expectedOutput = (s: string) => `V2 ${s}`.slice(0, 4000);

describeInBrowser('hostile outputs are rendered as text in the run, compare and annotate views', () => {
  beforeAll(async () => {
    fx = await buildUiFixture();
    ui = await openUiSession(fx.dir);
  }, 90_000);
  afterAll(async () => {
    await ui?.close();
    fx?.cleanup();
  });

  it('run view: every hostile output and input shows verbatim in its row and in the detail panel', async () => {
    const { page } = ui;
    await ui.open(`#/runs/${fx.runs.v2}`);
    await page.getByTestId('result-row').first().waitFor();
    const seen = new Map<string, { output: string; input: string }>();
    const scroller = page.getByTestId('results-table');
    for (let top = 0; seen.size < 40 && top < 40 * 34; top += 300) {
      await scroller.evaluate((el, y) => el.scrollTo({ top: y }), top);
      await page.waitForTimeout(50);
      for (const row of await page.getByTestId('result-row').all()) {
        const cells = await row.locator(':scope > td').allTextContents();
        seen.set(cells[1] as string, { input: cells[4] as string, output: cells[5] as string });
      }
    }
    HOSTILE_OUTPUTS.forEach((s, i) => {
      const id = `h${String(i + 1).padStart(2, '0')}`;
      expect(seen.get(id)?.output, id).toBe(expectedOutput(s));
      expect(seen.get(id)?.input, id).toContain(s.slice(0, 400));
    });
    expect(seen.get(HOSTILE_NAME)?.output).toBe(`V2 ${HOSTILE_NAME}`);
    await noInjectedElements('[data-testid=results-table]');

    await page.getByTestId('text-filter').fill('onerror');
    await expect.poll(() => page.getByTestId('results-count').textContent()).toBe('3 results');
    await page.locator('[data-testid=result-row]', { hasText: HOSTILE_NAME }).first().click();
    const detail = page.getByTestId('result-detail');
    expect(await detail.locator('h2 .mono').textContent()).toBe(HOSTILE_NAME);
    expect(await page.getByTestId('result-output').textContent()).toBe(`V2 ${HOSTILE_NAME}`);
    await noInjectedElements('[data-testid=result-detail]');
  });

  it('compare view: the regressed hostile cases show both outputs and the word diff as text', async () => {
    const { page } = ui;
    await ui.open(`#/compare/${fx.runs.v1}/${fx.runs.v2}`);
    await page.getByTestId('compare-case').first().waitFor();
    for (const [i, s] of HOSTILE_OUTPUTS.entries()) {
      const id = `h${String(i + 1).padStart(2, '0')}`;
      const card = page.locator(`[data-testid=compare-case][data-case-id="${id}"]`);
      expect(await card.getAttribute('data-kind')).toBe('regressed');
      const [a, b] = await card.locator('pre').allTextContents();
      if (`V1 ${s}`.length <= 4000) {
        expect(a, id).toBe(`V1 ${s}`);
        expect(b, id).toBe(`V2 ${s}`);
      }
    }
    const named = page.locator('[data-testid=compare-case]', { hasText: HOSTILE_NAME });
    expect(await named.locator('header .mono').textContent()).toBe(HOSTILE_NAME);
    await noInjectedElements('main');
  });

  it('annotate view: hostile outputs, inputs and a hostile annotator name stay text', async () => {
    const { page } = ui;
    await ui.open(`#/annotate/${fx.runs.v2}`);
    await page.getByTestId('annotator-name').fill(HOSTILE_NAME);
    await page.getByTestId('annotator-start').click();
    const item = page.getByTestId('annotate-item');
    await item.waitFor();
    expect(await page.getByTestId('annotate-progress').textContent()).toBe(
      `1/40 · 0 judged by ${HOSTILE_NAME}`,
    );
    for (let i = 0; i < 20; i++) await page.keyboard.press('j');
    for (const [i, s] of HOSTILE_OUTPUTS.entries()) {
      const id = `h${String(i + 1).padStart(2, '0')}`;
      await expect.poll(() => item.getAttribute('data-case-id')).toBe(id);
      const output = await page.getByTestId('annotate-output').textContent();
      if (s.length < 3000) expect(output, id).toBe(`V2 ${s}`);
      else expect(output?.startsWith(`V2 ${s.slice(0, 1000)}`), id).toBe(true);
      await noInjectedElements('[data-testid=annotate-item]');
      await page.keyboard.press('j');
    }
    await expect.poll(() => item.getAttribute('data-case-id')).toBe(HOSTILE_NAME);
  });

  it('no payload ran, nothing was requested outside 127.0.0.1, and the page logged no error', async () => {
    await ui.page.waitForTimeout(300); // let any onerror/onload a payload could have planted fire
    expect(await ui.page.evaluate('typeof window.__pwned')).toBe('undefined');
    expect(ui.requests.length).toBeGreaterThan(5);
    expect(ui.requests.filter((u) => !u.startsWith(`${ui.origin}/`))).toEqual([]);
    expect(ui.errors).toEqual([]);
  });
});

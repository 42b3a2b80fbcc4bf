// Screenshots of the main `assay ui` views for the docs: builds the UI test fixture project (real
// evaluate() with scripted fake: models, no hostile cases), serves it with startUi and saves
// docs/screenshots/<view>.png at 1280×800 with Chromium (ASSAY_CHROMIUM or /usr/bin/chromium).
// Run: node scripts/screenshots.ts
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { startUi } from '../src/ui/server/start-ui.ts';
import { builtUi } from '../test/ui/fixtures/built-ui.ts';
import { chromiumPath } from '../test/ui/fixtures/ui-browser.ts';
import { buildUiFixture } from '../test/ui/fixtures/ui-fixture.ts';

const outDir = resolve(import.meta.dirname, '../docs/screenshots');
mkdirSync(outDir, { recursive: true });

const fx = await buildUiFixture({ hostile: false });
const server = await startUi({ cwd: fx.dir, staticDir: builtUi() });
const browser = await chromium.launch({ executablePath: chromiumPath });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const origin = `http://127.0.0.1:${server.port}`;
  await page.goto(`${origin}/?token=${server.token}#/`);
  const shot = async (name: string) => {
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: join(outDir, `${name}.png`) });
    process.stdout.write(`docs/screenshots/${name}.png\n`);
  };
  const go = async (hash: string, ready: string) => {
    await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
    await page.locator(ready).first().waitFor();
  };

  await page.getByTestId('run-row').first().waitFor();
  await shot('runs');

  await go(`#/runs/${fx.runs.v2}`, '[data-testid=result-row]');
  await page.locator('[data-testid=result-row][data-index="2"]').click();
  await page.getByTestId('result-detail').waitFor();
  await shot('run');

  await go(`#/compare/${fx.runs.v1}/${fx.runs.v2}`, '[data-testid=compare-case]');
  await shot('compare');

  await go('#/prompts', '[data-testid=prompt-version]');
  await page.getByTestId('show-diff').click();
  await page.getByTestId('prompt-diff').waitFor();
  await shot('prompts');

  await go(`#/annotate/${fx.runs.v2}`, '[data-testid=annotator-name]');
  await page.getByTestId('annotator-name').fill('ana');
  await page.getByTestId('annotator-start').click();
  await page.getByTestId('annotate-item').waitFor();
  await page.keyboard.press('p');
  await page.getByText('2/20').waitFor();
  await page.keyboard.press('f');
  await page.getByText('3/20').waitFor();
  await shot('annotate');

  await go('#/judges', '[data-testid=judge-row]');
  await shot('judges');
} finally {
  await browser.close();
  await server.close();
  fx.cleanup();
}

import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HostileReport, makeHostileReport } from './hostile-report-fixture.ts';

// The static report in Debian's headless Chromium, offline: the hostile corpus runs no script, the page
// makes no request, the charts are drawn, and the one allowed script (the case filter) still works.
const executablePath = '/usr/bin/chromium';
const haveChromium = existsSync(executablePath);
const skip = !haveChromium && !process.env.CI;
if (skip)
  console.warn(
    `report-browser.test.ts skipped: ${executablePath} is missing (install Debian's chromium; in CI, where CI is set, these tests fail instead of skipping)`,
  );

describe.skipIf(skip)('assay report in headless Chromium (offline)', () => {
  let fixture: HostileReport;
  let browser: Browser;

  beforeAll(async () => {
    fixture = await makeHostileReport();
    browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    fixture?.cleanup();
  });

  async function open() {
    const context = await browser.newContext({ offline: true });
    const requests: string[] = [];
    const url = pathToFileURL(fixture.html).href;
    // Every request but the report's own document is counted and refused.
    await context.route('**/*', (route) => {
      if (route.request().url() === url) return route.continue();
      requests.push(route.request().url());
      return route.abort();
    });
    const page = await context.newPage();
    page.on('request', (r) => {
      if (r.url() !== url && !requests.includes(r.url())) requests.push(r.url());
    });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url, { waitUntil: 'load' });
    // Give late handlers (onerror of a broken image, ontoggle, onload) time to fire if they could.
    await page.waitForTimeout(300);
    return { context, page, requests, errors };
  }

  it('runs no hostile script and makes no network request', async () => {
    const { context, page, requests, errors } = await open();
    expect(
      await page.evaluate(() => (globalThis as unknown as { __pwned?: unknown }).__pwned),
    ).toBeUndefined();
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
    // The hostile outputs are on the page as text.
    const text = await page.locator('#cases').textContent();
    expect(text).toContain('<script>window.__pwned = 1</script>');
    expect(text).toContain('<img src=x onerror="window.__pwned = 99">');
    await context.close();
  });

  it('escaping alone is enough: with the CSP meta tag removed, still no hostile script runs', async () => {
    const context = await browser.newContext({ offline: true });
    const requests: string[] = [];
    await context.route('**/*', (route) => {
      requests.push(route.request().url());
      return route.abort();
    });
    const page = await context.newPage();
    const html = readFileSync(fixture.html, 'utf8');
    const withoutCsp = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '');
    expect(withoutCsp).not.toBe(html);
    await page.setContent(withoutCsp, { waitUntil: 'load' });
    await page.waitForTimeout(300);
    expect(
      await page.evaluate(() => (globalThis as unknown as { __pwned?: unknown }).__pwned),
    ).toBeUndefined();
    expect(requests).toEqual([]);
    await context.close();
  });

  it('renders the charts as non-empty SVG with the network disabled', async () => {
    const { context, page } = await open();
    const charts = await page.locator('svg.chart').evaluateAll((svgs) =>
      svgs.map((s) => ({
        label: s.getAttribute('aria-label') ?? '',
        marks: s.querySelectorAll('circle, rect, line').length,
        width: s.getBoundingClientRect().width,
        height: s.getBoundingClientRect().height,
      })),
    );
    const labels = charts.map((c) => c.label).join(' | ');
    expect(labels).toContain('Pass rate with 95% interval');
    expect(labels).toContain('Paired difference B − A');
    expect(labels).toContain('Cost versus quality');
    for (const c of charts) {
      expect(c.marks).toBeGreaterThan(0);
      expect(c.width).toBeGreaterThan(100);
      expect(c.height).toBeGreaterThan(50);
    }
    await context.close();
  });

  it('shows the flipped cases side by side with a word diff', async () => {
    const { context, page } = await open();
    expect(await page.locator('.flip[data-kind="regressed"]').count()).toBe(9);
    expect(await page.locator('.flip ins').count()).toBeGreaterThan(0);
    await context.close();
  });

  it('the case filter (the one script the CSP allows) filters by status and text', async () => {
    const { context, page } = await open();
    const visible = () => page.locator('#cases tbody tr:not([hidden])').count();
    const all = await visible();
    expect(all).toBe(20);
    await page.selectOption('#st', 'error');
    expect(await visible()).toBe(1);
    await page.selectOption('#st', '');
    await page.fill('#q', 'beacon.png');
    expect(await visible()).toBeGreaterThan(0);
    expect(await visible()).toBeLessThan(all);
    expect(await page.locator('#shown').textContent()).toBe(String(await visible()));
    expect(
      await page.evaluate(() => (globalThis as unknown as { __pwned?: unknown }).__pwned),
    ).toBeUndefined();
    await context.close();
  });
});

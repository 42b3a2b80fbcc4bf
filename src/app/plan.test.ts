import { describe, expect, it } from 'vitest';
import { AssayError } from '../core/errors.ts';
import { plan } from './plan.ts';

async function exitOf(p: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AssayError) return { code: e.exitCode, message: e.message };
    throw e;
  }
  throw new Error('expected the plan to be refused');
}

describe('plan refuses impossible inputs with exit 2', () => {
  it('a paired difference larger than the discordance', async () => {
    const r = await exitOf(plan({ baselineRate: 0.8, delta: 0.2, discordance: 0.1 }));
    expect(r.code).toBe(2);
    expect(r.message).toMatch(/impossible plan: a paired difference of 0\.2 .* discordance is 0\.1/);
    // δ equal to the discordance is possible (every discordant case moves the same way)
    expect((await plan({ baselineRate: 0.8, delta: 0.1, discordance: 0.1 })).cases).toBeGreaterThan(0);
  });

  it.each([0, 0.5, 2.5, -1])('--cluster-size %s', async (clusterSize) => {
    const r = await exitOf(plan({ baselineRate: 0.7, n: 100, clusterSize, clusterIcc: 0.2 }));
    expect(r.code).toBe(2);
    expect(r.message).toMatch(/--cluster-size must be a whole number/);
  });

  it('a zero delta, a fractional n, alpha or power at 0 or 1, and any other out-of-range input', async () => {
    expect((await exitOf(plan({ baselineRate: 0.7, delta: 0 }))).code).toBe(2);
    expect((await exitOf(plan({ baselineRate: 0.7, n: 10.5 }))).code).toBe(2);
    expect((await exitOf(plan({ baselineRate: 0.7, n: 10, alpha: 0 }))).code).toBe(2);
    expect((await exitOf(plan({ baselineRate: 0.7, n: 10, power: 1 }))).code).toBe(2);
    expect((await exitOf(plan({ baselineRate: 1.5, n: 10 }))).code).toBe(2);
    expect((await exitOf(plan({ baselineRate: 0.7, n: 10, repeats: 2, icc: 3 }))).code).toBe(2);
  });
});

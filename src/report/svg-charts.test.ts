import { describe, expect, it } from 'vitest';
import { barChart, intervalChart, niceTicks, scatterChart } from './svg-charts.ts';

const pct = (x: number) => `${Math.round(100 * x)}%`;

describe('svg charts', () => {
  it('draws one interval row per estimate at the right place, labels escaped', () => {
    const svg = intervalChart(
      [
        { label: '<b>x</b>', estimate: 0.5, lower: 0.25, upper: 0.75, note: 'n=10' },
        { label: 'y', estimate: 1, lower: 0.9, upper: 1 },
      ],
      { title: 'T', domain: [0, 1], format: pct },
    );
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" class="chart"')).toBe(true);
    expect(svg.match(/<circle /g)).toHaveLength(2);
    // plot area x ∈ [300, 680]: 0.5 → 490, 0.25 → 395, 0.75 → 585
    expect(svg).toContain('<circle class="pt" cx="490"');
    expect(svg).toContain('<line class="ci" x1="395" x2="585"');
    expect(svg).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(svg).not.toContain('<b>');
  });

  it('draws the zero line of a forest plot and clamps intervals to the domain', () => {
    const svg = intervalChart([{ label: 'd', estimate: -0.1, lower: -0.5, upper: 0.2 }], {
      title: 'F',
      domain: [-0.3, 0.3],
      zero: true,
      format: pct,
    });
    expect(svg).toContain('<line class="zero" x1="490"');
    expect(svg).toContain('<line class="ci" x1="300" x2="616.7"');
  });

  it('returns nothing to draw as an empty string', () => {
    expect(intervalChart([], { title: 'T', domain: [0, 1], format: pct })).toBe('');
    expect(barChart([{ label: 'a', value: 0 }], { title: 'B', yLabel: 'n' })).toBe('');
    expect(scatterChart([], { title: 'S', xLabel: 'x', formatX: String })).toBe('');
  });

  it('draws bars with heights proportional to their values', () => {
    const svg = barChart(
      [
        { label: 'a', value: 10 },
        { label: 'b', value: 5 },
      ],
      { title: 'B', yLabel: 'cases' },
    );
    const heights = [...svg.matchAll(/<rect class="bar"[^>]* height="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(heights).toEqual([170, 85]);
  });

  it('picks round ticks', () => {
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(-0.3, 0.3)).toEqual([-0.2, 0, 0.2]);
    expect(niceTicks(0, 0.00022)).toEqual([0, 0.00005, 0.0001, 0.00015, 0.0002]);
  });
});

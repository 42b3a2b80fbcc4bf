import { describe, expect, it } from 'vitest';
import { renderStoryHtml, renderStoryMarkdown, type StoryData } from './render-story.ts';

const evil = '<script>alert(1)</script>``` ` | \u202e';
const story: StoryData = {
  prompt: 'p',
  file: 'prompts/p.prompt.md',
  suite: 's',
  model: 'fake:t',
  proposer: 'fake:p',
  repeats: 2,
  alpha: 0.05,
  suiteSummary: { dev: 3, test: 1, protected: ['g'], categories: { edge: 4 } },
  initialPrompt: `Be nice ${evil}`,
  finalPrompt: 'Be nicer',
  initialVersion: 'aaa',
  finalVersion: 'bbb',
  steps: [
    {
      type: 'step',
      at: '',
      step: 1,
      proposer: 'model',
      cluster: { signature: `icontains: ${evil}`, caseIds: ['c1'] },
      diagnosis: evil,
      evidence: [evil],
      hypothesis: evil,
      edit: { kind: 'add-constraint', text: evil },
      editText: '',
      predicted: ['c1'],
      verdict: 'refuted',
      why: evil,
      diff: [`+ ${evil}`],
    },
  ],
  diff: [{ section: 'message 1 (system)', lines: ['- Be nice', '+ Be nicer'] }],
  results: [
    {
      split: 'dev',
      before: { estimate: 0.5, lower: 0.2, upper: 0.8, n: 3 },
      after: { estimate: 1, lower: 0.6, upper: 1, n: 3 },
      difference: { estimate: 0.5, lower: -0.1, upper: 0.8 },
    },
  ],
  cases: [{ id: `c1${evil}`, split: 'dev', protected: true, before: '0/2', after: '2/2', change: 'fixed' }],
  testLooks: 0,
  final: { verdict: 'kept', why: 'no test split' },
  stopReason: 'done',
  spend: {
    target: { calls: 1, cached: 0, cost: 0 },
    judge: { calls: 0, cached: 0, cost: 0 },
    proposer: { calls: 1, cached: 0, cost: 0 },
    total: 0,
  },
  warnings: [],
};

describe('story', () => {
  it('HTML escapes every model text and loads nothing', () => {
    const html = renderStoryHtml(story);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('⟨U+202E⟩');
    expect(html).not.toMatch(/src=|href=/);
    expect(html).toContain("default-src 'none'");
  });

  it('Markdown keeps model text inside fences it cannot close, and escapes it inline', () => {
    const md = renderStoryMarkdown(story);
    expect(md).toContain('````markdown\nBe nice'); // a fence longer than the ``` in the text
    expect(md).toContain('\\<script\\>');
    expect(md).toContain('| 0/2 | 2/2 | fixed |');
    // A | in a case id cannot add a column: the row has exactly 6 unescaped pipes.
    const row = md.split('\n').find((l) => l.startsWith('| c1')) as string;
    expect(row.replace(/\\\|/g, '').split('|')).toHaveLength(7);
    expect(md).toContain(
      '| dev | 50.0% [20.0%, 80.0%] (n=3) | 100.0% [60.0%, 100.0%] (n=3) | +50.0 pts [-10.0 pts, +80.0 pts] |',
    );
  });
});

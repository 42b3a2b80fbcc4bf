import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { regenerateStory } from '../../examples/optimize/regenerate-story.ts';

const committed = resolve(import.meta.dirname, '../../examples/optimize/story');

describe('the committed sample story (examples/optimize/story)', () => {
  it('is what the example project produces today (regenerate with node examples/optimize/regenerate-story.ts)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'assay-story-'));
    try {
      await regenerateStory(dir);
      for (const f of ['story.md', 'story.html'])
        expect(readFileSync(join(dir, f), 'utf8'), f).toBe(readFileSync(join(committed, f), 'utf8'));
      expect(readFileSync(join(committed, 'story.md'), 'utf8')).toContain('2 accepted of 3 hypotheses');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

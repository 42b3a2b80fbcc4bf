/**
 * Regenerates the sample story (examples/optimize/story/) from the example project: copies the project
 * to a scratch folder, runs `assay optimize support` there with the scripted target and proposer, and
 * copies the story (Markdown and HTML) and the experiment log back.
 *
 *   node examples/optimize/regenerate-story.ts
 */
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { optimize } from '../../src/app/optimize.ts';

const here = import.meta.dirname;

/** Runs the example in a scratch copy and writes the story files into `outDir`. */
export async function regenerateStory(outDir: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'assay-optimize-example-'));
  try {
    cpSync(join(here, 'project'), dir, { recursive: true, filter: (src) => !src.includes('.assay') });
    const result = await optimize({
      cwd: dir,
      prompt: 'support',
      model: 'fake:support-bot',
      proposer: 'fake:proposer',
    });
    mkdirSync(outDir, { recursive: true });
    copyFileSync(result.story?.markdown as string, join(outDir, 'story.md'));
    copyFileSync(result.story?.html as string, join(outDir, 'story.html'));
    copyFileSync(result.log, join(outDir, 'experiment-log.jsonl'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(here, 'regenerate-story.ts')) {
  await regenerateStory(join(here, 'story'));
  process.stdout.write(`wrote ${join(here, 'story')}/story.md, story.html and experiment-log.jsonl\n`);
}

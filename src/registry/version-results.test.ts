import { describe, expect, it } from 'vitest';
import { sampleManifest, sampleResult } from '../../test/store-conformance/sample-records.ts';
import { openSqliteStore } from '../store/sqlite/sqlite-store.ts';
import { versionResults } from './version-results.ts';

const store = openSqliteStore(':memory:');

describe('versionResults', () => {
  it('counts only the newest run of a version per suite × model: the same cases twice are not n × 2', async () => {
    const manifest = sampleManifest();
    const version = manifest.prompts[0]?.version as string;
    const name = manifest.prompts[0]?.name as string;
    await store.createRun({ id: 'old-run', manifest, planned: 3 });
    await new Promise((r) => setTimeout(r, 5));
    await store.createRun({ id: 'new-run', manifest, planned: 3 });
    const row = (runId: string, caseId: string, status: 'pass' | 'fail') =>
      sampleResult({ runId, caseId, status, prompt: name, promptVersion: version });
    await store.writeResults([
      row('old-run', 'a', 'fail'),
      row('old-run', 'b', 'fail'),
      row('old-run', 'c', 'fail'),
    ]);
    await store.writeResults([
      row('new-run', 'a', 'pass'),
      row('new-run', 'b', 'pass'),
      row('new-run', 'c', 'fail'),
    ]);
    const [r] = await versionResults(store, name, version);
    expect(r).toMatchObject({ n: 3, passed: 2, runs: ['new-run', 'old-run'] });
    expect(r?.passRate).toBeCloseTo(2 / 3, 12);
  });
});

import { useCallback, useEffect, useState } from 'preact/hooks';
import { api } from './api-client.ts';
import type { ResultRow, RunDetail, RunRow } from './api-types.ts';
import { interval, shortVersion, usd, when } from './format.ts';
import { JudgeStatusList } from './judges-view.tsx';
import { type ResultsFilter, ResultsTable } from './results-table.tsx';
import { href } from './route.ts';
import { LoadState, StatusBadge } from './status-views.tsx';
import { useApi } from './use-api.ts';

function ResultDetail({ row, onClose }: { row: ResultRow; onClose: () => void }) {
  const err = row.error;
  return (
    <aside class="detail" data-testid="result-detail" aria-label={`Result ${row.index + 1}`}>
      <div class="detail-head">
        <h2>
          <span class="mono">{row.caseId}</span> <StatusBadge status={row.status} />
        </h2>
        <button type="button" class="ghost" onClick={onClose} aria-label="Close">
          ×
        </button>
      </div>
      <p class="small muted">
        #{row.index + 1} · {row.promptName}@{shortVersion(row.promptVersion)} × {row.modelId} · repeat{' '}
        {row.repeat + 1}
        {row.latencyMs !== undefined ? ` · ${Math.round(row.latencyMs)} ms` : ''}
        {row.cost !== undefined ? ` · ${usd(row.cost)}` : ''}
      </p>
      <h3>Input</h3>
      <pre class="text">{row.input}</pre>
      <h3>Output</h3>
      <pre class="text" data-testid="result-output">
        {row.output}
      </pre>
      {row.outputTruncated ? <p class="small muted">Output cut at 4,000 characters.</p> : null}
      {err ? (
        <>
          <h3>Error</h3>
          <pre class="text error-text">{err}</pre>
        </>
      ) : null}
      <h3>Checks</h3>
      {row.checks.length === 0 ? (
        <p class="muted small">None ran.</p>
      ) : (
        <ul class="checks">
          {row.checks.map((c, i) => (
            <li key={`${c.type}-${i}`} class={c.pass ? 'pass-text' : 'fail-text'}>
              <strong>{c.pass ? '✓' : '✗'}</strong> {c.name ?? c.type}
              {c.score !== undefined ? ` (${c.score.toFixed(2)})` : ''}
              {c.reason ? <span class="muted"> — {c.reason}</span> : null}
              {c.error ? <span class="error-text"> — {c.error}</span> : null}
            </li>
          ))}
        </ul>
      )}
    </aside>
  );
}

function RunHeader({ detail, previous }: { detail: RunDetail; previous?: RunRow }) {
  const { run, manifest, report } = detail;
  const groups = report.summary?.groups ?? [];
  const warnings = [...(report.warnings ?? [])];
  return (
    <>
      <div class="title-row">
        <h1>
          Run <span class="mono">{run.id.slice(0, 12)}</span> <StatusBadge status={run.status} />
        </h1>
        <div class="actions">
          {previous ? (
            <a class="button" href={href.compare(previous.id, run.id)}>
              Compare with previous
            </a>
          ) : null}
          <a class="button ghost" href={href.annotate(run.id)}>
            Annotate outputs
          </a>
        </div>
      </div>
      <p class="muted">
        Suite {run.suite}
        {manifest.suite ? ` (${manifest.suite.cases} cases)` : ''} · started {when(run.startedAt)}
        {run.finishedAt ? ` · finished ${when(run.finishedAt)}` : ''}
        {manifest.repeats && manifest.repeats > 1 ? ` · ${manifest.repeats} repeats` : ''}
        {manifest.git
          ? ` · git ${manifest.git.commit.slice(0, 10)}${manifest.git.dirty ? ' (dirty)' : ''}`
          : ''}{' '}
        · cost {usd(run.cost)}
      </p>
      <table class="grid compact">
        <thead>
          <tr>
            <th>Prompt</th>
            <th>Model</th>
            <th class="num">Results</th>
            <th class="num">Pass</th>
            <th class="num">Fail</th>
            <th class="num">Errors</th>
            <th>Pass rate [95% CI]</th>
            <th class="num">p50 latency</th>
          </tr>
        </thead>
        <tbody>
          {groups.map((g) => (
            <tr key={`${g.promptVersion}/${g.modelId}`}>
              <td class="mono">
                {g.prompt}@{shortVersion(g.promptVersion)}
              </td>
              <td>{g.modelId}</td>
              <td class="num">{g.total}</td>
              <td class="num pass-text">{g.passed}</td>
              <td class="num fail-text">{g.failed}</td>
              <td class="num error-text">{g.errors}</td>
              <td>{interval(g.passRate)}</td>
              <td class="num">{g.latency ? `${Math.round(g.latency.p50)} ms` : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {warnings.length > 0 ? (
        <ul class="warnings">
          {warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      ) : null}
      {detail.judges.length > 0 ? <JudgeStatusList judges={detail.judges} /> : null}
    </>
  );
}

export function RunView({ id }: { id: string }) {
  const [detail] = useApi(() => api.run(id), [id]);
  const [runs] = useApi(() => api.runs(), []);
  const [status, setStatus] = useState<ResultsFilter['status']>('');
  const [text, setText] = useState('');
  const [filter, setFilter] = useState<ResultsFilter>({ status: '', q: '' });
  const [selected, setSelected] = useState<ResultRow | null>(null);
  const [jump, setJump] = useState(0);
  const [total, setTotal] = useState<number | null>(null);
  const onTotal = useCallback((t: number | null) => setTotal(t), []);

  // Typing waits for a pause before asking the server again.
  useEffect(() => {
    const t = setTimeout(() => setFilter({ status, q: text.trim() }), text.trim() === filter.q ? 0 : 250);
    return () => clearTimeout(t);
  }, [status, text, filter.q]);

  let previous: RunRow | undefined;
  if (runs.state === 'ok') {
    const list = runs.data.runs;
    const i = list.findIndex((r) => r.id === id);
    const run = list[i];
    previous = run && list.slice(i + 1).find((r) => r.suite === run.suite);
  }

  return (
    <section>
      <p class="crumbs">
        <a href={href.runs()}>Runs</a> /
      </p>
      <LoadState value={detail}>{(d) => <RunHeader detail={d} previous={previous} />}</LoadState>
      <div class="filters">
        <label>
          Status{' '}
          <select
            data-testid="status-filter"
            value={status}
            onChange={(e) => setStatus(e.currentTarget.value as ResultsFilter['status'])}
          >
            <option value="">all</option>
            <option value="pass">pass</option>
            <option value="fail">fail</option>
            <option value="error">error</option>
          </select>
        </label>
        <label>
          Text{' '}
          <input
            type="search"
            data-testid="text-filter"
            placeholder="case id, input or output"
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
          />
        </label>
        <span class="muted" data-testid="results-count">
          {total === null ? '…' : `${total.toLocaleString('en-US')} result${total === 1 ? '' : 's'}`}
        </span>
        <button type="button" data-testid="jump-last" disabled={!total} onClick={() => setJump((j) => j + 1)}>
          Jump to last
        </button>
      </div>
      <div class={selected ? 'run-body with-detail' : 'run-body'}>
        <ResultsTable
          runId={id}
          filter={filter}
          selected={selected?.index ?? null}
          onSelect={setSelected}
          jumpToLast={jump}
          onTotal={onTotal}
        />
        {selected ? <ResultDetail row={selected} onClose={() => setSelected(null)} /> : null}
      </div>
    </section>
  );
}

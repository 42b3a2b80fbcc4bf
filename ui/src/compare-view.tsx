import { useState } from 'preact/hooks';
import { api } from './api-client.ts';
import type { CompareCase, CompareKind, Comparison, DiffSegment } from './api-types.ts';
import { interval, pct, points, pValue, shortVersion } from './format.ts';
import { href } from './route.ts';
import { LoadState, StatusBadge } from './status-views.tsx';
import { useApi } from './use-api.ts';

const GROUPS: { kinds: CompareKind[]; title: string; open: boolean }[] = [
  { kinds: ['regressed'], title: 'Regressions (A pass → B fail)', open: true },
  { kinds: ['improved'], title: 'Improvements (A fail → B pass)', open: true },
  { kinds: ['flaky'], title: 'Flaky (repeats disagree)', open: true },
  { kinds: ['error'], title: 'Errored (dropped from the pairing)', open: true },
  { kinds: ['unchanged-fail'], title: 'Unchanged: fail on both', open: false },
  { kinds: ['unchanged-pass'], title: 'Unchanged: pass on both', open: false },
];
/** Cases drawn per group before "show more": a long unchanged list must not freeze the page. */
const SHOW = 50;

function Stats({ c }: { c: Comparison }) {
  return (
    <div class="stats" data-testid="compare-stats">
      <div class="sides">
        <div>
          <div class="label">A (baseline)</div>
          <div class="mono">
            {c.baseline.prompt}@{shortVersion(c.baseline.promptVersion)} × {c.baseline.modelId}
          </div>
          <div class="big">{interval(c.baseline.passRate)}</div>
          <div class="small muted">
            {c.baseline.passRate ? `${c.baseline.passRate.passed}/${c.baseline.passRate.n} paired cases` : ''}
          </div>
        </div>
        <div>
          <div class="label">B (candidate)</div>
          <div class="mono">
            {c.candidate.prompt}@{shortVersion(c.candidate.promptVersion)} × {c.candidate.modelId}
          </div>
          <div class="big">{interval(c.candidate.passRate)}</div>
          <div class="small muted">
            {c.candidate.passRate
              ? `${c.candidate.passRate.passed}/${c.candidate.passRate.n} paired cases`
              : ''}
          </div>
        </div>
        <div>
          <div class="label">B − A</div>
          <div class="big">{points(c.difference)}</div>
          <div class="small muted">
            {Math.round(c.difference.confidence * 100)}% CI, {c.difference.method}
          </div>
        </div>
        <div>
          <div class="label">Verdict</div>
          <div class={`big verdict verdict-${c.verdict.replace(/[^a-z]+/g, '-')}`} data-testid="verdict">
            {c.verdict}
          </div>
          <div class="small muted">
            {c.test} p = {pValue(c.p)}
            {c.family > 1 ? ` · Holm p = ${pValue(c.pAdjusted)} (family of ${c.family})` : ''} · α = {c.alpha}
          </div>
        </div>
      </div>
      <p class="small">
        {c.pairing.paired} paired cases · {c.pairing.errored.length} dropped for errors ·{' '}
        {c.pairing.onlyInBaseline.length + c.pairing.onlyInCandidate.length} unmatched
        {c.mde !== null
          ? ` · minimum detectable effect ≈ ${pct(c.mde)} at ${Math.round(c.power * 100)}% power`
          : ''}
      </p>
      {c.table ? (
        <table class="grid compact two-by-two" aria-label="Paired 2×2 table">
          <thead>
            <tr>
              <th />
              <th class="num">B pass</th>
              <th class="num">B fail</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th>A pass</th>
              <td class="num">{c.table.bothPass}</td>
              <td class="num fail-text">{c.table.baselineOnly}</td>
            </tr>
            <tr>
              <th>A fail</th>
              <td class="num pass-text">{c.table.candidateOnly}</td>
              <td class="num">{c.table.bothFail}</td>
            </tr>
          </tbody>
        </table>
      ) : null}
      {c.warnings.length > 0 ? (
        <ul class="warnings">
          {c.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** One side of the diff: the kept text plus what only this side has, highlighted. */
function DiffSide({ segments, side }: { segments: DiffSegment[]; side: 'removed' | 'added' }) {
  return (
    <pre class="text diff">
      {segments
        .filter((s) => s.op === 'same' || s.op === side)
        .map((s, i) =>
          s.op === 'same' ? (
            <span key={i}>{s.text}</span>
          ) : (
            <mark key={i} class={s.op === 'removed' ? 'del' : 'ins'}>
              {s.text}
            </mark>
          ),
        )}
    </pre>
  );
}

function CaseCard({ c }: { c: CompareCase }) {
  const same = c.a.output === c.b.output;
  return (
    <article
      class={`case kind-${c.kind}`}
      data-testid="compare-case"
      data-kind={c.kind}
      data-case-id={c.caseId}
    >
      <header>
        <span class="mono">{c.caseId}</span> <span class="muted small">{c.modelId}</span>
        <span class="flip">
          <StatusBadge status={c.a.status} /> → <StatusBadge status={c.b.status} />
        </span>
      </header>
      {same ? (
        <pre class="text">{c.a.output}</pre>
      ) : (
        <div class="side-by-side">
          <div>
            <div class="label">A</div>
            {c.diff.length > 0 ? (
              <DiffSide segments={c.diff} side="removed" />
            ) : (
              <pre class="text">{c.a.output}</pre>
            )}
          </div>
          <div>
            <div class="label">B</div>
            {c.diff.length > 0 ? (
              <DiffSide segments={c.diff} side="added" />
            ) : (
              <pre class="text">{c.b.output}</pre>
            )}
          </div>
        </div>
      )}
    </article>
  );
}

function CaseGroup({ title, cases, open }: { title: string; cases: CompareCase[]; open: boolean }) {
  const [shown, setShown] = useState(SHOW);
  const [expanded, setExpanded] = useState(open);
  if (cases.length === 0) return null;
  return (
    <section class="case-group">
      <h2>
        <button type="button" class="ghost" aria-expanded={expanded} onClick={() => setExpanded((x) => !x)}>
          {expanded ? '▾' : '▸'} {title} <span class="count">{cases.length}</span>
        </button>
      </h2>
      {expanded ? (
        <>
          {cases.slice(0, shown).map((c) => (
            <CaseCard key={`${c.caseId}/${c.modelId}`} c={c} />
          ))}
          {cases.length > shown ? (
            <button type="button" onClick={() => setShown((n) => n + SHOW * 4)}>
              Show more ({cases.length - shown} left)
            </button>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

export function CompareView({ a, b }: { a: string; b: string }) {
  const [data] = useApi(() => api.compare(a, b), [a, b]);
  return (
    <section>
      <p class="crumbs">
        <a href={href.runs()}>Runs</a> / compare
      </p>
      <h1>
        Compare{' '}
        <a href={href.run(a)} class="mono">
          {a.slice(0, 12)}
        </a>{' '}
        (A) with{' '}
        <a href={href.run(b)} class="mono">
          {b.slice(0, 12)}
        </a>{' '}
        (B)
      </h1>
      <LoadState value={data}>
        {({ comparison, cases }) => (
          <>
            {comparison.warnings.length > 0 ? (
              <ul class="warnings">
                {comparison.warnings.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
            ) : null}
            {comparison.comparisons.map((c) => (
              <Stats key={`${c.candidate.promptVersion}/${c.candidate.modelId}`} c={c} />
            ))}
            {GROUPS.map((g) => (
              <CaseGroup
                key={g.title}
                title={g.title}
                open={g.open}
                cases={cases.filter((c) => g.kinds.includes(c.kind))}
              />
            ))}
          </>
        )}
      </LoadState>
    </section>
  );
}

import { api } from './api-client.ts';
import type { JudgeRow, JudgeValidation } from './api-types.ts';
import { num, when } from './format.ts';
import { LoadState, StatusBadge } from './status-views.tsx';
import { useApi } from './use-api.ts';

/** Human verdict (rows) × judge verdict (columns), from the counts behind TPR and TNR. */
function ConfusionMatrix({ v }: { v: JudgeValidation }) {
  const c = v.confusion;
  if (!c) return <span class="muted small">no counts recorded</span>;
  return (
    <table class="grid compact confusion" data-testid="confusion-matrix" aria-label="Confusion matrix">
      <thead>
        <tr>
          <th>human ↓ judge →</th>
          <th class="num">pass</th>
          <th class="num">fail</th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <th>pass</th>
          <td class="num agree">{c.truePositives}</td>
          <td class="num disagree">{c.humanPositives - c.truePositives}</td>
        </tr>
        <tr>
          <th>fail</th>
          <td class="num disagree">{c.humanNegatives - c.trueNegatives}</td>
          <td class="num agree">{c.trueNegatives}</td>
        </tr>
      </tbody>
    </table>
  );
}

/** Compact status lines, for the run view. */
export function JudgeStatusList({ judges }: { judges: JudgeRow[] }) {
  return (
    <ul class="judge-list small">
      {judges.map((j) => (
        <li key={j.file}>
          judge <strong>{j.name}</strong> <StatusBadge status={j.status} />{' '}
          <span class="muted">{j.reason}</span>
        </li>
      ))}
    </ul>
  );
}

export function JudgesView() {
  const [judges] = useApi(() => api.judges(), []);
  return (
    <section>
      <h1>Judges</h1>
      <LoadState value={judges}>
        {({ judges: list }) =>
          list.length === 0 ? (
            <p class="muted">No judge files in this project (see docs/judges.md).</p>
          ) : (
            <div class="judges">
              {list.map((j) => (
                <article key={j.file} class="card" data-testid="judge-row" data-judge={j.name}>
                  <h2>
                    {j.name} <StatusBadge status={j.status} />
                  </h2>
                  <p class="small muted">
                    <span class="mono">{j.file}</span> · version <span class="mono">{j.version}</span> ·{' '}
                    {j.kind} · {j.scale} · model {j.model}
                  </p>
                  <p>{j.reason}</p>
                  {j.validation ? (
                    <div class="validation">
                      <dl class="metrics">
                        <div>
                          <dt>κ</dt>
                          <dd data-testid="kappa">{num(j.validation.kappa)}</dd>
                        </div>
                        <div>
                          <dt>TPR</dt>
                          <dd>{num(j.validation.tpr)}</dd>
                        </div>
                        <div>
                          <dt>TNR</dt>
                          <dd>{num(j.validation.tnr)}</dd>
                        </div>
                        <div>
                          <dt>n</dt>
                          <dd>{j.validation.n}</dd>
                        </div>
                      </dl>
                      <ConfusionMatrix v={j.validation} />
                      <p class="small muted">
                        Validated {when(j.validation.validatedAt)} against version{' '}
                        <span class="mono">{j.validation.judgeVersion}</span>
                      </p>
                    </div>
                  ) : (
                    <p class="small muted">
                      Not validated: annotate outputs, then run `assay judge validate {j.file} --annotations
                      …`.
                    </p>
                  )}
                </article>
              ))}
            </div>
          )
        }
      </LoadState>
    </section>
  );
}

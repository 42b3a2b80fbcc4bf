import { api } from './api-client.ts';
import type { RunRow } from './api-types.ts';
import { interval, shortVersion, usd, when } from './format.ts';
import { href } from './route.ts';
import { LoadState, StatusBadge } from './status-views.tsx';
import { useApi } from './use-api.ts';

/** The run before `i` (older, same suite) in a newest-first list: the natural baseline to compare with. */
function previousOf(runs: RunRow[], i: number): RunRow | undefined {
  const run = runs[i];
  return run && runs.slice(i + 1).find((r) => r.suite === run.suite);
}

export function RunsView() {
  const [runs] = useApi(() => api.runs(), []);
  return (
    <section>
      <h1>Runs</h1>
      <LoadState value={runs}>
        {({ runs: rows }) =>
          rows.length === 0 ? (
            <p class="muted">No runs yet: run `assay eval` in this project, then reload.</p>
          ) : (
            <div class="table-scroll">
              <table class="grid" data-testid="runs-table">
                <thead>
                  <tr>
                    <th>Run</th>
                    <th>Suite</th>
                    <th>Status</th>
                    <th>Started</th>
                    <th>Prompts</th>
                    <th>Models</th>
                    <th class="num">Results</th>
                    <th class="num">Pass</th>
                    <th class="num">Fail</th>
                    <th class="num">Errors</th>
                    <th>Pass rate [95% CI]</th>
                    <th class="num">Cost</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r, i) => {
                    const prev = previousOf(rows, i);
                    return (
                      <tr key={r.id} data-testid="run-row" data-run-id={r.id}>
                        <td>
                          <a class="mono" href={href.run(r.id)}>
                            {r.id.slice(0, 12)}
                          </a>
                        </td>
                        <td>
                          {r.suite}
                          {r.split ? <span class="muted"> ({r.split})</span> : null}
                        </td>
                        <td>
                          <StatusBadge status={r.status} />
                        </td>
                        <td class="nowrap" title={r.startedAt}>
                          {when(r.startedAt).slice(0, 16)}
                        </td>
                        <td>
                          {r.prompts.map((p) => (
                            <div key={`${p.name}@${p.version}`} class="mono small">
                              {p.name}@{shortVersion(p.version)}
                            </div>
                          ))}
                        </td>
                        <td class="small">{r.models.join(', ')}</td>
                        <td class="num">{r.total}</td>
                        <td class="num pass-text">{r.passed}</td>
                        <td class="num fail-text">{r.failed}</td>
                        <td class="num error-text">{r.errors}</td>
                        <td class="nowrap">{interval(r.passRate)}</td>
                        <td class="num">{usd(r.cost)}</td>
                        <td>
                          <div class="row-actions">
                            {prev ? (
                              <a
                                class="button"
                                data-testid="compare-previous"
                                href={href.compare(prev.id, r.id)}
                              >
                                Compare with previous
                              </a>
                            ) : null}
                          </div>
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )
        }
      </LoadState>
    </section>
  );
}

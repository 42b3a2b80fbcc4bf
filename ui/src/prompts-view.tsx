import { useState } from 'preact/hooks';
import { api } from './api-client.ts';
import type { PromptDiffSection, PromptRow } from './api-types.ts';
import { shortVersion, when } from './format.ts';
import { LoadState } from './status-views.tsx';
import { type Loaded, useApi } from './use-api.ts';

function DiffSections({ sections }: { sections: PromptDiffSection[] }) {
  if (sections.length === 0) return <p class="muted">The two versions are the same.</p>;
  return (
    <div data-testid="prompt-diff">
      {sections.map((s) => (
        <div key={s.section} class="diff-section">
          <h4>{s.section}</h4>
          <pre class="text">
            {s.lines.map((l, i) => (
              <div key={i} class={l.startsWith('+ ') ? 'line ins' : l.startsWith('- ') ? 'line del' : 'line'}>
                {l}
              </div>
            ))}
          </pre>
        </div>
      ))}
    </div>
  );
}

function PromptCard({ prompt, onChanged }: { prompt: PromptRow; onChanged: () => void }) {
  const versions = prompt.versions;
  const [from, setFrom] = useState(versions[1]?.version ?? versions[0]?.version ?? '');
  const [to, setTo] = useState(versions[0]?.version ?? '');
  const [diff, setDiff] = useState<Loaded<PromptDiffSection[]> | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [newLabel, setNewLabel] = useState('');
  const labels = [...new Set(versions.flatMap((v) => v.labels))].sort();

  const showDiff = () => {
    setDiff({ state: 'loading' });
    api.promptDiff(prompt.name, from, to).then(
      (r) => setDiff({ state: 'ok', data: r.sections }),
      (e: unknown) => setDiff({ state: 'error', error: e instanceof Error ? e.message : String(e) }),
    );
  };
  const move = (label: string, version: string) => {
    setMessage(null);
    api.moveLabel(prompt.name, label, version).then(
      () => {
        setMessage({ ok: true, text: `${label} → ${shortVersion(version)} (written to assay.labels.yaml)` });
        onChanged();
      },
      (e: unknown) => setMessage({ ok: false, text: e instanceof Error ? e.message : String(e) }),
    );
  };

  return (
    <article class="card" data-testid="prompt" data-prompt={prompt.name}>
      <h2>{prompt.name}</h2>
      {message ? (
        <p class={message.ok ? 'notice' : 'error'} role="status">
          {message.text}
        </p>
      ) : null}
      <table class="grid compact">
        <thead>
          <tr>
            <th>Version</th>
            <th>Recorded</th>
            <th>Author</th>
            <th>Message</th>
            <th>Labels</th>
            <th>Move a label here</th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.version} data-testid="prompt-version" data-version={v.version}>
              <td class="mono">{shortVersion(v.version)}</td>
              <td class="nowrap">{when(v.createdAt)}</td>
              <td>{v.author ?? ''}</td>
              <td>{v.message ?? ''}</td>
              <td>
                {v.labels.map((l) => (
                  <span key={l} class="chip" data-testid="label-chip">
                    {l}
                  </span>
                ))}
              </td>
              <td>
                <div class="row-actions">
                  {labels
                    .filter((l) => !v.labels.includes(l))
                    .map((l) => (
                      <button
                        type="button"
                        key={l}
                        data-testid="label-move"
                        data-label={l}
                        onClick={() => move(l, v.version)}
                      >
                        {l} → here
                      </button>
                    ))}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        class="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          const label = newLabel.trim();
          const version = versions[0]?.version;
          if (label && version) move(label, version);
        }}
      >
        <label>
          New label on the newest version{' '}
          <input
            value={newLabel}
            placeholder="e.g. staging"
            onInput={(e) => setNewLabel(e.currentTarget.value)}
          />
        </label>
        <button type="submit" data-testid="label-add" disabled={newLabel.trim() === ''}>
          Add label
        </button>
      </form>
      {versions.length > 1 ? (
        <div class="inline-form">
          <label>
            Diff from{' '}
            <select value={from} onChange={(e) => setFrom(e.currentTarget.value)} data-testid="diff-from">
              {versions.map((v) => (
                <option key={v.version} value={v.version}>
                  {shortVersion(v.version)} {v.labels.length ? `(${v.labels.join(', ')})` : ''}
                </option>
              ))}
            </select>
          </label>
          <label>
            to{' '}
            <select value={to} onChange={(e) => setTo(e.currentTarget.value)} data-testid="diff-to">
              {versions.map((v) => (
                <option key={v.version} value={v.version}>
                  {shortVersion(v.version)} {v.labels.length ? `(${v.labels.join(', ')})` : ''}
                </option>
              ))}
            </select>
          </label>
          <button type="button" data-testid="show-diff" onClick={showDiff}>
            Show diff
          </button>
        </div>
      ) : null}
      {diff ? <LoadState value={diff}>{(sections) => <DiffSections sections={sections} />}</LoadState> : null}
    </article>
  );
}

export function PromptsView() {
  const [prompts, reload] = useApi(() => api.prompts(), []);
  return (
    <section>
      <h1>Prompts</h1>
      <LoadState value={prompts}>
        {({ prompts: list }) =>
          list.length === 0 ? (
            <p class="muted">No prompt versions recorded yet: `assay eval` records each version it runs.</p>
          ) : (
            list.map((p) => <PromptCard key={p.name} prompt={p} onChanged={reload} />)
          )
        }
      </LoadState>
    </section>
  );
}

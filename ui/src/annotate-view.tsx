import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from './api-client.ts';
import type { AnnotateItem, AnnotationRow } from './api-types.ts';
import { shortVersion, when } from './format.ts';
import { href } from './route.ts';
import { LoadState } from './status-views.tsx';
import { useApi } from './use-api.ts';

const ANNOTATOR_KEY = 'assay-annotator';

type Judgment = { verdict: 'pass' | 'fail' } | { score: number };

function latestBy(annotations: AnnotationRow[], annotator: string): AnnotationRow | undefined {
  return annotations.filter((a) => a.annotator === annotator).at(-1);
}

function describe(a: AnnotationRow): string {
  const what = a.verdict ?? (a.score !== undefined ? `score ${a.score}` : '—');
  return `${a.annotator}: ${what}${a.note ? ` — “${a.note}”` : ''} (${when(a.at)})`;
}

function AskName({ onName }: { onName: (name: string) => void }) {
  const [name, setName] = useState('');
  return (
    <form
      class="card ask-name"
      onSubmit={(e) => {
        e.preventDefault();
        if (name.trim()) onName(name.trim());
      }}
    >
      <h2>Who is annotating?</h2>
      <p class="muted">
        Your name goes with every judgment into annotations/&lt;suite&gt;.jsonl. Asked once.
      </p>
      <input
        data-testid="annotator-name"
        value={name}
        placeholder="e.g. ana"
        onInput={(e) => setName(e.currentTarget.value)}
      />{' '}
      <button type="submit" data-testid="annotator-start" disabled={name.trim() === ''}>
        Start
      </button>
    </form>
  );
}

function Annotator(props: { runId: string; suite: string; items: AnnotateItem[]; annotator: string }) {
  const { runId, suite, annotator } = props;
  const [items, setItems] = useState(props.items);
  const [index, setIndex] = useState(() => {
    const first = props.items.findIndex((it) => !latestBy(it.annotations, annotator));
    return first === -1 ? 0 : first;
  });
  const [note, setNote] = useState('');
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const saving = useRef(false);
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const onKey = useRef<((e: KeyboardEvent) => void) | null>(null);
  const item = items[index];
  const judged = items.filter((it) => latestBy(it.annotations, annotator)).length;

  const judge = (j: Judgment) => {
    if (!item || saving.current) return;
    saving.current = true;
    const at = index;
    const body = { runId, key: item.key, annotator, ...j, ...(note.trim() ? { note: note.trim() } : {}) };
    api.annotate(body).then(
      (res) => {
        saving.current = false;
        const row: AnnotationRow = { annotator, ...j, at: new Date().toISOString() };
        if (body.note) row.note = body.note;
        setItems((all) =>
          all.map((it) => (it.key === item.key ? { ...it, annotations: [...it.annotations, row] } : it)),
        );
        setStatus({ ok: true, text: `Saved to ${res.file}` });
        setNote('');
        setIndex(Math.min(at + 1, items.length - 1));
      },
      (e: unknown) => {
        saving.current = false;
        setStatus({ ok: false, text: e instanceof Error ? e.message : String(e) });
      },
    );
  };

  // Assigned at every render, so a key pressed right after one always sees the item now shown (an
  // effect re-registering the listener would run later and leave a stale one in between).
  onKey.current = (e: KeyboardEvent) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const target = e.target as HTMLElement | null;
    if (
      target &&
      (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT')
    )
      return;
    const k = e.key;
    if (k === 'p') judge({ verdict: 'pass' });
    else if (k === 'f') judge({ verdict: 'fail' });
    else if (/^[1-5]$/.test(k)) judge({ score: Number(k) });
    else if (k === 'n') noteRef.current?.focus();
    else if (k === 'j' || k === 'ArrowDown' || k === 'ArrowRight')
      setIndex((i) => Math.min(i + 1, items.length - 1));
    else if (k === 'k' || k === 'ArrowUp' || k === 'ArrowLeft') setIndex((i) => Math.max(i - 1, 0));
    else return;
    e.preventDefault();
  };
  useEffect(() => {
    const listener = (e: KeyboardEvent) => onKey.current?.(e);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);

  if (!item) return <p class="muted">This run has no outputs to annotate (errored results have none).</p>;
  const mine = latestBy(item.annotations, annotator);
  return (
    <>
      <div class="progress-row">
        <span data-testid="annotate-progress">
          {index + 1}/{items.length} · {judged} judged by {annotator}
        </span>
        <progress max={items.length} value={judged} />
        <span class="muted small">suite {suite}</span>
      </div>
      <article
        class="card annotate"
        data-testid="annotate-item"
        data-key={item.key}
        data-case-id={item.caseId}
      >
        <header>
          <span class="mono">{item.caseId}</span>{' '}
          <span class="muted small">
            {shortVersion(item.promptVersion)} × {item.modelId}
          </span>
          {mine ? (
            <span class="badge judged" data-testid="my-judgment">
              you: {mine.verdict ?? `score ${mine.score}`}
            </span>
          ) : null}
        </header>
        <h3>Input</h3>
        <pre class="text">{item.input}</pre>
        <h3>Output</h3>
        <pre class="text output" data-testid="annotate-output">
          {item.output}
        </pre>
        <label class="note">
          Note (n; Enter keeps it for the next judgment, Esc drops it)
          <textarea
            ref={noteRef}
            data-testid="annotate-note"
            rows={2}
            value={note}
            onInput={(e) => setNote(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey) {
                e.preventDefault();
                e.currentTarget.blur();
              } else if (e.key === 'Escape') {
                setNote('');
                e.currentTarget.blur();
              }
            }}
          />
        </label>
        <div class="actions">
          <button type="button" class="pass" onClick={() => judge({ verdict: 'pass' })}>
            Pass <kbd>p</kbd>
          </button>
          <button type="button" class="fail" onClick={() => judge({ verdict: 'fail' })}>
            Fail <kbd>f</kbd>
          </button>
          <span class="muted small">score</span>
          {[1, 2, 3, 4, 5].map((s) => (
            <button type="button" key={s} class="ghost" onClick={() => judge({ score: s })}>
              {s}
            </button>
          ))}
          <span class="muted small">
            <kbd>j</kbd>/<kbd>k</kbd> next/previous
          </span>
        </div>
        {status ? (
          <p class={status.ok ? 'notice small' : 'error'} role="status" data-testid="annotate-status">
            {status.text}
          </p>
        ) : null}
        {item.annotations.length > 0 ? (
          <>
            <h3>Judgments so far</h3>
            <ul class="small">
              {item.annotations.map((a) => (
                <li key={`${a.annotator}/${a.at}`}>{describe(a)}</li>
              ))}
            </ul>
          </>
        ) : null}
      </article>
    </>
  );
}

export function AnnotateView({ runId }: { runId: string }) {
  const [annotator, setAnnotator] = useState(() => localStorage.getItem(ANNOTATOR_KEY) ?? '');
  const [data] = useApi(() => api.annotateItems(runId), [runId]);
  return (
    <section>
      <p class="crumbs">
        <a href={href.runs()}>Runs</a> / <a href={href.run(runId)}>{runId.slice(0, 12)}</a> / annotate
      </p>
      <h1>Annotate outputs</h1>
      {annotator === '' ? (
        <AskName
          onName={(name) => {
            localStorage.setItem(ANNOTATOR_KEY, name);
            setAnnotator(name);
          }}
        />
      ) : (
        <LoadState value={data}>
          {(d) => <Annotator runId={runId} suite={d.suite} items={d.items} annotator={annotator} />}
        </LoadState>
      )}
    </section>
  );
}

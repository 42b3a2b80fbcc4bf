import {
  elementScroll,
  observeElementOffset,
  observeElementRect,
  Virtualizer,
  type VirtualizerOptions,
} from '@tanstack/virtual-core';
import { useEffect, useLayoutEffect, useReducer, useRef, useState } from 'preact/hooks';
import { api } from './api-client.ts';
import type { ResultRow } from './api-types.ts';
import { StatusBadge } from './status-views.tsx';

/** Rows have one fixed height, so any index maps to an exact offset and "jump to last" lands at once. */
export const ROW_HEIGHT = 34;
const PAGE = 100;

export interface ResultsFilter {
  status: '' | 'pass' | 'fail' | 'error';
  q: string;
}

type Page = ResultRow[] | 'loading' | 'failed';

function checksSummary(r: ResultRow): string {
  if (r.checks.length === 0) return r.status === 'error' ? 'no checks (error)' : 'no checks';
  const passed = r.checks.filter((c) => c.pass).length;
  return `${passed}/${r.checks.length} checks`;
}

/**
 * The run's results as a virtualised list: only the rows in view (plus overscan) are in the DOM, and pages
 * of 100 are fetched from the API as they scroll into view, so 100,000 results stay smooth.
 */
export function ResultsTable(props: {
  runId: string;
  filter: ResultsFilter;
  selected: number | null;
  onSelect: (row: ResultRow) => void;
  jumpToLast: number;
  onTotal: (total: number | null) => void;
}) {
  const { runId, filter, selected, onSelect, jumpToLast, onTotal } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const [, rerender] = useReducer((x: number) => x + 1, 0);
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const pages = useRef(new Map<number, Page>());
  const generation = useRef(0);
  /** The filter the cached pages belong to; until the reset effect ran for a new one, nothing loads. */
  const filterKey = JSON.stringify([runId, filter.status, filter.q]);
  const pagesKey = useRef<string | null>(null);
  const jumped = useRef(0);

  const options = (count: number): VirtualizerOptions<HTMLDivElement, HTMLDivElement> => ({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    scrollToFn: elementScroll,
    observeElementRect,
    observeElementOffset,
    onChange: () => rerender(0),
  });
  const virt = useRef<Virtualizer<HTMLDivElement, HTMLDivElement> | null>(null);
  if (virt.current === null) virt.current = new Virtualizer(options(0));
  const v = virt.current;
  v.setOptions(options(total ?? 0));

  useLayoutEffect(() => v._didMount(), [v]);
  useLayoutEffect(() => {
    v._willUpdate();
  });

  const load = (page: number) => {
    if (pages.current.has(page)) return;
    const gen = generation.current;
    pages.current.set(page, 'loading');
    api.results(runId, { offset: page * PAGE, limit: PAGE, status: filter.status, q: filter.q }).then(
      (res) => {
        if (gen !== generation.current) return;
        pages.current.set(page, res.rows);
        setTotal(res.total);
        rerender(0);
      },
      (e: unknown) => {
        if (gen !== generation.current) return;
        pages.current.set(page, 'failed');
        setError(e instanceof Error ? e.message : String(e));
      },
    );
  };

  // A new filter starts over: forget the pages, learn the new total from the first page.
  useEffect(() => {
    generation.current++;
    pages.current.clear();
    pagesKey.current = filterKey;
    setError(null);
    setTotal(null);
    scrollRef.current?.scrollTo({ top: 0 });
    load(0);
  }, [filterKey]);

  useEffect(() => onTotal(total), [total, onTotal]);

  // Each click jumps once (a later filter change starts at the top, not at the end again).
  useEffect(() => {
    if (jumpToLast === jumped.current || total === null) return;
    jumped.current = jumpToLast;
    if (total > 0) v.scrollToIndex(total - 1, { align: 'end' });
  }, [jumpToLast, total, v]);

  const items = total === null ? [] : v.getVirtualItems();
  if (items.length > 0 && pagesKey.current === filterKey) {
    const first = Math.floor((items[0]?.index ?? 0) / PAGE);
    const last = Math.floor((items[items.length - 1]?.index ?? 0) / PAGE);
    for (let p = first; p <= last; p++) load(p);
  }

  const rowAt = (index: number): ResultRow | 'loading' | 'failed' => {
    const page = pages.current.get(Math.floor(index / PAGE));
    if (page === undefined || page === 'loading') return 'loading';
    if (page === 'failed') return 'failed';
    return page[index % PAGE] ?? 'loading';
  };

  return (
    <div class="results">
      <table class="results-head">
        <thead>
          <tr>
            <th>#</th>
            <th>Case</th>
            <th>Prompt × model</th>
            <th>Status</th>
            <th>Input</th>
            <th>Output</th>
            <th>Checks</th>
          </tr>
        </thead>
      </table>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      <div class="results-scroll" ref={scrollRef} data-testid="results-table">
        {total === 0 ? <p class="muted pad">No results match.</p> : null}
        <table class="results-body" aria-label="Results">
          <tbody class="results-sizer" style={{ height: `${v.getTotalSize()}px` }}>
            {items.map((item) => {
              const row = rowAt(item.index);
              const style = { transform: `translateY(${item.start}px)`, height: `${ROW_HEIGHT}px` };
              if (typeof row === 'string')
                return (
                  <tr key={item.key} class="result-row pending" data-pos={item.index} style={style}>
                    <td class="muted num">{item.index + 1}</td>
                    <td class="muted">{row === 'failed' ? 'could not load' : '…'}</td>
                  </tr>
                );
              return (
                <tr
                  key={item.key}
                  class={`result-row${selected === row.index ? ' selected' : ''}`}
                  data-testid="result-row"
                  data-index={row.index}
                  data-pos={item.index}
                  data-status={row.status}
                  style={style}
                  onClick={() => onSelect(row)}
                >
                  <td class="muted num">{row.index + 1}</td>
                  <td class="mono cell">
                    <button type="button" class="link" title="Show this result" onClick={() => onSelect(row)}>
                      {row.caseId}
                    </button>
                  </td>
                  <td class="cell small">
                    {row.promptName}@{row.promptVersion.slice(0, 8)} × {row.modelId}
                    {row.repeat > 0 ? ` #${row.repeat + 1}` : ''}
                  </td>
                  <td>
                    <StatusBadge status={row.status} />
                  </td>
                  <td class="cell">{row.input}</td>
                  <td class="cell">{row.output}</td>
                  <td class="cell small">{checksSummary(row)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}

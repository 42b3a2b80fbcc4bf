import type {
  AnnotateItem,
  CompareCase,
  ComparisonJson,
  JudgeRow,
  PromptDiffSection,
  PromptRow,
  ResultsPage,
  RunDetail,
  RunRow,
} from './api-types.ts';

const TOKEN_KEY = 'assay-token';

/**
 * Takes the access token from `?token=` (the URL `assay ui` printed) into sessionStorage and removes it
 * from the address bar, so it is not left in history, bookmarks or screenshots.
 */
export function adoptTokenFromUrl(): void {
  const url = new URL(window.location.href);
  const token = url.searchParams.get('token');
  if (token === null) return;
  sessionStorage.setItem(TOKEN_KEY, token);
  url.searchParams.delete('token');
  history.replaceState(history.state, '', `${url.pathname}${url.search}${url.hash}`);
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

async function request<T>(
  path: string,
  init: { method?: string; body?: unknown; signal?: AbortSignal } = {},
) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token === null)
    throw new ApiError(
      'No access token: open the address that `assay ui` printed (it ends in ?token=…).',
      401,
    );
  const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: init.signal,
    credentials: 'omit',
  });
  let data: unknown;
  try {
    data = await res.json();
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    const message =
      typeof data === 'object' && data !== null && typeof (data as { error?: unknown }).error === 'string'
        ? (data as { error: string }).error
        : `${res.status} ${res.statusText}`;
    throw new ApiError(
      res.status === 401 ? `${message} — open the address that \`assay ui\` printed.` : message,
      res.status,
    );
  }
  return data as T;
}

const q = (params: Record<string, string | number | undefined>) => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') s.set(k, String(v));
  return s.toString();
};
const seg = encodeURIComponent;

export const api = {
  runs: () => request<{ runs: RunRow[] }>('/api/runs'),
  run: (id: string) => request<RunDetail>(`/api/runs/${seg(id)}`),
  results: (
    id: string,
    p: { offset: number; limit: number; status?: string; q?: string },
    signal?: AbortSignal,
  ) => request<ResultsPage>(`/api/runs/${seg(id)}/results?${q(p)}`, { signal }),
  compare: (a: string, b: string) =>
    request<{ comparison: ComparisonJson; cases: CompareCase[] }>(`/api/compare?${q({ a, b })}`),
  prompts: () => request<{ prompts: PromptRow[] }>('/api/prompts'),
  promptDiff: (name: string, from: string, to: string) =>
    request<{ sections: PromptDiffSection[] }>(`/api/prompts/${seg(name)}/diff?${q({ from, to })}`),
  moveLabel: (prompt: string, label: string, version: string) =>
    request<{ labels: Record<string, string> }>('/api/labels', {
      method: 'POST',
      body: { prompt, label, version },
    }),
  annotateItems: (runId: string) =>
    request<{ suite: string; items: AnnotateItem[] }>(`/api/annotate/${seg(runId)}/items`),
  annotate: (body: {
    runId: string;
    key: string;
    annotator: string;
    verdict?: 'pass' | 'fail';
    score?: number;
    note?: string;
  }) => request<{ ok: true; file: string }>('/api/annotations', { method: 'POST', body }),
  judges: () => request<{ judges: JudgeRow[] }>('/api/judges'),
};

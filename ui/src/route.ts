import { useEffect, useState } from 'preact/hooks';

export type Route =
  | { view: 'runs' }
  | { view: 'run'; id: string }
  | { view: 'compare'; a: string; b: string }
  | { view: 'prompts'; name?: string }
  | { view: 'annotate'; runId: string }
  | { view: 'judges' }
  | { view: 'not-found'; path: string };

/** Parses the hash route (`#/runs/ID`, `#/compare/A/B`, …). */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const [head, x, y] = parts;
  if (parts.length === 0) return { view: 'runs' };
  if (head === 'runs' && x !== undefined && parts.length === 2) return { view: 'run', id: x };
  if (head === 'runs' && parts.length === 1) return { view: 'runs' };
  if (head === 'compare' && x !== undefined && y !== undefined && parts.length === 3)
    return { view: 'compare', a: x, b: y };
  if (head === 'prompts' && parts.length <= 2)
    return x === undefined ? { view: 'prompts' } : { view: 'prompts', name: x };
  if (head === 'annotate' && x !== undefined && parts.length === 2) return { view: 'annotate', runId: x };
  if (head === 'judges' && parts.length === 1) return { view: 'judges' };
  return { view: 'not-found', path };
}

export const href = {
  runs: () => '#/',
  run: (id: string) => `#/runs/${encodeURIComponent(id)}`,
  compare: (a: string, b: string) => `#/compare/${encodeURIComponent(a)}/${encodeURIComponent(b)}`,
  prompts: () => '#/prompts',
  annotate: (runId: string) => `#/annotate/${encodeURIComponent(runId)}`,
  judges: () => '#/judges',
};

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const on = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}

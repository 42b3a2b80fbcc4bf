import type { Loaded } from './use-api.ts';

/** Loading and error states shared by the views; `children` renders the data. */
export function LoadState<T>({
  value,
  children,
}: {
  value: Loaded<T>;
  children: (data: T) => preact.ComponentChildren;
}) {
  if (value.state === 'loading') return <p class="muted">Loading…</p>;
  if (value.state === 'error')
    return (
      <p class="error" role="alert">
        {value.error}
      </p>
    );
  return <>{children(value.data)}</>;
}

export function StatusBadge({ status }: { status: string }) {
  return <span class={`badge status-${status.replace(/[^a-z-]/g, '')}`}>{status}</span>;
}

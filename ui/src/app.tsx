import { AnnotateView } from './annotate-view.tsx';
import { CompareView } from './compare-view.tsx';
import { JudgesView } from './judges-view.tsx';
import { PromptsView } from './prompts-view.tsx';
import { href, type Route, useRoute } from './route.ts';
import { RunView } from './run-view.tsx';
import { RunsView } from './runs-view.tsx';

function Nav({ route }: { route: Route }) {
  const current = route.view === 'run' || route.view === 'compare' ? 'runs' : route.view;
  const item = (view: string, to: string, label: string) => (
    <a
      href={to}
      class={current === view ? 'active' : undefined}
      aria-current={current === view ? 'page' : undefined}
    >
      {label}
    </a>
  );
  return (
    <header class="top">
      <a class="brand" href={href.runs()}>
        Assay
      </a>
      <nav>
        {item('runs', href.runs(), 'Runs')}
        {item('prompts', href.prompts(), 'Prompts')}
        {item('judges', href.judges(), 'Judges')}
      </nav>
    </header>
  );
}

export function App() {
  const route = useRoute();
  return (
    <>
      <Nav route={route} />
      <main>
        {route.view === 'runs' && <RunsView />}
        {route.view === 'run' && <RunView key={route.id} id={route.id} />}
        {route.view === 'compare' && <CompareView key={`${route.a}/${route.b}`} a={route.a} b={route.b} />}
        {route.view === 'prompts' && <PromptsView />}
        {route.view === 'annotate' && <AnnotateView key={route.runId} runId={route.runId} />}
        {route.view === 'judges' && <JudgesView />}
        {route.view === 'not-found' && (
          <p class="error">
            No page at {route.path}. <a href={href.runs()}>Back to the runs</a>
          </p>
        )}
      </main>
    </>
  );
}

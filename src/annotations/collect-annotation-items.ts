import type { ChatMessage, ResultRecord } from '../core/types.ts';
import type { AnnotationItem } from './annotation-item.ts';
import { annotationKey } from './annotation-key.ts';

/**
 * The outputs of a run to judge, in the run's result order: one item per distinct key (repeats and
 * models that produced the same output for the same case and prompt version are judged once). Results
 * without an output (errors) are left out. `inputFor` gives the rendered messages of a case, if known.
 */
export async function collectAnnotationItems(
  results: AsyncIterable<ResultRecord> | Iterable<ResultRecord>,
  inputFor: (r: ResultRecord) => ChatMessage[] | undefined = () => undefined,
): Promise<AnnotationItem[]> {
  const seen = new Set<string>();
  const items: AnnotationItem[] = [];
  for await (const r of results) {
    if (r.output === undefined) continue;
    const key = annotationKey(r.output, r.caseId, r.promptVersion);
    if (seen.has(key)) continue;
    seen.add(key);
    const input = inputFor(r)
      ?.filter((m) => m.role === 'user')
      .at(-1)?.content;
    items.push({
      key,
      runId: r.runId,
      caseId: r.caseId,
      prompt: r.prompt,
      promptVersion: r.promptVersion,
      modelId: r.modelId,
      ...(input !== undefined ? { input } : {}),
      output: r.output,
      checks: r.checks.map((c) => ({ name: c.name ?? c.type, pass: c.pass, reason: c.reason })),
    });
  }
  return items;
}

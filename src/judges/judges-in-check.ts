import type { JudgeSpec } from './judge-file.ts';

/** Where a check refers to a judge: the value at `field` (relative to the check), e.g. `checks[1].judge`. */
export interface JudgeRef {
  value: unknown;
  field: string;
}

/** Check types whose `checks` list holds nested checks. */
const COMBINATORS = new Set(['all', 'any', 'weighted']);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Every judge reference in a check, at any depth: a `judge` check's `judge`, each of a `jury`'s `judges`,
 * and those inside `all` / `any` / `weighted`. Values are returned as written (paths before loading,
 * JudgeSpecs after).
 */
export function judgeRefs(spec: unknown, prefix = ''): JudgeRef[] {
  if (!isObject(spec)) return [];
  const at = (key: string) => (prefix ? `${prefix}.${key}` : key);
  if (spec.type === 'judge' && spec.judge !== undefined) return [{ value: spec.judge, field: at('judge') }];
  if (spec.type === 'jury' && Array.isArray(spec.judges))
    return spec.judges.map((value, i) => ({ value, field: at(`judges[${i}]`) }));
  if (typeof spec.type === 'string' && COMBINATORS.has(spec.type) && Array.isArray(spec.checks))
    return spec.checks.flatMap((child, i) => judgeRefs(child, at(`checks[${i}]`)));
  return [];
}

/**
 * The check with every judge path replaced by `load(path, field)`; the same object when it names no
 * judge path, so shared specs stay shared.
 */
export async function replaceJudgeRefs(
  spec: Record<string, unknown>,
  load: (path: string, field: string) => Promise<JudgeSpec>,
  prefix = '',
): Promise<Record<string, unknown>> {
  const at = (key: string) => (prefix ? `${prefix}.${key}` : key);
  if (spec.type === 'judge' && typeof spec.judge === 'string')
    return { ...spec, judge: await load(spec.judge, at('judge')) };
  if (spec.type === 'jury' && Array.isArray(spec.judges) && spec.judges.some((j) => typeof j === 'string'))
    return {
      ...spec,
      judges: await Promise.all(
        spec.judges.map((j, i) => (typeof j === 'string' ? load(j, at(`judges[${i}]`)) : j)),
      ),
    };
  if (typeof spec.type === 'string' && COMBINATORS.has(spec.type) && Array.isArray(spec.checks)) {
    const children = await Promise.all(
      spec.checks.map((c, i) => (isObject(c) ? replaceJudgeRefs(c, load, at(`checks[${i}]`)) : c)),
    );
    return children.every((c, i) => c === (spec.checks as unknown[])[i])
      ? spec
      : { ...spec, checks: children };
  }
  return spec;
}

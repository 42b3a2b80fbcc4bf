import type { CaseSpec, CheckContext, CheckOutput } from '../types.ts';
import type { CheckDefinition, CheckRun, CompileChild, Verdict } from './check-definition.ts';
import type { SpecReader } from './spec-reader.ts';

interface Child {
  label: string;
  weight: number;
  run: CheckRun;
}

const CHECKS_EXPECTED = 'a non-empty list of checks';

function compileChildren(spec: SpecReader, compileChild: CompileChild): Child[] {
  return spec.list('checks', CHECKS_EXPECTED).map((child, i) => {
    const run = compileChild(child, `checks[${i}]`);
    // compileChild validated the child, so these are well-typed here.
    const c = child as Record<string, unknown>;
    return {
      label: typeof c.name === 'string' ? c.name : String(c.type),
      weight: typeof c.weight === 'number' ? c.weight : 1,
      run,
    };
  });
}

async function runChildren(children: Child[], output: CheckOutput, testCase: CaseSpec, ctx: CheckContext) {
  // Run all children (no short-circuit) so the details explain every part of the verdict.
  return Promise.all(children.map(async (c) => ({ child: c, verdict: await c.run(output, testCase, ctx) })));
}

const summary = (label: string, v: Verdict) => `${label}: ${v.reason}`;
const childDetails = (results: { child: Child; verdict: Verdict }[]) =>
  results.map(({ child, verdict }) => ({
    check: child.label,
    pass: verdict.pass,
    score: verdict.score,
    reason: verdict.reason,
  }));

const all: CheckDefinition = {
  type: 'all',
  keys: ['checks'],
  compile(spec, compileChild) {
    const children = compileChildren(spec, compileChild);
    return async (output, testCase, ctx) => {
      const results = await runChildren(children, output, testCase, ctx);
      const failed = results.filter((r) => !r.verdict.pass);
      const details = { children: childDetails(results) };
      if (failed.length === 0) return { pass: true, reason: `all ${results.length} passed`, details };
      const first = failed[0] as { child: Child; verdict: Verdict };
      return {
        pass: false,
        reason: `${failed.length} of ${results.length} failed; ${summary(first.child.label, first.verdict)}`,
        details,
      };
    };
  },
};

const any: CheckDefinition = {
  type: 'any',
  keys: ['checks'],
  compile(spec, compileChild) {
    const children = compileChildren(spec, compileChild);
    return async (output, testCase, ctx) => {
      const results = await runChildren(children, output, testCase, ctx);
      const passed = results.find((r) => r.verdict.pass);
      const details = { children: childDetails(results) };
      if (passed)
        return { pass: true, reason: `passed ${summary(passed.child.label, passed.verdict)}`, details };
      const first = results[0] as { child: Child; verdict: Verdict };
      return {
        pass: false,
        reason: `none of ${results.length} passed; ${summary(first.child.label, first.verdict)}`,
        details,
      };
    };
  },
};

const weighted: CheckDefinition = {
  type: 'weighted',
  keys: ['checks', 'threshold'],
  compile(spec, compileChild) {
    const children = compileChildren(spec, compileChild);
    const threshold = spec.number('threshold', { min: 0, max: 1 });
    const total = children.reduce((sum, c) => sum + c.weight, 0);
    if (total <= 0) spec.fail('checks', 'all weights are 0', 'at least one check with weight > 0');
    return async (output, testCase, ctx) => {
      const results = await runChildren(children, output, testCase, ctx);
      // A child without a score counts as 1 when it passed, 0 when it failed.
      const score =
        results.reduce(
          (sum, { child, verdict }) => sum + child.weight * (verdict.score ?? (verdict.pass ? 1 : 0)),
          0,
        ) / total;
      const pass = score >= threshold;
      return {
        pass,
        score,
        reason: `weighted score ${score.toFixed(3)} ${pass ? '≥' : '<'} ${threshold}`,
        details: { children: childDetails(results) },
      };
    };
  },
};

/** `all`, `any` and `weighted`: checks made of checks. */
export const combinatorChecks: CheckDefinition[] = [all, any, weighted];

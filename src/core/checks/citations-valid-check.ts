import type { CaseSpec, ContextDocument } from '../types.ts';
import type { CheckDefinition } from './check-definition.ts';
import { findCitations, resolveCitations, showIds } from './find-citations.ts';

/** The case's context documents; a RAG check without them cannot say anything, so it is an error. */
export function requireContext(type: string, testCase: CaseSpec): ContextDocument[] {
  const context = testCase.context;
  if (!context || context.length === 0)
    throw new Error(`${type}: case '${testCase.id}' has no context documents (add context: [{ id, text }])`);
  return context;
}

/**
 * `citations-valid`: every citation marker names a context document (by id or 1-based [n]), so the answer
 * cites nothing it was not given. `require: true` also demands at least one citation.
 */
export const citationsValidCheck: CheckDefinition = {
  type: 'citations-valid',
  keys: ['require'],
  compile(spec) {
    const required = spec.boolean('require', false);
    return (output, testCase) => {
      const context = requireContext('citations-valid', testCase);
      const { cited, unknown } = resolveCitations(findCitations(output.text), context);
      const details = { cited, unknown, documents: context.map((doc) => doc.id) };
      if (unknown.length > 0)
        return {
          pass: false,
          reason: `cites ${showIds(unknown)}, not among the ${context.length} given document${context.length === 1 ? '' : 's'}`,
          details,
        };
      if (cited.length === 0)
        return required
          ? { pass: false, reason: 'no citation (require: true)', details }
          : { pass: true, reason: 'no citations', details };
      return { pass: true, reason: `every citation resolves: ${showIds(cited)}`, details };
    };
  },
};

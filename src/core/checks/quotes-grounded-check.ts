import type { CheckDefinition } from './check-definition.ts';
import { requireContext } from './citations-valid-check.ts';
import { resolveCitation, showIds } from './find-citations.ts';
import { findQuotes, normaliseForQuote, occursInOrder, quoteFragments } from './find-quotes.ts';
import { quoteText } from './quote-text.ts';

interface QuoteVerdict {
  quote: string;
  cited: string[];
  grounded: boolean;
  /** Documents that contain the quote (all of them, cited or not). */
  foundIn: string[];
  why?: string;
}

/**
 * `quotes-grounded`: every quoted span of at least `minLength` characters occurs in a context document —
 * in one of the cited documents when a citation is attached to the quote, else in any — after
 * whitespace and quotation-mark normalisation. An omission marked with an ellipsis is allowed.
 */
export const quotesGroundedCheck: CheckDefinition = {
  type: 'quotes-grounded',
  keys: ['minLength', 'ignoreCase'],
  compile(spec) {
    const minLength = spec.optionalNumber('minLength', { min: 1, integer: true }) ?? 20;
    const ignoreCase = spec.boolean('ignoreCase', false);
    return (output, testCase) => {
      const context = requireContext('quotes-grounded', testCase);
      const docs = context.map((doc) => ({ id: doc.id, text: normaliseForQuote(doc.text, ignoreCase) }));
      const verdicts: QuoteVerdict[] = [];
      let skipped = 0;
      for (const span of findQuotes(output.text)) {
        const normalised = normaliseForQuote(span.text, ignoreCase);
        const fragments = quoteFragments(normalised);
        if ([...fragments.join(' ')].length < minLength) {
          skipped++; // short quotes are usually scare quotes or terms, not evidence
          continue;
        }
        const foundIn = docs.filter((doc) => occursInOrder(fragments, doc.text)).map((doc) => doc.id);
        const verdict: QuoteVerdict = { quote: span.text, cited: span.cited, grounded: false, foundIn };
        if (span.cited.length === 0) {
          verdict.grounded = foundIn.length > 0;
          if (!verdict.grounded) verdict.why = 'in no context document';
        } else {
          const citedDocs = span.cited.map((id) => resolveCitation(id, context)?.id);
          const unknown = span.cited.filter((_, i) => citedDocs[i] === undefined);
          verdict.grounded = citedDocs.some((id) => id !== undefined && foundIn.includes(id));
          if (!verdict.grounded)
            verdict.why =
              unknown.length === span.cited.length
                ? `cited ${showIds(unknown)}, not a given document`
                : foundIn.length > 0
                  ? `not in the cited ${showIds(span.cited)}, but in ${showIds(foundIn)}`
                  : `not in the cited ${showIds(span.cited)} nor any other document`;
        }
        verdicts.push(verdict);
      }
      const ungrounded = verdicts.filter((v) => !v.grounded);
      const details = { quotes: verdicts, ungrounded: ungrounded.map((v) => v.quote), skipped };
      if (ungrounded.length > 0)
        return {
          pass: false,
          reason: `${ungrounded.length} of ${verdicts.length} quote${verdicts.length === 1 ? '' : 's'} not grounded: ${ungrounded.map((v) => `${quoteText(v.quote, 60)} (${v.why})`).join('; ')}`,
          details,
        };
      if (verdicts.length === 0)
        return { pass: true, reason: `no quotes of ≥ ${minLength} characters`, details };
      return {
        pass: true,
        reason: `${verdicts.length} quote${verdicts.length === 1 ? '' : 's'} found in the context`,
        details,
      };
    };
  },
};

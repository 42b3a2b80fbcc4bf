import type { CheckDefinition } from './check-definition.ts';
import { requireContext } from './citations-valid-check.ts';
import { findCitations, resolveCitation, resolveCitations, showIds } from './find-citations.ts';

const show = (x: number) => String(Math.round(x * 100) / 100);

/**
 * `cites-gold`: every gold evidence document (`ids`) is cited. Score = F1 of citation precision (gold
 * documents cited / documents cited, an unknown citation counting as a wrong one) and recall (gold
 * documents cited / gold documents). `minPrecision` also fails answers that pad with irrelevant citations.
 */
export const citesGoldCheck: CheckDefinition = {
  type: 'cites-gold',
  keys: ['ids', 'minPrecision'],
  compile(spec) {
    const gold = [...new Set(spec.strings('ids'))];
    const minPrecision = spec.optionalNumber('minPrecision', { min: 0, max: 1 }) ?? 0;
    return (output, testCase) => {
      const context = requireContext('cites-gold', testCase);
      // A gold id that names no document is a mistake in the case, not in the answer.
      const goldIds = gold.map((id) => {
        const doc = resolveCitation(id, context);
        if (!doc)
          throw new Error(
            `cites-gold: gold id '${id}' is not a context document of case '${testCase.id}' (documents: ${context.map((d) => d.id).join(', ')})`,
          );
        return doc.id;
      });
      const { cited, unknown } = resolveCitations(findCitations(output.text), context);
      const hits = cited.filter((id) => goldIds.includes(id));
      const missing = goldIds.filter((id) => !cited.includes(id));
      const extra = cited.filter((id) => !goldIds.includes(id));
      const citedCount = cited.length + unknown.length;
      const precision = citedCount === 0 ? 0 : hits.length / citedCount;
      const recall = hits.length / goldIds.length;
      const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
      const details = {
        gold: goldIds,
        cited,
        unknown,
        missing,
        extra,
        precision,
        recall,
        f1,
      };
      const stats = `precision ${show(precision)}, recall ${show(recall)}`;
      const problems: string[] = [];
      if (missing.length > 0) problems.push(`does not cite gold ${showIds(missing)}`);
      if (precision < minPrecision)
        problems.push(`precision ${show(precision)} < minPrecision ${minPrecision}`);
      const wrong = [...extra, ...unknown];
      const also = wrong.length > 0 ? `; also cites ${showIds(wrong)}` : '';
      if (problems.length > 0)
        return { pass: false, score: f1, reason: `${problems.join('; ')} (${stats})${also}`, details };
      return {
        pass: true,
        score: f1,
        reason: `cites all gold ${showIds(goldIds)} (${stats})${also}`,
        details,
      };
    };
  },
};

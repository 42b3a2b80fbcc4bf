import { EditError, type PromptEdit, parseEdit } from './prompt-edit.ts';

/** A proposer's (or a person's) answer for one cluster. */
export interface Proposal {
  diagnosis: string;
  evidence: string[];
  hypothesis: string;
  edit: PromptEdit;
  predictedFixes: string[];
}

/** Reads the proposer's JSON answer (a fenced ```json block is accepted); EditError when malformed. */
export function parseProposal(text: string): Proposal {
  const fenced = /```(?:json)?\s*\n([\s\S]*?)```/.exec(text)?.[1];
  const start = (fenced ?? text).indexOf('{');
  const end = (fenced ?? text).lastIndexOf('}');
  if (start < 0 || end < start) throw new EditError('the proposer did not answer with a JSON object');
  let value: unknown;
  try {
    value = JSON.parse((fenced ?? text).slice(start, end + 1));
  } catch (e) {
    throw new EditError(`the proposer's JSON does not parse: ${(e as Error).message}`);
  }
  const v = value as Record<string, unknown>;
  const str = (k: string) => {
    if (typeof v[k] !== 'string' || (v[k] as string).trim() === '')
      throw new EditError(`the proposal needs "${k}" (a string)`);
    return (v[k] as string).trim();
  };
  const list = (k: string) => {
    const x = v[k] ?? [];
    if (!Array.isArray(x) || x.some((s) => typeof s !== 'string'))
      throw new EditError(`"${k}" must be a list of strings`);
    return x as string[];
  };
  return {
    diagnosis: str('diagnosis'),
    evidence: list('evidence'),
    hypothesis: str('hypothesis'),
    edit: parseEdit(v.edit),
    predictedFixes: list('predictedFixes'),
  };
}

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

/**
 * The evidence quotes that do not occur literally (whitespace aside) in any of `sources` (the cluster's
 * failing outputs and the prompt). A diagnosis must quote at least one, and every quote must be real.
 */
export function unverifiedQuotes(evidence: readonly string[], sources: readonly string[]): string[] {
  const hay = sources.map(squash);
  return evidence.filter((q) => squash(q) === '' || !hay.some((h) => h.includes(squash(q))));
}

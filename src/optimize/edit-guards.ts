import { parsePrompt } from '../core/prompt/parse-prompt.ts';

/** Suite text a prompt must not copy: a case's inputs and its expected values, by case id. */
export interface SuiteText {
  caseId: string;
  split: 'dev' | 'test';
  inputs: string[];
  expected: string[];
}

export interface GuardOptions {
  /** The incumbent's file text and the candidate's. */
  before: string;
  after: string;
  /** The prompt as the optimization started (for the total growth cap). */
  initial: string;
  /** Project-relative prompt file (parse errors name it). */
  file: string;
  suite: readonly SuiteText[];
  /** Normalised texts of candidates already measured or refused (no candidate is tried twice). */
  seen: ReadonlySet<string>;
  /** Words in a copied run that count as copying (default 6). */
  ngram?: number;
  /** Growth caps in characters: per step max(stepChars, stepShare × incumbent), in total likewise. */
  stepChars?: number;
  stepShare?: number;
  totalChars?: number;
  totalShare?: number;
}

export type GuardName = 'unchanged' | 'duplicate' | 'parse' | 'variables' | 'growth' | 'copies-suite';

export interface GuardViolation {
  guard: GuardName;
  /** For the log and the person at the terminal (may name the case). */
  message: string;
  /** For the proposer's history: never names a case or quotes suite text. */
  public: string;
}

/**
 * The static checks a candidate passes before any model call: it changes something new, still parses,
 * keeps every template expression, grows within the caps, and copies no suite input or expected value.
 */
export function checkEdit(o: GuardOptions): GuardViolation[] {
  const out: GuardViolation[] = [];
  const norm = normalizePromptText(o.after);
  if (norm === normalizePromptText(o.before))
    return [{ guard: 'unchanged', message: 'the edit changes nothing', public: 'the edit changed nothing' }];
  if (o.seen.has(norm))
    return [
      {
        guard: 'duplicate',
        message: 'this exact prompt was already tried',
        public: 'duplicate of a prompt already tried',
      },
    ];
  try {
    parsePrompt(o.after, o.file);
  } catch (e) {
    const m = (e as Error).message;
    out.push({
      guard: 'parse',
      message: `the edited prompt does not parse: ${m}`,
      public: `does not parse: ${m}`,
    });
  }
  const a = templateExpressions(o.before);
  const b = templateExpressions(o.after);
  if (a.join('\n') !== b.join('\n')) {
    const lost = a.filter((x) => !b.includes(x));
    const added = b.filter((x) => !a.includes(x));
    const m = `template expressions changed${lost.length ? `; lost ${lost.join(' ')}` : ''}${added.length ? `; added ${added.join(' ')}` : ''}`;
    out.push({ guard: 'variables', message: m, public: m });
  }
  const step = Math.max(o.stepChars ?? 400, (o.stepShare ?? 0.5) * o.before.length);
  const total = Math.max(o.totalChars ?? 1500, (o.totalShare ?? 1) * o.initial.length);
  if (o.after.length - o.before.length > step) {
    const m = `the edit adds ${o.after.length - o.before.length} characters; at most ${Math.round(step)} per step`;
    out.push({ guard: 'growth', message: m, public: m });
  } else if (o.after.length - o.initial.length > total) {
    const m = `the prompt would be ${o.after.length - o.initial.length} characters longer than at the start; at most ${Math.round(total)}`;
    out.push({ guard: 'growth', message: m, public: m });
  }
  const copied = copiedSuiteText(o.before, o.after, o.suite, o.ngram ?? 6);
  if (copied)
    out.push({
      guard: 'copies-suite',
      message: `the edit copies ${copied.what} of case ${copied.caseId} (${copied.split} split): “${copied.words}”`,
      public:
        'refused: the edit copied text of a test case into the prompt (write general rules, not case text)',
    });
  return out;
}

/** Whitespace-insensitive form of a prompt, for duplicate detection. */
export function normalizePromptText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{2,}/g, '\n')
    .trim();
}

/** Every `{{ … }}` and `{% … %}` of the text, spacing normalised, sorted. */
export function templateExpressions(text: string): string[] {
  return [...text.matchAll(/\{\{-?[\s\S]*?-?\}\}|\{%-?[\s\S]*?-?%\}/g)]
    .map((m) => m[0].replace(/\s+/g, ' '))
    .sort();
}

export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** The lines of `after` that are not in `before` (as a multiset), joined. */
export function addedText(before: string, after: string): string {
  const left = new Map<string, number>();
  for (const l of before.split('\n')) left.set(l.trim(), (left.get(l.trim()) ?? 0) + 1);
  const added: string[] = [];
  for (const l of after.split('\n')) {
    const n = left.get(l.trim()) ?? 0;
    if (n > 0) left.set(l.trim(), n - 1);
    else added.push(l);
  }
  return added.join('\n');
}

/**
 * The first run of `n` words (or a whole expected value of 3 or more words) that the edit adds and a
 * suite case contains. Text the prompt already had before the edit does not count.
 */
export function copiedSuiteText(
  before: string,
  after: string,
  suite: readonly SuiteText[],
  n: number,
): { caseId: string; split: string; what: string; words: string } | undefined {
  const added = words(addedText(before, after));
  if (added.length === 0) return undefined;
  const grams = new Set<string>();
  for (let i = 0; i + n <= added.length; i++) grams.add(added.slice(i, i + n).join(' '));
  const addedJoined = ` ${added.join(' ')} `;
  const beforeJoined = ` ${words(before).join(' ')} `;
  for (const c of suite) {
    for (const [what, texts] of [
      ['the input', c.inputs],
      ['the expected value', c.expected],
    ] as const)
      for (const t of texts) {
        const w = words(t);
        for (let i = 0; i + n <= w.length; i++) {
          const g = w.slice(i, i + n).join(' ');
          if (grams.has(g)) return { caseId: c.caseId, split: c.split, what, words: g };
        }
        if (what === 'the expected value' && w.length >= 3 && w.length < n) {
          const phrase = ` ${w.join(' ')} `;
          if (addedJoined.includes(phrase) && !beforeJoined.includes(phrase))
            return { caseId: c.caseId, split: c.split, what, words: w.join(' ') };
        }
      }
  }
  return undefined;
}

/**
 * Phrases that mark a refusal, in normalised form (see `normaliseForRefusal`). Matched on word
 * boundaries, case-insensitively. Documented in docs/checks.md; keep the two in sync.
 */
export const REFUSAL_PHRASES: readonly string[] = [
  "i can't help with",
  "i can't help you with",
  "i can't assist",
  "i can't provide",
  "i can't comply",
  "i can't fulfil",
  "i can't fulfill",
  "i can't do that",
  "i'm sorry but i can't",
  "i'm sorry but i won't",
  "i'm sorry i can't",
  "i'm unable to help",
  "i'm unable to assist",
  "i'm unable to provide",
  "i'm unable to comply",
  "i'm not able to help",
  "i'm not able to assist",
  "i'm not able to provide",
  "i won't be able to",
  "i won't help",
  "i won't assist",
  "i won't provide",
  'i must decline',
  'i must refuse',
  'as an ai',
  'against my guidelines',
];

/** Lowercase; curly quotes → '; "cannot"/"can not" → "can't"; "i am" → "i'm"; "will not" → "won't"; no commas. */
export function normaliseForRefusal(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`]/g, "'")
    .replace(/[,;]/g, '')
    .replace(/\s+/g, ' ')
    .replace(/\bcan ?not\b/g, "can't")
    .replace(/\bi am\b/g, "i'm")
    .replace(/\bwill not\b/g, "won't");
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const PATTERN = new RegExp(
  `(?<![\\p{L}\\p{N}'])(?:${REFUSAL_PHRASES.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}])`,
  'u',
);

/** The first refusal phrase found in the text (normalised form), or undefined. */
export function findRefusal(text: string): string | undefined {
  return PATTERN.exec(normaliseForRefusal(text))?.[0];
}

import { normaliseForRefusal } from './find-refusal.ts';

/**
 * Built-in abstention patterns ("the information is not there"), on text normalised by
 * `normaliseForAbstention`. Documented in docs/checks.md (abstains); keep the two in sync.
 */
export const ABSTENTION_PATTERNS: readonly string[] = [
  "i don't know",
  "i (?:don't|didn't) (?:have|find|see) (?:enough |sufficient |any |the |that |this )?(?:information|details|data|answer)",
  "i (?:can't|couldn't) (?:find|locate|determine|answer|tell from)",
  "i(?:'m| was) (?:unable|not able) to (?:find|locate|determine|answer)",
  "(?:not|no|isn't|aren't|don't|doesn't|didn't) (?:have )?(?:enough|sufficient) (?:information|context|details)",
  'insufficient (?:information|context|details)',
  "(?:context|documents?|sources?|passages?|excerpts?|texts?) (?:provided |given )?(?:doesn't|don't|didn't) (?:contain|mention|say|include|provide|cover|specify|state|answer|address|discuss)",
  "(?:isn't|aren't|not) (?:mentioned|stated|specified|covered|provided|included|addressed|available|found) in (?:the|these|any)",
  'no (?:mention|information|details|data) (?:of|about|on|regarding|in)',
  "there(?:'s| is) no (?:mention|information|data)",
  "(?:can't|couldn't) be (?:determined|answered|found) (?:from|based on|with|in)",
];

/** `normaliseForRefusal` plus the contractions abstentions use: "do not" → "don't", "is not" → "isn't", … */
export function normaliseForAbstention(text: string): string {
  return normaliseForRefusal(text)
    .replace(/\bdo not\b/g, "don't")
    .replace(/\bdoes not\b/g, "doesn't")
    .replace(/\bdid not\b/g, "didn't")
    .replace(/\bcould not\b/g, "couldn't")
    .replace(/\bis not\b/g, "isn't")
    .replace(/\bare not\b/g, "aren't")
    .replace(/\bthere is\b/g, "there's");
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A matcher for the built-in patterns plus `phrases` (literal, normalised the same way). */
export function abstentionMatcher(phrases: readonly string[] = []): (text: string) => string | undefined {
  const sources = [...ABSTENTION_PATTERNS, ...phrases.map((p) => escapeRegExp(normaliseForAbstention(p)))];
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}'])(?:${sources.join('|')})(?![\\p{L}\\p{N}])`, 'u');
  return (text) => pattern.exec(normaliseForAbstention(text))?.[0];
}

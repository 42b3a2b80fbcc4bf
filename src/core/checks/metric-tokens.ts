/**
 * Tokens for the text-overlap metrics (rouge-l, bleu): lowercase, then maximal runs of Unicode letters
 * and digits. Everything else (spaces, punctuation, symbols, underscores) only separates tokens, so
 * "Refund, please!" and "refund please" compare equal. For ASCII text this is the default tokenizer of
 * Google's rouge-score (without stemming).
 */
export function metricTokens(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * A cheap token estimate (≈4 characters per token) for `--dry-run` budgets and the fake model's usage.
 * Not a tokenizer: good to within tens of percent for English prose, worse for code and other scripts.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export type JsonParseResult = { ok: true; value: unknown } | { ok: false; error: string };

// The whole (trimmed) output is one fenced block, optionally tagged json.
const FENCED = /^```[ \t]*(?:json)?[ \t]*\r?\n([\s\S]*?)\r?\n?```$/i;

/** The output with a single surrounding ```json fence removed, so fenced JSON counts as JSON. */
export function stripJsonFence(text: string): string {
  const trimmed = text.trim();
  const match = FENCED.exec(trimmed);
  return match ? (match[1] as string) : trimmed;
}

/** Parses a model output as JSON, after stripping a single ```json fenced block. */
export function parseJsonOutput(text: string): JsonParseResult {
  try {
    return { ok: true, value: JSON.parse(stripJsonFence(text)) };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

import { ConfigError } from '../errors.ts';

export interface FrontMatterSplit {
  /** The YAML between the `---` lines, if the file has front matter. */
  yaml?: string;
  /** Lines before the YAML (1 when the file starts with `---`). */
  yamlLineOffset: number;
  body: string;
  /** 1-based line of the first body line. */
  bodyStartLine: number;
}

/** Splits `---\nyaml\n---\nbody`. Expects LF line endings. A file without a leading `---` is all body. */
export function splitFrontMatter(text: string, file: string): FrontMatterSplit {
  const lines = text.split('\n');
  if (lines[0]?.trimEnd() !== '---') return { yamlLineOffset: 0, body: text, bodyStartLine: 1 };
  const close = lines.findIndex((line, i) => i > 0 && line.trimEnd() === '---');
  if (close < 0)
    throw new ConfigError('front matter opened on line 1 is never closed', {
      file,
      line: 1,
      expected: "a line with only '---' after the front matter",
      hint: "add a '---' line between the front matter and the first message",
    });
  return {
    yaml: lines.slice(1, close).join('\n'),
    yamlLineOffset: 1,
    body: lines.slice(close + 1).join('\n'),
    bodyStartLine: close + 2,
  };
}

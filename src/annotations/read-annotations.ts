import { existsSync, readFileSync } from 'node:fs';
import { ConfigError } from '../core/errors.ts';
import type { Annotation } from './annotation.ts';
import { parseAnnotation } from './parse-annotation.ts';

/**
 * Every line of an annotations file, in file order (a missing file holds none). Blank lines are allowed;
 * a line that is not JSON or not an annotation is a ConfigError naming the file and the line. `shown` is
 * the name used in messages (default: the path).
 */
export function readAnnotations(path: string, shown = path): Annotation[] {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'utf8');
  const out: Annotation[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]?.trim() ?? '';
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      throw new ConfigError(`not valid JSON (${(e as Error).message})`, {
        file: shown,
        line: i + 1,
        hint: 'each line of an annotations file is one JSON object',
      });
    }
    out.push(parseAnnotation(value, { file: shown, line: i + 1 }));
  }
  return out;
}

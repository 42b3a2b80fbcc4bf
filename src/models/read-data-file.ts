import { readFileSync } from 'node:fs';
import { parse, YAMLParseError } from 'yaml';
import { ConfigError } from '../core/errors.ts';

/**
 * Reads a YAML or JSON file (YAML is a superset of JSON) into plain data. A missing or unreadable file
 * or a syntax error is a ConfigError naming `displayPath`, with the line and column when known.
 */
export function readDataFile(absPath: string, displayPath: string): unknown {
  let text: string;
  try {
    text = readFileSync(absPath, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(
      code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? String(e)})`,
      {
        file: displayPath,
      },
    );
  }
  try {
    return parse(text);
  } catch (e) {
    if (e instanceof YAMLParseError) {
      const pos = e.linePos?.[0];
      const problem = e.message.split('\n')[0] ?? 'invalid YAML';
      throw new ConfigError(`invalid YAML/JSON: ${problem.replace(/ at line \d+, column \d+:?$/, '')}`, {
        file: displayPath,
        line: pos?.line,
        column: pos?.col,
      });
    }
    throw new ConfigError(`invalid YAML/JSON: ${String(e)}`, { file: displayPath });
  }
}

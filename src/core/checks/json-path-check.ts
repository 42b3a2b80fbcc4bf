import type { CheckDefinition } from './check-definition.ts';
import { deepEqual } from './deep-equal.ts';
import { lookupJsonPath, parseJsonPath } from './json-path.ts';
import { parseJsonOutput } from './parse-json-output.ts';
import { previewJson } from './quote-text.ts';

export const jsonPathCheck: CheckDefinition = {
  type: 'json-path',
  keys: ['path', 'equals'],
  compile(spec) {
    const expected = "a JSON path such as $.order.items[0].sku (supported: $, .key, ['key'], [n])";
    const path = spec.string('path', expected);
    const parsedPath = parseJsonPath(path);
    if (!parsedPath.ok) return spec.fail('path', `invalid JSON path: ${parsedPath.error}`, expected);
    const segments = parsedPath.segments;
    const hasEquals = Object.hasOwn(spec.spec, 'equals');
    const want = spec.get('equals');
    return (output) => {
      const parsed = parseJsonOutput(output.text);
      if (!parsed.ok) return { pass: false, reason: `not valid JSON: ${parsed.error}` };
      const found = lookupJsonPath(parsed.value, segments);
      if (!found.found) return { pass: false, reason: `${path} not found (nothing at ${found.missingAt})` };
      const shown = previewJson(found.value);
      if (!hasEquals) return { pass: true, reason: `${path} exists: ${shown}` };
      const pass = deepEqual(found.value, want);
      return pass
        ? { pass, reason: `${path} equals ${shown}` }
        : {
            pass,
            reason: `expected ${path} = ${previewJson(want)}, got ${shown}`,
            details: { actual: found.value },
          };
    };
  },
};

import type { FieldPath } from '../yaml-locate.ts';

/** `['cases', 3, 'checks', 0, 'value']` → `cases[3].checks[0].value`; odd keys are quoted. */
export function formatFieldPath(path: FieldPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

import { Liquid } from 'liquidjs';

let shared: Liquid | undefined;

/**
 * The Liquid engine prompts are rendered with: strict variables and filters, JavaScript truthiness (an
 * empty string is false in `{% if %}`), no HTML escaping, and no file access — `include`, `render` and
 * `layout` are removed, and the template store is an empty in-memory map.
 */
export function promptLiquid(): Liquid {
  if (shared) return shared;
  const liquid = new Liquid({
    strictVariables: true,
    strictFilters: true,
    lenientIf: true,
    jsTruthy: true,
    ownPropertyOnly: true,
    templates: {},
    relativeReference: false,
  });
  for (const tag of ['include', 'render', 'layout']) delete liquid.tags[tag];
  shared = liquid;
  return liquid;
}

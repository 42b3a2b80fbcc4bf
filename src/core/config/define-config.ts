import type { AssayConfigInput } from './config-schema.ts';

/** What `assay.config.ts` exports: the same fields as `assay.yaml` (see docs/config.md), plus functions where allowed. */
export type AssayConfig = AssayConfigInput;

/**
 * Types an `assay.config.ts` default export; returns its argument unchanged.
 *
 * ```ts
 * import { defineConfig } from 'assay';
 * export default defineConfig({ prompts: ['prompts/*.prompt.md'], suites: ['suites/main.yaml'], models: ['fake:echo'] });
 * ```
 */
export function defineConfig(config: AssayConfig): AssayConfig {
  return config;
}

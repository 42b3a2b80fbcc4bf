import type { ModelConfig } from '../core/config/project.ts';
import type { SecretValue } from './record-replay.ts';

/** Environment variable names that hold credentials by convention. */
const credentialName = /KEY|TOKEN|SECRET|PASSWORD|CREDENTIAL/i;
const envRef = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
/** Shorter values would match ordinary text by chance. */
const MIN_LENGTH = 8;

/**
 * The secret values in reach of the configured models: each model's `apiKeyEnv`, every `${VAR}` its
 * headers reference, and every variable whose name says it is a key, token, secret or password. Used to
 * assert that a recording holds none of them.
 */
export function credentialValues(models: ModelConfig[], env: NodeJS.ProcessEnv): SecretValue[] {
  const names = new Set<string>();
  for (const m of models) {
    if (m.apiKeyEnv) names.add(m.apiKeyEnv);
    for (const value of Object.values(m.headers ?? {}))
      for (const ref of value.matchAll(envRef)) names.add(ref[1] as string);
  }
  for (const name of Object.keys(env)) if (credentialName.test(name)) names.add(name);
  const out: SecretValue[] = [];
  const seen = new Set<string>();
  for (const name of [...names].sort()) {
    const value = env[name];
    if (value === undefined || value.length < MIN_LENGTH || seen.has(value)) continue;
    seen.add(value);
    out.push({ name, value });
  }
  return out;
}

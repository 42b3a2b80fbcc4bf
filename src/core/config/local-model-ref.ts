/**
 * What a `local:` model id names (the part after `local:`):
 * - a GGUF file: `local:./models/x.gguf`, `local:/abs/x.gguf`, `local:~/models/x.gguf` (relative to the
 *   project root);
 * - a model URI resolved in the local model cache: `local:hf:owner/repo/file.gguf`;
 * - `local:default`: Assay's default local model.
 */
export type LocalModelRef =
  | { kind: 'file'; path: string }
  | { kind: 'uri'; uri: string }
  | { kind: 'default' };

/** The accepted forms, for error messages. */
export const LOCAL_MODEL_FORMS =
  'local:PATH.gguf (a file, relative to the project), local:hf:OWNER/REPO/FILE.gguf (pulled with `assay models pull`) or local:default';

/** Parses the name of a `local:` id; `undefined` when it is none of the accepted forms. */
export function parseLocalModelRef(name: string): LocalModelRef | undefined {
  if (name === 'default') return { kind: 'default' };
  if (name.startsWith('hf:'))
    return /^hf:[^/\s]+\/[^/\s]+/.test(name) ? { kind: 'uri', uri: name } : undefined;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(name)) return undefined;
  if (/\.gguf$/i.test(name) && name.trim() === name) return { kind: 'file', path: name };
  return undefined;
}

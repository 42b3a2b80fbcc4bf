/**
 * The model `assay eval` uses when the config names none and `assay models pull` has fetched it: a small
 * instruction-tuned GGUF under an open licence, from its publisher's own repository, pinned to one commit.
 *
 * The checksum and size were not computed on this (offline) machine. They were taken from the publisher's
 * Git LFS record as quoted, identically, by many independent public projects that pin this file (several
 * state they downloaded and hashed it themselves). `assay models pull` verifies every byte against it, so a
 * wrong value can only cause a refused download, never a silently accepted file; if a pull ever fails
 * with a checksum mismatch, re-check this value on a networked machine first
 * (`sha256sum` of the file, or the `x-linked-etag` Hugging Face sends for the resolve URL).
 */
export const DEFAULT_LOCAL_MODEL = {
  /** `hf:owner/repo/file@revision` (see model-cache.ts for the URI form). */
  uri: 'hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf@9217f5db79a29953eb74d5343926648285ec7e67',
  file: 'qwen2.5-0.5b-instruct-q4_k_m.gguf',
  sizeBytes: 491_400_032,
  sha256: '74a4da8c9fdbcd15bd1f6d01d621410d31c6fc00986f5eb687824e7b93d7a9db' as string | undefined,
  licence: 'Apache-2.0',
  description: 'Qwen2.5-0.5B-Instruct, Q4_K_M, from Qwen’s own GGUF repository',
} as const;

/** The model id the default local model runs under. */
export const DEFAULT_LOCAL_MODEL_ID = 'local:default';

/** `491 MB`: the default model's size for messages. */
export function defaultModelSizeText(): string {
  return `${Math.round(DEFAULT_LOCAL_MODEL.sizeBytes / 1e6)} MB`;
}

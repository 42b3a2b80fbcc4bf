import { sha256Hex } from '../core/sha256-hex.ts';

/**
 * The identity of a judged output: sha256 of the exact output text, the case id and the prompt version
 * (JSON-encoded together, so no two different triples collide). Repeats or runs that produced the same
 * output for the same case and prompt version share one key, so one judgment covers them all.
 */
export function annotationKey(output: string, caseId: string, promptVersion: string): string {
  return sha256Hex(JSON.stringify([promptVersion, caseId, output]));
}

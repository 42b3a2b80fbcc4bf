/**
 * One human judgment of one model output, as a line of an annotations file (JSONL, append-only).
 * Exactly one of `verdict` or `score` is set, or `retracted` (an undo: the annotator withdrew their
 * judgment of this output). The latest line per (key, annotator) wins.
 */
export interface Annotation {
  /** `annotationKey(output, caseId, promptVersion)`: sha256 of the exact output judged, case and prompt version. */
  key: string;
  /** The run the output came from (informational: the key identifies the output). */
  runId?: string;
  caseId: string;
  promptVersion?: string;
  annotator: string;
  verdict?: 'pass' | 'fail';
  score?: number;
  note?: string;
  retracted?: true;
  /** ISO 8601 time of the judgment. */
  at: string;
}

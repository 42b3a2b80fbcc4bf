/** One output to judge, as the terminal annotator shows it. */
export interface AnnotationItem {
  key: string;
  runId: string;
  caseId: string;
  prompt: string;
  promptVersion: string;
  modelId: string;
  /** The last user turn of the rendered messages, when the project still renders this case. */
  input?: string;
  output: string;
  /** What the run's checks said. */
  checks: { name: string; pass?: boolean; reason: string }[];
}

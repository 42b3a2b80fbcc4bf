/** One thing the import could not carry over as it was: dropped (`not-converted`) or changed in meaning (`changed`). */
export interface ImportNote {
  kind: 'not-converted' | 'changed';
  /** Where in the promptfoo input: `prompts[2]`, `tests[4].assert[1] (similar)`, `providers[1] (bedrock:…)`. */
  where: string;
  /** What it was, e.g. the assertion type or provider id. */
  what: string;
  /** Why, and what to do instead when there is something. */
  reason: string;
}

/** Collects notes in input order. */
export class NoteList {
  readonly items: ImportNote[] = [];
  dropped(where: string, what: string, reason: string): void {
    this.items.push({ kind: 'not-converted', where, what, reason });
  }
  changed(where: string, what: string, reason: string): void {
    this.items.push({ kind: 'changed', where, what, reason });
  }
}

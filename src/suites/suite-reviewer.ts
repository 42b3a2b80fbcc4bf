import { stringify } from 'yaml';

/** A case under review: its id and the case as written in the file. */
export interface ReviewItem {
  id: string;
  raw: Record<string, unknown>;
}

export type ReviewAction =
  | { kind: 'accept'; id: string }
  | { kind: 'reject'; id: string }
  | { kind: 'replace'; id: string; raw: Record<string, unknown> };

export interface ReviewSummary {
  accepted: number;
  rejected: number;
  edited: number;
  /** Cases left unreviewed (skipped, or not reached before quitting). */
  left: number;
  total: number;
  quit: boolean;
}

export interface SuiteReviewerOptions {
  items: readonly ReviewItem[];
  /** The suite file as shown to the user. */
  shownFile: string;
  /** Writes the decision to the suite file at once; throws (with a message for the user) when it cannot. */
  apply: (action: ReviewAction) => void;
  /**
   * Opens the case in an editor and returns what was saved (undefined: unchanged or abandoned). Throws
   * with a message for the user when the edited text is not a valid case.
   */
  edit: (item: ReviewItem) => Record<string, unknown> | undefined;
  /** Draws a screen (the text includes its own clear-screen sequence). */
  write: (text: string) => void;
  onEnd: (summary: ReviewSummary) => void;
}

const CLEAR = '\x1b[2J\x1b[H';
const MAX_LINES = 40;

/**
 * The keyboard-driven review of generated cases, fed raw key input (`feed`): a accept (`review:
 * accepted`) · e edit in $EDITOR (the edited case replaces the draft, shown again to accept) · r reject
 * (the case is removed from the suite) · s skip (stays unreviewed) · q or Ctrl-C quit. Every decision is
 * written to the suite file before the next case is shown.
 */
export class SuiteReviewer {
  private readonly queue: ReviewItem[];
  private pos = 0;
  private message = '';
  private ended = false;
  private readonly counts = { accepted: 0, rejected: 0, edited: 0 };
  private readonly o: SuiteReviewerOptions;

  constructor(o: SuiteReviewerOptions) {
    this.o = o;
    this.queue = o.items.map((i) => ({ ...i }));
  }

  start(): void {
    if (this.queue.length === 0) this.end(false);
    else this.render();
  }

  get isEnded(): boolean {
    return this.ended;
  }

  feed(chunk: string): void {
    if (this.ended) return;
    if (chunk.length > 1 && chunk.startsWith('\x1b')) return;
    for (const ch of chunk) {
      if (this.ended) return;
      this.key(ch);
    }
  }

  private key(ch: string): void {
    this.message = '';
    const item = this.queue[this.pos];
    if (!item) return;
    if (ch === 'q' || ch === '\x03' || ch === '\x04') this.end(true);
    else if (ch === 'a') {
      if (this.tryApply({ kind: 'accept', id: item.id })) {
        this.counts.accepted++;
        this.advance();
      }
    } else if (ch === 'r') {
      if (this.tryApply({ kind: 'reject', id: item.id })) {
        this.counts.rejected++;
        this.advance();
      }
    } else if (ch === 's') this.advance();
    else if (ch === 'e') this.editItem(item);
    else if (ch !== '\r' && ch !== '\n' && ch !== ' ') this.say(`unknown key ${JSON.stringify(ch)}`);
  }

  private editItem(item: ReviewItem): void {
    let raw: Record<string, unknown> | undefined;
    try {
      raw = this.o.edit(item);
    } catch (e) {
      this.say(`not saved: ${(e as Error).message}`);
      return;
    }
    if (raw === undefined) this.say('unchanged');
    else if (this.tryApply({ kind: 'replace', id: item.id, raw })) {
      this.counts.edited++;
      item.raw = raw;
      item.id = typeof raw.id === 'string' || typeof raw.id === 'number' ? String(raw.id) : item.id;
      this.say('edited and saved: a to accept it');
    }
  }

  private tryApply(action: ReviewAction): boolean {
    try {
      this.o.apply(action);
      return true;
    } catch (e) {
      this.say(`not saved: ${(e as Error).message}`);
      return false;
    }
  }

  private advance(): void {
    this.pos++;
    if (this.pos >= this.queue.length) this.end(false);
    else this.render();
  }

  private say(message: string): void {
    this.message = message;
    this.render();
  }

  private end(quit: boolean): void {
    this.ended = true;
    const decided = this.counts.accepted + this.counts.rejected;
    this.o.onEnd({ ...this.counts, left: this.queue.length - decided, total: this.queue.length, quit });
  }

  private render(): void {
    const item = this.queue[this.pos];
    if (!item) return;
    const lines: string[] = [];
    lines.push(
      `assay suite review · ${clean(this.o.shownFile)} · ${this.pos + 1}/${this.queue.length} · ${this.counts.accepted} accepted · ${this.counts.rejected} rejected`,
    );
    lines.push(`case ${clean(item.id)}`, '');
    const text = stringify(item.raw, { lineWidth: 0 }).replace(/\n$/, '');
    const body = text.split('\n').map(clean);
    lines.push(
      ...(body.length <= MAX_LINES
        ? body
        : [...body.slice(0, MAX_LINES), `… ${body.length - MAX_LINES} more lines`]),
    );
    lines.push('', 'a accept · e edit in $EDITOR · r reject (remove) · s skip · q quit');
    if (this.message) lines.push(clean(this.message));
    this.o.write(`${CLEAR}${lines.join('\r\n')}`);
  }
}

/** Control characters (ANSI escapes, bidi overrides) removed; tabs as spaces. */
function clean(s: string): string {
  return (
    s
      .replace(/\t/g, '  ')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
      .replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '')
  );
}

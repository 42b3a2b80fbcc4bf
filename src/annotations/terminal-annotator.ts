import type { Annotation } from './annotation.ts';
import type { AnnotationItem } from './annotation-item.ts';
import { appendAnnotations } from './append-annotations.ts';

export type AnnotationScale = 'pass-fail' | '1-5';

export interface TerminalAnnotatorOptions {
  /** Every output of the run; those this annotator already judged (`done`) are not asked again. */
  items: readonly AnnotationItem[];
  done: ReadonlySet<string>;
  annotator: string;
  scale: AnnotationScale;
  /** The annotations file every judgment is appended to, at once. */
  file: string;
  /** The file as shown to the user. */
  shownFile: string;
  /** Draws a screen (the caller adds nothing; the text includes its own clear-screen sequence). */
  write: (text: string) => void;
  /** Called once, when the session ends (all judged, or quit). */
  onEnd: (summary: AnnotatorSummary) => void;
  now?: () => string;
}

export interface AnnotatorSummary {
  /** Judgments written this session (undone ones not counted). */
  annotated: number;
  /** Outputs of the run judged by this annotator, including earlier sessions. */
  judged: number;
  total: number;
  quit: boolean;
}

const CLEAR = '\x1b[2J\x1b[H';
const MAX_LINES = 30;

/**
 * The keyboard-driven annotation session, fed raw key input (`feed`): p pass · f fail (pass-fail scale)
 * or 1–5 (score scale) · n note (a line of text, Enter to keep, Esc to drop) · s skip · u undo (the last
 * judgment is withdrawn with a `retracted` line, and its output shown again) · q or Ctrl-C quit. Each
 * judgment is appended to the annotations file before the next output is shown.
 */
export class TerminalAnnotator {
  private readonly queue: AnnotationItem[];
  private pos = 0;
  private readonly history: { pos: number; wrote: boolean }[] = [];
  private note: string | undefined;
  private noteBuffer: string | undefined;
  private message = '';
  private annotated = 0;
  private judged: number;
  private ended = false;
  private readonly now: () => string;

  private readonly o: TerminalAnnotatorOptions;

  constructor(o: TerminalAnnotatorOptions) {
    this.o = o;
    this.queue = o.items.filter((i) => !o.done.has(i.key));
    this.judged = o.items.length - this.queue.length;
    this.now = o.now ?? (() => new Date().toISOString());
  }

  /** Draws the first output, or ends at once when nothing is left to judge. */
  start(): void {
    if (this.queue.length === 0) this.end(false);
    else this.render();
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** Handles a chunk of raw terminal input (one key, several typed fast, or a paste). */
  feed(chunk: string): void {
    if (this.ended) return;
    // An escape sequence (arrow keys, function keys) is one key we do not use.
    if (chunk.length > 1 && chunk.startsWith('\x1b')) return;
    for (const ch of chunk) {
      if (this.ended) return;
      if (this.noteBuffer !== undefined) this.noteKey(ch);
      else this.key(ch);
    }
  }

  private key(ch: string): void {
    this.message = '';
    const item = this.queue[this.pos];
    if (!item) return;
    if (ch === 'q' || ch === '\x03' || ch === '\x04') {
      this.end(true);
      return;
    }
    if (ch === 'p' || ch === 'f') {
      if (this.o.scale !== 'pass-fail') {
        this.say('this session scores 1–5: press 1, 2, 3, 4 or 5');
        return;
      }
      this.judge(item, { verdict: ch === 'p' ? 'pass' : 'fail' });
      return;
    }
    if (ch >= '1' && ch <= '5') {
      if (this.o.scale !== '1-5') {
        this.say('this session judges pass or fail: press p or f');
        return;
      }
      this.judge(item, { score: Number(ch) });
      return;
    }
    if (ch === 'n') {
      this.noteBuffer = this.note ?? '';
      this.render();
      return;
    }
    if (ch === 's') {
      this.history.push({ pos: this.pos, wrote: false });
      this.advance();
      return;
    }
    if (ch === 'u') {
      this.undo();
      return;
    }
    if (ch === '\r' || ch === '\n' || ch === ' ') return;
    this.say(`unknown key ${JSON.stringify(ch)}`);
  }

  private noteKey(ch: string): void {
    const buffer = this.noteBuffer ?? '';
    if (ch === '\r' || ch === '\n') {
      this.note = buffer.trim() === '' ? undefined : buffer.trim();
      this.noteBuffer = undefined;
    } else if (ch === '\x1b' || ch === '\x03') {
      this.noteBuffer = undefined;
    } else if (ch === '\x7f' || ch === '\b') {
      this.noteBuffer = [...buffer].slice(0, -1).join('');
    } else if (ch === '\x15') {
      this.noteBuffer = '';
    } else if (ch >= ' ' && !(ch >= '\x7f' && ch <= '\x9f')) {
      this.noteBuffer = buffer + ch;
    } else return;
    this.render();
  }

  private judge(item: AnnotationItem, judgment: Pick<Annotation, 'verdict' | 'score'>): void {
    appendAnnotations(this.o.file, [
      {
        key: item.key,
        runId: item.runId,
        caseId: item.caseId,
        promptVersion: item.promptVersion,
        annotator: this.o.annotator,
        ...judgment,
        ...(this.note !== undefined ? { note: this.note } : {}),
        at: this.now(),
      },
    ]);
    this.annotated++;
    this.judged++;
    this.history.push({ pos: this.pos, wrote: true });
    this.advance();
  }

  private advance(): void {
    this.pos++;
    this.note = undefined;
    if (this.pos >= this.queue.length) this.end(false);
    else this.render();
  }

  private undo(): void {
    const last = this.history.pop();
    if (!last) {
      this.say('nothing to undo');
      return;
    }
    const item = this.queue[last.pos] as AnnotationItem;
    if (last.wrote) {
      appendAnnotations(this.o.file, [
        {
          key: item.key,
          runId: item.runId,
          caseId: item.caseId,
          promptVersion: item.promptVersion,
          annotator: this.o.annotator,
          retracted: true,
          at: this.now(),
        },
      ]);
      this.annotated--;
      this.judged--;
    }
    this.pos = last.pos;
    this.note = undefined;
    this.message = last.wrote ? 'undone: judgment withdrawn' : 'undone: skip';
    this.render();
  }

  private say(message: string): void {
    this.message = message;
    this.render();
  }

  private end(quit: boolean): void {
    this.ended = true;
    this.o.onEnd({ annotated: this.annotated, judged: this.judged, total: this.o.items.length, quit });
  }

  private render(): void {
    const item = this.queue[this.pos];
    if (!item) return;
    const index = this.o.items.indexOf(item);
    const lines: string[] = [];
    lines.push(
      `assay annotate · ${clean(this.o.annotator)} · ${this.o.scale} · ${index + 1}/${this.o.items.length} · ${this.judged} judged · ${clean(this.o.shownFile)}`,
    );
    lines.push(
      `case ${clean(item.caseId)} · ${clean(item.prompt)}@${item.promptVersion.slice(0, 8)} · ${clean(item.modelId)} · run ${clean(item.runId)}`,
    );
    lines.push('', '── input ──', ...block(item.input ?? '(not available: the case no longer renders)'));
    lines.push('', '── output ──', ...block(item.output));
    if (item.checks.length) {
      lines.push('', '── checks ──');
      for (const c of item.checks)
        lines.push(`${c.pass === undefined ? '·' : c.pass ? '✓' : '✗'} ${clean(c.name)}: ${clean(c.reason)}`);
    }
    lines.push('');
    if (this.note !== undefined) lines.push(`note: ${clean(this.note)}`);
    const keys = this.o.scale === 'pass-fail' ? 'p pass · f fail' : '1–5 score (1 worst, 5 best)';
    lines.push(`${keys} · n note · s skip · u undo · q quit`);
    if (this.message) lines.push(this.message);
    if (this.noteBuffer !== undefined) lines.push(`note (Enter keeps, Esc drops): ${this.noteBuffer}`);
    this.o.write(`${CLEAR}${lines.join('\r\n')}`);
  }
}

/** Control characters (ANSI escapes, bidi overrides, carriage returns) removed; tabs as spaces. */
function clean(s: string): string {
  return (
    s
      .replace(/\t/g, '  ')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
      .replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '')
      .replace(/\n/g, ' ⏎ ')
  );
}

/** A multi-line text, cleaned line by line, cut at MAX_LINES. */
function block(text: string): string[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n').map(clean);
  if (lines.length <= MAX_LINES) return lines;
  return [...lines.slice(0, MAX_LINES), `… ${lines.length - MAX_LINES} more lines`];
}

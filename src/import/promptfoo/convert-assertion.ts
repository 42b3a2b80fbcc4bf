import type { NoteList } from './import-note.ts';

/** An Assay check as written in a suite file. */
export type CheckSpec = Record<string, unknown>;

/** A judge file the import writes (judges/NAME.judge.md). */
export interface JudgeSpec {
  kind: 'rubric' | 'reference';
  scale: 'pass-fail' | '1-5';
  body: string;
  model: string;
  passThreshold?: number;
}

export interface AssertionContext {
  where: string;
  notes: NoteList;
  /** The case's vars, to fill `{{ var }}` in assertion values; undefined when there is no single case. */
  vars?: Record<string, unknown>;
  /** Registers a judge (deduplicated by content) and returns its path relative to the suite file. */
  judge(spec: JudgeSpec): string;
  /** The grader model id for an assertion (its own `provider`, else defaultTest's, else the default). */
  grader(provider: unknown): string | undefined;
  /** Sets the case's `expected` (for reference judges); false when it already holds another value. */
  setExpected(value: string): boolean;
}

/** Why each promptfoo assertion type without an Assay equivalent is left out. */
export const NOT_CONVERTED: Record<string, string> = {
  similar:
    'embedding similarity needs an embedding model; Assay has no embedding check (try rouge-l, bleu or a reference judge)',
  'similar:cosine': 'embedding similarity needs an embedding model; Assay has no embedding check',
  'similar:dot': 'embedding similarity needs an embedding model; Assay has no embedding check',
  'similar:euclidean': 'embedding similarity needs an embedding model; Assay has no embedding check',
  perplexity: 'needs token log-probabilities from the provider; Assay has no perplexity check',
  'perplexity-score': 'needs token log-probabilities from the provider; Assay has no perplexity check',
  classifier: 'runs a Hugging Face classifier; no Assay equivalent',
  moderation: 'calls a moderation API; no Assay equivalent',
  pi: "calls Pi Labs' remote scorer; no Assay equivalent",
  'answer-relevance':
    'uses embeddings of generated questions; no Assay equivalent (a rubric judge can ask for relevance)',
  'context-faithfulness':
    'RAGAS-style metric; see Assay RAG checks (quotes-grounded, citations-valid) and docs/rag.md',
  'context-recall': 'RAGAS-style metric; see Assay RAG checks (cites-gold) and docs/rag.md',
  'context-relevance': 'RAGAS-style metric; no Assay equivalent',
  'conversation-relevance': 'sliding-window judge over a conversation; see docs/conversations.md',
  'search-rubric': 'the judge searches the web; Assay judges never call tools',
  'agent-rubric': 'judges a traced agent run; use a judge with `uses: [trajectory]` (docs/judges.md)',
  'trajectory:goal-success': 'reads OpenTelemetry traces; see Assay agent checks (docs/agents.md)',
  'trajectory:tool-used': 'reads OpenTelemetry traces; Assay agent cases use tool-called (docs/agents.md)',
  'trajectory:tool-args-match': 'reads OpenTelemetry traces; Assay agent cases use tool-called with args',
  'trajectory:tool-sequence': 'reads OpenTelemetry traces; Assay agent cases use tool-sequence',
  'trajectory:step-count': 'reads OpenTelemetry traces; Assay agent cases use step-count',
  'trace-span-count': 'reads OpenTelemetry traces; no Assay equivalent',
  'trace-span-duration': 'reads OpenTelemetry traces; no Assay equivalent',
  'trace-error-spans': 'reads OpenTelemetry traces; no Assay equivalent',
  'tool-call-f1': 'no Assay equivalent; tool-called / tool-sequence check agent cases',
  'skill-used': 'agent skill metadata; no Assay equivalent',
  guardrails: "reads the provider's guardrail flag; no Assay equivalent",
  'finish-reason': 'no Assay check reads the stop reason',
  'is-xml': 'no XML check in Assay (a regex or custom check can stand in)',
  'contains-xml': 'no XML check in Assay (a regex or custom check can stand in)',
  'is-html': 'no HTML check in Assay',
  'contains-html': 'no HTML check in Assay',
  'is-sql': 'no SQL parser check in Assay',
  'contains-sql': 'no SQL parser check in Assay',
  gleu: 'no GLEU in Assay (bleu and rouge-l are)',
  meteor: 'no METEOR in Assay (bleu and rouge-l are)',
  python: 'runs Python code; write a custom check (file:…) instead (docs/checks.md#custom)',
  ruby: 'runs Ruby code; write a custom check (file:…) instead (docs/checks.md#custom)',
  webhook: 'calls a URL; write a custom check (file:…) instead (docs/checks.md#custom)',
  'select-best':
    'compares outputs of several prompts for one test; use `assay judge pairwise` (docs/judges.md)',
  'max-score': 'picks the best column of one test; use `assay compare`',
  human: 'manual ratings; use `assay annotate`',
};

const FACTUALITY_RUBRIC =
  'The output must agree with the reference answer on every fact it states: it may add detail or leave some out, but it must not contradict the reference.';

/** promptfoo assertion → Assay checks ([] when dropped, with a note). */
export function convertAssertion(a: unknown, ctx: AssertionContext): CheckSpec[] {
  if (!a || typeof a !== 'object' || typeof (a as { type?: unknown }).type !== 'string') {
    ctx.notes.dropped(ctx.where, 'assertion', 'an assertion needs a `type`');
    return [];
  }
  const o = a as Record<string, unknown>;
  const type = o.type as string;
  const where = `${ctx.where} (${type})`;
  if (o.transform !== undefined || o.contextTransform !== undefined) {
    ctx.notes.dropped(
      where,
      type,
      'a `transform` runs code on the output first; Assay checks see the output as is',
    );
    return [];
  }
  if (o.weight === 0) {
    ctx.notes.dropped(where, type, 'weight 0 never affects the verdict in promptfoo; left out');
    return [];
  }
  const negated = type.startsWith('not-') && type !== 'not-contains';
  const base = negated ? type.slice(4) : type;
  let checks: CheckSpec[] | undefined;
  try {
    checks = convertBase(base, o, { ...ctx, where });
  } catch (err) {
    ctx.notes.dropped(where, type, (err as Error).message);
    return [];
  }
  if (!checks) return [];
  if (negated) {
    if (checks.length !== 1) {
      ctx.notes.dropped(where, type, 'the negation of this assertion has no single Assay check');
      return [];
    }
    const [c] = checks as [CheckSpec];
    if (c.type === 'not-contains') c.type = 'contains';
    else if (c.type === 'contains' && c.mode === 'any') c.type = 'not-contains';
    else if (c.type === 'refused') c.type = 'not-refused';
    else c.not = !c.not;
    if (c.type === 'not-contains') delete c.mode;
  }
  const extra: CheckSpec = {};
  if (typeof o.metric === 'string') extra.name = o.metric;
  if (typeof o.weight === 'number' && o.weight !== 1) extra.weight = o.weight;
  return checks.map((c) => ({ ...c, ...extra }));
}

function convertBase(
  type: string,
  a: Record<string, unknown>,
  ctx: AssertionContext,
): CheckSpec[] | undefined {
  const value = () => fill(a.value, ctx);
  const text = () => {
    const v = value();
    if (typeof v !== 'string' && typeof v !== 'number') throw new Error('`value` must be a string');
    return String(v);
  };
  const list = () => {
    const v = value();
    if (Array.isArray(v)) return v.map(String);
    if (typeof v === 'string')
      return v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    throw new Error('`value` must be a list of strings');
  };
  const threshold = (dflt?: number) => {
    const t = a.threshold ?? dflt;
    if (typeof t !== 'number') throw new Error('`threshold` (a number) is required');
    return t;
  };
  switch (type) {
    case 'equals':
      return [{ type: 'equals', value: value() }];
    case 'contains':
      return [{ type: 'contains', value: text() }];
    case 'icontains':
      return [{ type: 'icontains', value: text() }];
    case 'not-contains':
      return [{ type: 'not-contains', value: text() }];
    case 'contains-any':
    case 'contains-all':
    case 'icontains-any':
    case 'icontains-all':
      return [
        {
          type: type.startsWith('i') ? 'icontains' : 'contains',
          value: list(),
          mode: type.endsWith('any') ? 'any' : 'all',
        },
      ];
    case 'starts-with':
      return [{ type: 'starts-with', value: text() }];
    case 'regex': {
      const pattern = text();
      new RegExp(pattern); // promptfoo compiles it the same way; a bad one is reported, not written
      return [{ type: 'regex', pattern }];
    }
    case 'is-json':
    case 'contains-json': {
      if (type === 'contains-json')
        ctx.notes.changed(
          ctx.where,
          type,
          "Assay parses the whole output (or one fenced block) as JSON; promptfoo's contains-json also finds JSON inside prose",
        );
      const schema = a.value;
      if (schema === undefined) return [{ type: 'is-json' }];
      if (typeof schema === 'string')
        throw new Error('a JSON schema given as a file or string is not converted; inline it');
      return [{ type: 'json-schema', schema }];
    }
    case 'is-valid-openai-tools-call':
    case 'is-valid-openai-function-call':
    case 'is-valid-function-call':
      return [{ type: 'is-valid-tool-call' }];
    case 'is-refusal':
      return [{ type: 'refused' }];
    case 'word-count': {
      const v = value();
      if (typeof v === 'number') return [{ type: 'length', unit: 'words', min: v, max: v }];
      const r = (v ?? {}) as { min?: unknown; max?: unknown };
      if (typeof r.min !== 'number' && typeof r.max !== 'number')
        throw new Error('`value` must be a number or { min, max }');
      return [
        {
          type: 'length',
          unit: 'words',
          ...(typeof r.min === 'number' ? { min: r.min } : {}),
          ...(typeof r.max === 'number' ? { max: r.max } : {}),
        },
      ];
    }
    case 'levenshtein':
      return [{ type: 'levenshtein', value: text(), max: threshold(5) }];
    case 'rouge-n':
      ctx.notes.changed(
        ctx.where,
        type,
        'ROUGE-N becomes ROUGE-L (longest common subsequence F-measure), the ROUGE Assay has',
      );
      return [{ type: 'rouge-l', value: text(), threshold: threshold(0.75) }];
    case 'rouge-l':
      return [{ type: 'rouge-l', value: text(), threshold: threshold(0.75) }];
    case 'bleu': {
      const v = value();
      return Array.isArray(v)
        ? [{ type: 'bleu', values: v.map(String), threshold: threshold(0.5) }]
        : [{ type: 'bleu', value: text(), threshold: threshold(0.5) }];
    }
    case 'latency':
      return [{ type: 'latency', max: threshold() }];
    case 'cost':
      return [{ type: 'cost', max: threshold() }];
    case 'javascript':
      return convertJavascript(a.value, ctx);
    case 'llm-rubric':
    case 'model-graded-closedqa':
    case 'g-eval':
    case 'factuality':
    case 'model-graded-factuality':
      return convertJudge(type, a, ctx);
    case 'assert-set': {
      const children = Array.isArray(a.assert) ? a.assert : [];
      const checks = children.flatMap((c, i) =>
        convertAssertion(c, { ...ctx, where: `${ctx.where}.assert[${i}]` }),
      );
      if (checks.length !== children.length)
        throw new Error('some assertions of the set cannot be converted');
      return typeof a.threshold === 'number'
        ? [{ type: 'weighted', threshold: a.threshold, checks }]
        : [{ type: 'all', checks: checks.map(({ weight: _w, ...c }) => c) }];
    }
  }
  const why = NOT_CONVERTED[type];
  ctx.notes.dropped(ctx.where, type, why ?? 'unknown assertion type; no Assay equivalent');
  return undefined;
}

function convertJudge(
  type: string,
  a: Record<string, unknown>,
  ctx: AssertionContext,
): CheckSpec[] | undefined {
  const model = ctx.grader(a.provider);
  if (!model) throw new Error('the grader provider cannot be converted to an Assay model');
  if (a.rubricPrompt !== undefined)
    ctx.notes.changed(
      ctx.where,
      `${type} rubricPrompt`,
      "a custom grading prompt is dropped; Assay's judge prompt asks for JSON with reasoning first",
    );
  const raw = a.value;
  if (typeof raw !== 'string' || !raw.trim())
    throw new Error('`value` (the rubric or reference) must be text');
  const body = raw.trim();
  if (/\{\{|\{%/.test(body) && ctx.vars === undefined)
    throw new Error('the rubric uses {{ vars }} of each test; put it on the tests');
  const filled = String(fill(body, ctx));
  if (type === 'factuality' || type === 'model-graded-factuality') {
    if (!ctx.setExpected(filled))
      throw new Error("the case's expected answer already holds another reference");
    ctx.notes.changed(
      ctx.where,
      type,
      'becomes a reference judge on the case `expected` (pass-fail; the factuality category weights are dropped)',
    );
    return [
      {
        type: 'judge',
        judge: ctx.judge({ kind: 'reference', scale: 'pass-fail', body: FACTUALITY_RUBRIC, model }),
      },
    ];
  }
  if (type === 'g-eval') {
    const t = typeof a.threshold === 'number' ? a.threshold : 0.7;
    const passThreshold = Math.min(5, Math.max(1, Math.ceil(1 + 4 * t - 1e-9)));
    ctx.notes.changed(
      ctx.where,
      type,
      `a 1-5 judge with probability-free scoring; promptfoo threshold ${t} → lowest passing score ${passThreshold}`,
    );
    return [
      {
        type: 'judge',
        judge: ctx.judge({ kind: 'rubric', scale: '1-5', body: filled, model, passThreshold }),
      },
    ];
  }
  if (type === 'model-graded-closedqa')
    return [
      {
        type: 'judge',
        judge: ctx.judge({
          kind: 'rubric',
          scale: 'pass-fail',
          body: `Pass only if the output meets this criterion: ${filled}`,
          model,
        }),
      },
    ];
  if (typeof a.threshold === 'number')
    ctx.notes.changed(
      ctx.where,
      `${type} threshold`,
      'the judge gives pass or fail; the score threshold is dropped',
    );
  return [{ type: 'judge', judge: ctx.judge({ kind: 'rubric', scale: 'pass-fail', body: filled, model }) }];
}

const STR = String.raw`(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")`;
const JS_PATTERNS: { re: RegExp; check: (m: RegExpExecArray) => CheckSpec }[] = [
  {
    re: new RegExp(String.raw`^(!)?\s*output\.includes\(\s*${STR}\s*\)$`),
    check: (m) => ({ type: m[1] ? 'not-contains' : 'contains', value: str(m, 2) }),
  },
  {
    re: new RegExp(String.raw`^(!)?\s*output\.toLowerCase\(\)\.includes\(\s*${STR}\s*\)$`),
    check: (m) => ({ type: 'icontains', value: str(m, 2), ...(m[1] ? { not: true } : {}) }),
  },
  {
    re: new RegExp(String.raw`^output\.startsWith\(\s*${STR}\s*\)$`),
    check: (m) => ({ type: 'starts-with', value: str(m, 1) }),
  },
  {
    re: /^output\.length\s*(<=|<|>=|>)\s*(\d+)$/,
    check: (m) => bound('chars', m[1] as string, Number(m[2])),
  },
  {
    re: /^output\.(?:trim\(\)\.)?split\((?:' '|" "|\/\\s\+\/)\)\.length\s*(<=|<|>=|>)\s*(\d+)$/,
    check: (m) => bound('words', m[1] as string, Number(m[2])),
  },
  {
    re: /^(!)?\s*\/((?:[^/\\\n]|\\.)+)\/([dgimsuvy]*)\.test\(\s*output\s*\)$/,
    check: (m) => ({
      type: 'regex',
      pattern: m[2],
      ...(m[3] ? { flags: m[3] } : {}),
      ...(m[1] ? { not: true } : {}),
    }),
  },
];

function str(m: RegExpExecArray, i: number): string {
  const s = (m[i] ?? m[i + 1] ?? '') as string;
  return s.replace(/\\(.)/g, '$1');
}

function bound(unit: string, op: string, n: number): CheckSpec {
  if (op === '<=') return { type: 'length', unit, max: n };
  if (op === '<') return { type: 'length', unit, max: n - 1 };
  if (op === '>=') return { type: 'length', unit, min: n };
  return { type: 'length', unit, min: n + 1 };
}

/** Simple one-line expressions over `output` become built-in checks; any other code is noted. */
function convertJavascript(value: unknown, ctx: AssertionContext): CheckSpec[] | undefined {
  const code =
    typeof value === 'string'
      ? value
          .trim()
          .replace(/^return\s+/, '')
          .replace(/;$/, '')
          .trim()
      : '';
  for (const p of JS_PATTERNS) {
    const m = p.re.exec(code);
    if (m) return [p.check(m)];
  }
  ctx.notes.dropped(
    ctx.where,
    typeof value === 'string' && value.startsWith('file://') ? value : `javascript: ${code.slice(0, 60)}`,
    'only simple expressions (output.includes/startsWith/length, /re/.test(output)) are converted; write other code as a custom check (docs/checks.md#custom)',
  );
  return undefined;
}

/** Fills `{{ var }}` / `{{ var.path }}` in strings from the case's vars; other template syntax is an error. */
export function fill(value: unknown, ctx: Pick<AssertionContext, 'vars'>): unknown {
  if (typeof value === 'string') {
    if (!/\{\{|\{%/.test(value)) return value;
    if (!ctx.vars) throw new Error('the value uses {{ vars }}, which need a test case');
    const vars = ctx.vars;
    const out = value.replace(/\{\{-?\s*([A-Za-z_]\w*(?:\.\w+)*)\s*-?\}\}/g, (_all, path: string) => {
      let v: unknown = vars;
      for (const k of path.split('.'))
        v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
      if (v === undefined) throw new Error(`the value uses {{ ${path} }}, which the test does not set`);
      return typeof v === 'string' ? v : JSON.stringify(v);
    });
    if (/\{\{|\{%/.test(out))
      throw new Error('the value uses template syntax beyond {{ var }}, which is not converted');
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => fill(v, ctx));
  return value;
}

/** Whether an assertion's value reads test vars (then it is written on each case, filled in). */
export function usesVars(a: unknown): boolean {
  return /\{\{|\{%/.test(JSON.stringify((a as { value?: unknown })?.value ?? '') ?? '');
}

import { basename } from 'node:path';
import { z } from 'zod';
import { canonicalJson } from '../core/canonical-json.ts';
import { modelIdSchema } from '../core/config/config-schema.ts';
import { settingsSchema } from '../core/config/settings-schema.ts';
import { ConfigError } from '../core/errors.ts';
import { parseFrontMatter } from '../core/prompt/parse-front-matter.ts';
import { splitFrontMatter } from '../core/prompt/split-front-matter.ts';
import { sha256Hex } from '../core/sha256-hex.ts';
import type { ModelSettings } from '../core/types.ts';

export const JUDGE_KINDS = ['rubric', 'reference', 'checklist', 'pairwise'] as const;
export type JudgeKind = (typeof JUDGE_KINDS)[number];

export const JUDGE_SCALES = ['pass-fail', '1-5', 'checklist'] as const;
export type JudgeScale = (typeof JUDGE_SCALES)[number];

export type JudgeUse = 'expected' | 'context' | 'trajectory';

/**
 * `sampled`: the score is the digit the judge wrote. `probability` (scale 1-5, G-Eval): the score is the
 * expectation of the score digit under the judge's token probabilities.
 */
export const JUDGE_SCORINGS = ['sampled', 'probability'] as const;
export type JudgeScoring = (typeof JUDGE_SCORINGS)[number];

export interface JudgeCriterion {
  text: string;
  points: number;
}

/** A parsed `*.judge.md`: front matter (model, scale, …) and the rubric (the Markdown body). */
export interface JudgeSpec {
  name: string;
  /** Project-relative path of the file it came from. */
  file: string;
  /** Content hash of the canonical judge (rubric, scale, scoring, criteria, threshold, model, settings, uses). */
  version: string;
  kind: JudgeKind;
  scale: JudgeScale;
  /** How a 1-5 score is read from the reply (default `sampled`). */
  scoring?: JudgeScoring;
  /** Checklist criteria (scale `checklist` only; empty otherwise). */
  criteria: JudgeCriterion[];
  /**
   * `1-5`: the lowest passing score (default 4). `checklist`: the share of points needed, 0–1 (default 1).
   * Absent for `pass-fail`.
   */
  passThreshold?: number;
  /** A configured model id. */
  model: string;
  /** Generation settings; temperature defaults to 0. */
  settings: ModelSettings;
  /** What the judge is shown besides the output: the case's `expected`, `context`, the agent `trajectory`. */
  uses: JudgeUse[];
  rubric: string;
}

const criterionSchema = z.strictObject({
  text: z.string().min(1),
  points: z.number().positive().optional(),
});

const frontMatterSchema = z.strictObject({
  name: z.string().min(1).optional(),
  description: z.string().optional(),
  kind: z.enum(JUDGE_KINDS).optional(),
  scale: z.enum(JUDGE_SCALES).optional(),
  criteria: z.array(criterionSchema).min(1).optional(),
  passThreshold: z.number().optional(),
  scoring: z.enum(JUDGE_SCORINGS).optional(),
  model: modelIdSchema,
  settings: settingsSchema.optional(),
  uses: z.array(z.enum(['expected', 'context', 'trajectory'])).optional(),
});

/** The judge's name from its file: `tone.judge.md` → `tone`. */
function nameFromFile(file: string): string {
  return basename(file)
    .replace(/\.judge\.md$/i, '')
    .replace(/\.md$/i, '');
}

function normalizeRubric(text: string): string {
  return text
    .split('\n')
    .map((l) => l.replace(/[ \t]+$/, ''))
    .join('\n')
    .trim();
}

/**
 * Parses a `*.judge.md` file. Every problem is a ConfigError with the file and line of the field.
 * The version is a content hash: same rubric, scale, model and settings → same version; renaming or
 * editing the description keeps it.
 */
export function parseJudgeFile(text: string, file: string): JudgeSpec {
  const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const split = splitFrontMatter(normalized, file);
  if (split.yaml === undefined)
    throw new ConfigError('a judge file needs YAML front matter', {
      file,
      line: 1,
      expected: "'---', then at least 'model: …', then '---' and the rubric",
    });
  const { data: fm, locate } = parseFrontMatter(
    split.yaml,
    split.yamlLineOffset,
    file,
    frontMatterSchema,
    'model, scale, kind',
  );
  const at = (field: string, path: (string | number)[]) => {
    const pos = locate(path);
    return { file, line: pos?.line, column: pos?.column, field };
  };

  const kind: JudgeKind = fm.kind ?? (fm.scale === 'checklist' ? 'checklist' : 'rubric');
  const scale: JudgeScale = fm.scale ?? (kind === 'checklist' ? 'checklist' : 'pass-fail');
  if ((kind === 'checklist') !== (scale === 'checklist'))
    throw new ConfigError(`kind '${kind}' does not go with scale '${scale}'`, {
      ...at('scale', ['scale']),
      expected: "kind 'checklist' with scale 'checklist', other kinds with 'pass-fail' or '1-5'",
    });
  if (kind === 'pairwise' && scale !== 'pass-fail')
    throw new ConfigError(`a pairwise judge picks a winner; scale '${scale}' does not apply`, {
      ...at('scale', ['scale']),
      expected: "no scale (or 'pass-fail') for kind 'pairwise'",
    });
  if (scale === 'checklist' && !fm.criteria)
    throw new ConfigError("missing 'criteria' for a checklist judge", {
      ...at('criteria', []),
      expected: 'a list of { text, points } items',
    });
  if (scale !== 'checklist' && fm.criteria)
    throw new ConfigError(`'criteria' only applies to scale 'checklist'`, {
      ...at('criteria', ['criteria']),
      expected: "scale: checklist, or no 'criteria'",
    });

  if (fm.scoring === 'probability' && scale !== '1-5')
    throw new ConfigError(`scoring 'probability' needs scale '1-5', not '${scale}'`, {
      ...at('scoring', ['scoring']),
      expected: "scale: 1-5 with scoring: probability, or no 'scoring'",
    });

  let passThreshold: number | undefined;
  if (scale === '1-5') {
    passThreshold = fm.passThreshold ?? 4;
    if (passThreshold < 1 || passThreshold > 5)
      throw new ConfigError(`invalid passThreshold ${passThreshold}`, {
        ...at('passThreshold', ['passThreshold']),
        expected: 'a number from 1 to 5 (the lowest passing score)',
      });
  } else if (scale === 'checklist') {
    passThreshold = fm.passThreshold ?? 1;
    if (passThreshold < 0 || passThreshold > 1)
      throw new ConfigError(`invalid passThreshold ${passThreshold}`, {
        ...at('passThreshold', ['passThreshold']),
        expected: 'a share of the points from 0 to 1',
      });
  } else if (fm.passThreshold !== undefined) {
    throw new ConfigError(`'passThreshold' does not apply to scale '${scale}'`, {
      ...at('passThreshold', ['passThreshold']),
      expected: "scale '1-5' or 'checklist', or no passThreshold",
    });
  }

  const rubric = normalizeRubric(split.body);
  if (rubric === '')
    throw new ConfigError('the judge has no rubric', {
      file,
      line: split.bodyStartLine,
      expected: 'the rubric as Markdown after the front matter',
    });

  const name = fm.name ?? nameFromFile(file);
  const uses = new Set<JudgeUse>(fm.uses ?? []);
  if (kind === 'reference') uses.add('expected');
  const criteria = (fm.criteria ?? []).map((c) => ({ text: c.text.trim(), points: c.points ?? 1 }));
  const settings: ModelSettings = { temperature: 0, ...(fm.settings ?? {}) };
  const scoring: JudgeScoring = fm.scoring ?? 'sampled';
  const content = {
    kind,
    scale,
    // Only a non-default scoring enters the hash, so existing judges keep their versions.
    scoring: scoring === 'sampled' ? undefined : scoring,
    criteria,
    passThreshold,
    model: fm.model,
    settings,
    uses: [...uses].sort(),
    rubric,
  };
  const canonical = canonicalJson(content);
  const spec: JudgeSpec = {
    name,
    file,
    version: sha256Hex(canonical).slice(0, 12),
    kind,
    scale,
    criteria,
    model: fm.model,
    settings,
    uses: content.uses,
    rubric,
  };
  if (passThreshold !== undefined) spec.passThreshold = passThreshold;
  if (scoring !== 'sampled') spec.scoring = scoring;
  return spec;
}

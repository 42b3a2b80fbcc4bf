import { z } from 'zod';
import { checkSpecSchema } from '../suite/check-spec-schema.ts';
import { checkModelId, MODEL_PROVIDERS, parseModelId } from './model-id.ts';
import type { ModelConfig } from './project.ts';
import { settingsSchema } from './settings-schema.ts';
import { type TargetFields, targetConfigIssues } from './target-config-issues.ts';

/** Default run settings when `defaults:` omits them. */
export const DEFAULTS = {
  repeats: 1,
  concurrency: 8,
  timeoutMs: 60_000,
  maxRetries: 4,
  maxErrorRate: 0.1,
  seed: 0,
} as const;

/** `provider:name`; the pattern is for editors, the refinement gives the helpful message. */
export const modelIdSchema = z
  .string()
  .superRefine((id, ctx) => {
    const problem = checkModelId(id);
    if (problem)
      ctx.addIssue({
        code: 'custom',
        message: problem.problem,
        params: { expected: problem.expected, hint: problem.hint },
      });
  })
  .meta({ pattern: `^(${MODEL_PROVIDERS.join('|')}):.+$` });
const modelId = modelIdSchema;

const envName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'not an environment variable name')
  .meta({ description: 'Name of the environment variable holding the API key (never the key itself)' });

const modelShape = {
  id: modelId.meta({
    description: 'provider:name, e.g. openai:gpt-4o-mini, openai-compatible:llama3.2, local:./models/x.gguf',
  }),
  baseUrl: z
    .url({ protocol: /^https?$/ })
    .optional()
    .meta({ description: 'Required for openai-compatible:' }),
  apiKeyEnv: envName.optional(),
  model: z.string().min(1).optional().meta({ description: 'Vendor model name when it differs from the id' }),
  settings: settingsSchema.optional(),
  concurrency: z.int().min(1).optional(),
  timeoutMs: z.int().min(1).optional(),
  rpm: z
    .number()
    .positive()
    .optional()
    .meta({ description: 'Requests per minute at most (target calls and judge calls together)' }),
  tpm: z.number().positive().optional().meta({
    description: 'Tokens per minute at most (input + expected output, corrected by reported usage)',
  }),
  target: z.boolean().optional().meta({
    description:
      'Evaluate prompts with this model (default: yes, unless only judges or simulated users use it and another model does not)',
  }),
  headers: z.record(z.string(), z.string()).optional(),
  script: z.string().min(1).optional().meta({ description: 'fake: only — path of the script file' }),
  threads: z
    .int()
    .min(1)
    .max(1024)
    .optional()
    .meta({ description: 'local: only — CPU threads for generation (default: cores − 1, at most 4)' }),
  adapter: z
    .enum(['ai-sdk', 'direct'])
    .optional()
    .meta({ description: 'openai-compatible: only — direct (default, plain fetch) or ai-sdk' }),
  url: z.string().min(1).optional().meta({
    description: 'http: only — the endpoint; Liquid allowed ({{ caseId }}, {{ vars.id | url_encode }})',
  }),
  method: z
    .enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'])
    .optional()
    .meta({ description: 'http: only — default POST' }),
  body: z
    .unknown()
    .optional()
    .meta({ description: 'http: only — the JSON body; every string in it is a Liquid template' }),
  response: z
    .union([
      z.string().min(1),
      z.strictObject({
        output: z.string().min(1),
        toolCalls: z.string().min(1).optional(),
        usage: z.string().min(1).optional(),
      }),
    ])
    .optional()
    .meta({
      description: 'http: only — JSONPath of the answer text ($.answer), or {output, toolCalls, usage}',
    }),
  price: z
    .number()
    .min(0)
    .optional()
    .meta({ description: 'http: and file: only — USD per call (default 0)' }),
};

type ModelInput = TargetFields & {
  id: string;
  baseUrl?: string | undefined;
  script?: string | undefined;
  threads?: number | undefined;
};

function refineModel(m: ModelInput, ctx: z.RefinementCtx): void {
  const parsed = parseModelId(m.id);
  if (parsed?.provider === 'openai-compatible' && !m.baseUrl)
    ctx.addIssue({
      code: 'custom',
      path: ['baseUrl'],
      message: `'${m.id}' needs a baseUrl`,
      params: { expected: 'the server URL, e.g. baseUrl: http://127.0.0.1:11434/v1', at: 'key' },
    });
  if (m.script && parsed && parsed.provider !== 'fake')
    ctx.addIssue({
      code: 'custom',
      path: ['script'],
      message: `'script' only applies to fake: models, not '${m.id}'`,
      params: { at: 'key' },
    });
  if (m.threads !== undefined && parsed && parsed.provider !== 'local')
    ctx.addIssue({
      code: 'custom',
      path: ['threads'],
      message: `'threads' only applies to local: models, not '${m.id}'`,
      params: { at: 'key' },
    });
  if (parsed)
    for (const issue of targetConfigIssues(parsed.provider, m))
      ctx.addIssue({
        code: 'custom',
        path: issue.path,
        message: issue.message,
        params: { expected: issue.expected, hint: issue.hint, ...(issue.at ? { at: issue.at } : {}) },
      });
}

/** A model in `assay.yaml`. */
const yamlModel = z.strictObject(modelShape).superRefine(refineModel);

/** A model in `assay.config.ts`: `fake:` models may answer through a `respond` function. */
const codeModel = z
  .strictObject({
    ...modelShape,
    respond: z
      .custom<(messages: { role: string; content: string }[]) => string | Promise<string>>(
        (v) => typeof v === 'function',
        { message: 'respond must be a function' },
      )
      .optional(),
  })
  .superRefine(refineModel);

const modelEntry = <M extends z.ZodType>(model: M) =>
  z.union([modelId.transform((id) => ({ id })).meta({ description: 'A model id: provider:name' }), model]);

const suiteEntry = z.union([
  z
    .string()
    .min(1)
    .transform((file) => ({ file }))
    .meta({ description: 'Path of a suite file (.yaml, .jsonl, .csv), relative to the config' }),
  z.strictObject({
    name: z.string().min(1).optional(),
    file: z.string().min(1),
    prompts: z
      .array(z.string().min(1))
      .optional()
      .meta({ description: 'Prompt names run on this suite (default: all)' }),
  }),
]);

const defaultsSchema = z
  .strictObject({
    repeats: z.int().min(1).default(DEFAULTS.repeats),
    concurrency: z.int().min(1).default(DEFAULTS.concurrency),
    timeoutMs: z.int().min(1).default(DEFAULTS.timeoutMs),
    maxRetries: z.int().min(0).default(DEFAULTS.maxRetries),
    threshold: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .meta({ description: 'Minimum pass rate; below it eval exits 1' }),
    maxErrorRate: z.number().min(0).max(1).default(DEFAULTS.maxErrorRate),
    seed: z.int().default(DEFAULTS.seed),
    checks: z
      .array(checkSpecSchema)
      .default([])
      .meta({ description: 'Checks applied to every case of every suite' }),
  })
  .prefault({});

function buildConfigSchema<M extends z.ZodType>(model: M) {
  return z.strictObject({
    $schema: z.string().optional(),
    name: z.string().min(1).optional(),
    description: z.string().optional(),
    prompts: z
      .array(z.string().min(1))
      .min(1)
      .meta({ description: 'Prompt files or globs, e.g. prompts/*.prompt.md' }),
    suites: z.array(suiteEntry).min(1),
    models: z.array(modelEntry(model)).default([]),
    defaults: defaultsSchema,
    prices: z.string().min(1).optional().meta({ description: 'Path of a price-override file' }),
    store: z
      .string()
      .min(1)
      .optional()
      .meta({ description: 'Path of the SQLite store (default .assay/assay.db)' }),
  });
}

/** `assay.yaml` (data only). */
export const configSchema = buildConfigSchema(yamlModel);

/** `assay.config.ts`: the same, and `fake:` models may carry a `respond` function. */
export const configObjectSchema = buildConfigSchema(codeModel);

/** What `assay.config.ts` exports (what `defineConfig` accepts). */
export type AssayConfigInput = z.input<typeof configObjectSchema>;

/** A validated config with defaults filled in. */
export type ResolvedConfig = Omit<z.output<typeof configObjectSchema>, 'models'> & { models: ModelConfig[] };

import type { CompiledCheck, ModelSettings, PromptSpec, Suite } from '../types.ts';

/** One configured model, as validated from `assay.yaml` / `assay.config.ts` (`models:` list). */
export interface ModelConfig {
  /** `openai:gpt-4o-mini`, `anthropic:…`, `google:…`, `openai-compatible:NAME`, `fake:NAME`, `local:PATH.gguf`. */
  id: string;
  /** Required for `openai-compatible:`; optional override for the others. */
  baseUrl?: string;
  /** Name of the environment variable holding the key (defaults per vendor, e.g. OPENAI_API_KEY). Never the key itself. */
  apiKeyEnv?: string;
  /** Vendor model name when it differs from the part after the colon (e.g. openai-compatible:local → llama3.2). */
  model?: string;
  settings?: ModelSettings;
  /** Max calls in flight for this model. */
  concurrency?: number;
  timeoutMs?: number;
  /**
   * Whether runs evaluate prompts with this model. Default: yes, except for a model that only judges,
   * juries or simulated users call (it is there to grade, not to be graded); `--model` always selects.
   */
  target?: boolean;
  /** Requests per minute at most, over the run's target and check calls to this model. */
  rpm?: number;
  /** Tokens per minute at most: estimated input + expected output per call, corrected by reported usage. */
  tpm?: number;
  /** Extra HTTP headers (values may be `${ENV_VAR}` references; resolved at call time, never stored). */
  headers?: Record<string, string>;
  /**
   * `openai-compatible:` only: `direct` speaks /chat/completions with fetch itself (about half the client CPU
   * per call of the default `ai-sdk`, same requests, results and errors). Default `ai-sdk`.
   */
  adapter?: 'ai-sdk' | 'direct';
  /**
   * `local:` only: CPU threads for generation. Default max(1, min(4, available cores − 1)); see
   * docs/local-models.md.
   */
  threads?: number;
  /** `fake:` only: path of the script file (YAML/JSON), project-relative. */
  script?: string;
  /** `fake:` only, library API: a function answering each request. */
  respond?: (messages: { role: string; content: string }[]) => string | Promise<string>;
  /** `http:` only: the endpoint (a Liquid template: `{{ caseId }}`, `{{ vars.id | url_encode }}`). */
  url?: string;
  /** `http:` only: default POST. */
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** `http:` only: the JSON body; every string in it is a Liquid template (see docs/targets.md). */
  body?: unknown;
  /** `http:` only: JSONPath of the answer text, or of the answer, tool calls and usage. */
  response?: string | { output: string; toolCalls?: string; usage?: string };
  /** `http:` and `file:` only: USD per call (targets are not priced by tokens; default $0). */
  price?: number;
}

export interface ProjectDefaults {
  repeats: number;
  concurrency: number;
  timeoutMs: number;
  maxRetries: number;
  /** Minimum pass rate (0..1) per prompt × model; below it `eval` exits 1. */
  threshold?: number;
  /** Max share of error results before the run counts as incomplete (exit 3). Default 0.1 (10%). */
  maxErrorRate: number;
  seed: number;
}

/** A compiled check with where it came from (for reports and errors). */
export interface BoundCheck {
  type: string;
  name?: string;
  run: CompiledCheck;
}

/** Something worth telling the user that does not stop the load (a derived case id, an unused variable). */
export interface LoadWarning {
  file: string;
  line?: number;
  message: string;
}

/** A fully loaded and validated project: everything `eval` needs, no I/O left to do but model calls. */
export interface Project {
  /** Absolute project root (folder of the config file). */
  root: string;
  /** Project-relative config path (`assay.yaml` or `assay.config.ts`). */
  configFile: string;
  name: string;
  prompts: PromptSpec[];
  suites: Suite[];
  models: ModelConfig[];
  defaults: ProjectDefaults;
  /** Absolute path of the SQLite store (default `<root>/.assay/assay.db`). */
  storePath: string;
  /** Absolute path of a user price-override file, if configured. */
  pricesFile?: string;
  /** Ids of configured models that checks call (LLM judges): available to a run even when not its targets. */
  checkModels?: string[];
  /** Compiled checks per suite name → case id → checks (suite defaults merged). */
  checks: Map<string, Map<string, BoundCheck[]>>;
  /** Non-fatal findings from loading, for the CLI to print. */
  warnings?: LoadWarning[];
}

/**
 * The shared vocabulary of Assay as types. Frozen contracts: later capabilities build on these, so add
 * optional fields rather than change existing ones.
 */

export type JsonSchema = Record<string, unknown>;

export type Role = 'system' | 'user' | 'assistant' | 'tool';

export interface ChatMessage {
  role: Role;
  content: string;
  /** An assistant turn's tool calls (agent loops). */
  toolCalls?: ToolCall[];
  /** A `tool` message: the id of the call it answers. */
  toolCallId?: string;
  /** A `tool` message: the tool's name. */
  name?: string;
}

/** Generation settings passed to a model. Unknown keys are passed through to the provider. */
export interface ModelSettings {
  temperature?: number;
  maxTokens?: number;
  topP?: number;
  stop?: string[];
  seed?: number;
  [key: string]: unknown;
}

export type VariableType = 'string' | 'number' | 'boolean' | 'object' | 'array';

export interface VariableSpec {
  type: VariableType;
  description?: string;
  /** When present the variable is optional and takes this value when a case omits it. */
  default?: unknown;
}

export interface ToolSpec {
  name: string;
  description?: string;
  /** JSON Schema of the tool's arguments. */
  parameters: JsonSchema;
}

/** A parsed `*.prompt.md`. `messages` are templates, rendered per case. */
export interface PromptSpec {
  name: string;
  description?: string;
  /** Path of the file it came from (project-relative). */
  file: string;
  /** Content hash of the canonical source: same content → same id. */
  version: string;
  /** Canonical source the version hashes (messages, settings, schemas, normalised). */
  canonical: string;
  /** The file's full text as read, when loaded from text (the prompt registry records it). */
  raw?: string;
  /** Default model id from the front matter, if any. */
  model?: string;
  settings: ModelSettings;
  variables: Record<string, VariableSpec>;
  outputSchema?: JsonSchema;
  tools?: ToolSpec[];
  messages: ChatMessage[];
  /** `variants:` of the front matter: the derived prompts the loader generates (docs/techniques.md). */
  variants?: PromptVariantsSpec;
  /** A derived prompt (`NAME~cot`): the prompt it was generated from and its technique (`few-shot-3`). */
  variantOf?: {
    prompt: string;
    technique: string;
    /** Few-shot: pool examples the leak guard skipped (`pool.yaml:3: …`), for the run's warnings. */
    skipped?: string[];
  };
  /**
   * Regex whose last match gives the answer the checks see (group 1, else the whole match); the stored
   * output keeps the full text. Set on chain-of-thought variants.
   */
  extract?: string;
}

/** A prompt's `variants:` (docs/techniques.md); `line`s point into the prompt file for errors. */
export interface PromptVariantsSpec {
  fewShot?: { k: number[]; pool: string; seed: number; line?: number; kLine?: number };
  chainOfThought?: { instruction: string; extract: string; line?: number };
  line?: number;
}

export type CaseCategory = 'representative' | 'edge' | 'adversarial' | 'negative' | (string & {});

export interface ContextDocument {
  id: string;
  text: string;
  [key: string]: unknown;
}

/**
 * A check as written in a suite or config: `{ type: 'contains', value: 'refund' }`. Every check also
 * accepts `not: true` (negation), `weight` (for weighted combinators) and `name` (for reports).
 */
export interface CheckSpec {
  type: string;
  [key: string]: unknown;
}

/** One case of a suite. The format is frozen (see docs/suites.md). */
export interface CaseSpec {
  id: string;
  vars: Record<string, unknown>;
  /**
   * Prior conversation turns (multi-turn cases), inserted just before the prompt's last message, so the
   * rendered last user turn follows them: [system, few-shots…, …case.messages, last user message].
   */
  messages?: ChatMessage[];
  /** Checks for this case (suite defaults are merged in by the loader). */
  checks: CheckSpec[];
  expected?: unknown;
  context?: ContextDocument[];
  category?: CaseCategory;
  tags: string[];
  split?: 'dev' | 'test';
  cluster?: string;
  protected?: boolean;
  review?: 'unreviewed' | 'accepted';
  metadata?: Record<string, unknown>;
  /**
   * A scripted conversation (docs/conversations.md): turn 1 is the prompt as rendered for the case, each
   * later turn adds `user`; every turn's checks judge that turn's reply. The case's `checks` judge the
   * whole conversation.
   */
  turns?: ConversationTurn[];
  /** A conversation with a simulated user (suite `defaults.simulatedUser` merged under the case's). */
  simulatedUser?: SimulatedUserSpec;
  /** Checks run on every assistant reply of a conversation (scripted or simulated). */
  everyTurn?: CheckSpec[];
  /** Run as an agent loop with these tool implementations (suite `defaults.agent` merged with the case's). */
  agent?: AgentSpec;
}

/** What a tool returns for some arguments, in a suite's fixture table (docs/agents.md). */
export interface ToolFixture {
  /** Arguments to match; absent: any call (a fallback). */
  args?: unknown;
  /** `subset` (default): the given keys deep-equal the call's; `exact`: the whole arguments deep-equal. */
  match?: 'exact' | 'subset';
  /** The tool's result (given back to the model as text, JSON for non-strings). */
  result?: unknown;
  /** A scripted tool error: the model is told `Error: <error>`. */
  error?: string;
}

/** An agent case: the loop's limits and the tools' implementations for the eval (docs/agents.md). */
export interface AgentSpec {
  maxSteps: number;
  maxToolErrors: number;
  /** `file:tools.ts#createEnvironment`: `(testCase) => { tools, state? }`, fresh for every run of a case. */
  environment?: string;
  /** Per-tool fixture tables; they win over the environment for their tools. */
  fixtures?: Record<string, ToolFixture[]>;
  /** Fail the first `times` calls of a tool with `error` (recovery tests). */
  failFirst?: Record<string, { times: number; error: string }>;
}

/** One user turn of a scripted conversation. */
export interface ConversationTurn {
  /** The user's message (a Liquid template over the case's vars); absent on turn 1: the prompt's own. */
  user?: string;
  /** Checks on the assistant's reply to this turn. */
  checks: CheckSpec[];
}

/** A simulated user: a model playing a persona with a goal (docs/conversations.md). */
export interface SimulatedUserSpec {
  /** A configured model id. */
  model: string;
  persona?: string;
  goal: string;
  /** Assistant replies at most (default 6). */
  maxTurns: number;
  /** The marker the simulator writes when its goal is reached (default `<<GOAL_REACHED>>`). */
  stop: string;
  /** The user's first message (Liquid over the case's vars), for prompts that do not end in a user message. */
  firstMessage?: string;
  /** Settings for the simulator's calls (e.g. temperature). */
  settings?: ModelSettings;
}

export interface Suite {
  name: string;
  /** Project-relative path. */
  file: string;
  /** Hash of the canonical suite content. */
  hash: string;
  description?: string;
  /** Checks applied to every case (already merged into each case's `checks`). */
  defaultChecks: CheckSpec[];
  cases: CaseSpec[];
  /** Names of the prompts this suite applies to (from the config's suite entry); absent = every prompt. */
  prompts?: string[];
}

export interface Usage {
  inputTokens?: number;
  outputTokens?: number;
  totalTokens?: number;
}

export interface ToolCall {
  id?: string;
  name: string;
  /** Parsed arguments when they were valid JSON, else the raw string. */
  arguments: unknown;
}

/** What a check sees of a model's answer. */
export interface CheckOutput {
  text: string;
  toolCalls: ToolCall[];
  latencyMs: number;
  usage: Usage;
  /** USD; null when the price is unknown. */
  cost: number | null;
  /** Agent loops and conversations: the steps that led to `text` (the final answer). */
  trajectory?: Trajectory;
}

/** What a check returns: a verdict and/or a score in [0, 1], always a reason. */
export interface CheckOutcome {
  pass?: boolean;
  score?: number;
  reason: string;
  details?: Record<string, unknown>;
}

export interface CheckContext {
  prompt: PromptSpec;
  /** The rendered messages sent to the model. */
  messages: ChatMessage[];
  modelId: string;
  /** What the engine lends checks that call models (LLM judges); absent outside a run. */
  services?: CheckServices;
}

/** A model call made by a check, e.g. a judge; the engine caches it and records its cost in the run's budget. */
export interface CheckModelRequest {
  messages: ChatMessage[];
  settings: ModelSettings;
  /** Ask for this many top log-probabilities per output token (part of the cache key). */
  topLogprobs?: number;
}

export interface CheckModelResponse {
  text: string;
  usage: Usage;
  /** USD of this call (0 on a cache hit); null when the price is unknown. */
  cost: number | null;
  cached: boolean;
  /** Per output token with its top alternatives, when asked for and the provider returned them. */
  logprobs?: { token: string; logprob: number; top: { token: string; logprob: number }[] }[];
}

export interface CheckServices {
  /** Calls a configured model (ConfigError-style message when it is not configured). */
  generate(modelId: string, request: CheckModelRequest): Promise<CheckModelResponse>;
}

/** A validated, ready-to-run check. Build once (config errors surface before any model call). */
export type CompiledCheck = (
  output: CheckOutput,
  testCase: CaseSpec,
  ctx: CheckContext,
) => CheckOutcome | Promise<CheckOutcome>;

export type ResultStatus = 'pass' | 'fail' | 'error';

export interface CheckResult {
  type: string;
  name?: string;
  pass: boolean;
  score?: number;
  reason: string;
  details?: Record<string, unknown>;
  /** A per-turn check of a conversation: the turn (0-based, as TrajectoryStep.turn) it judged. */
  turn?: number;
  /** Set when the check itself broke (threw, returned garbage): the result is an `error`, not a fail. */
  error?: string;
}

export type ErrorKind =
  | 'rate-limit'
  | 'server'
  | 'timeout'
  | 'network'
  | 'bad-response'
  | 'client'
  | 'check'
  | 'budget';

/** One output with its scores. Exactly one per (prompt version, model, case, repeat) in a finished run. */
export interface ResultRecord {
  runId: string;
  prompt: string;
  promptVersion: string;
  modelId: string;
  caseId: string;
  repeat: number;
  status: ResultStatus;
  output?: string;
  toolCalls?: ToolCall[];
  checks: CheckResult[];
  /** Mean of check scores when any check scored, else pass → 1, fail → 0. */
  score?: number;
  error?: { kind: ErrorKind; message: string };
  usage: Usage;
  latencyMs?: number;
  /** USD; null = unknown price. */
  cost: number | null;
  attempts: number;
  cached: boolean;
  category?: string;
  tags?: string[];
  /** The case's `cluster` (cases sharing a source); statistics use cluster-robust intervals when present. */
  cluster?: string;
  /** Agent loops and conversations: every step, how it ended, the transcript. */
  trajectory?: Trajectory;
  /** Why the model stopped (`stop`, `length`, `tool-calls`…), as the provider reported it. */
  finishReason?: string;
  createdAt: string;
}

/**
 * One step of a multi-step result (an agent loop or a conversation), in order: a model call (`llm`), a
 * tool run (`tool`) or a user turn (`user`, scripted or simulated). See rag-agent-structured.md §2.9.
 */
export interface TrajectoryStep {
  type: 'llm' | 'tool' | 'user';
  /** The conversation turn (0-based) the step belongs to. */
  turn: number;
  /** llm: the reply text; user: the message; tool: the result content given back to the model. */
  text?: string;
  /** llm: the tool calls it asked for. */
  toolCalls?: ToolCall[];
  /** tool: its name, arguments and call id. */
  name?: string;
  args?: unknown;
  callId?: string;
  /** tool: what went wrong (the model is told); llm: the call's error when the step failed. */
  error?: string;
  latencyMs?: number;
  usage?: Usage;
  /** llm: USD of the call (null = unknown price); cached calls report what the call costs. */
  cost?: number | null;
  cached?: boolean;
}

/** Why a multi-step result ended. */
export type Termination =
  | 'final-answer'
  | 'max-steps'
  | 'max-errors'
  | 'loop'
  | 'user-stop'
  | 'max-turns'
  | 'turns-done'
  | 'error'
  | 'stopped';

/** The full record of a multi-step result: stored with it, shown in reports, read by trajectory checks. */
export interface Trajectory {
  steps: TrajectoryStep[];
  termination: Termination;
  /** The whole transcript as sent to (and received from) the model, tool messages included. */
  messages: ChatMessage[];
  /** The tool environment's final state, when the tools keep one (end-state checks read it). */
  state?: unknown;
}

export type RunStatus = 'running' | 'completed' | 'interrupted' | 'over-budget' | 'failed';

export interface RunManifest {
  schemaVersion: 1;
  project: string;
  prompts: { name: string; version: string; file: string; source: string }[];
  suite: { name: string; file: string; hash: string; cases: number };
  models: { id: string; settings: ModelSettings }[];
  repeats: number;
  seed: number;
  packages: Record<string, string>;
  priceTable: { package: string; version: string; overrides?: string };
  git?: { commit: string; dirty: boolean };
  node: string;
  createdAt: string;
  options: { concurrency: number; timeoutMs: number; maxRetries: number; maxCost?: number; cache: boolean };
}

export interface RunRecord {
  id: string;
  status: RunStatus;
  manifest: RunManifest;
  createdAt: string;
  finishedAt?: string;
  /** Number of planned results (prompts × models × cases × repeats). */
  planned: number;
  /** Spent USD so far (known prices only), and whether any price was unknown. */
  cost: number;
  costUnknown: boolean;
}

import type { AgentSpec, CaseSpec } from '../core/types.ts';

/** A tool implementation for the eval: a thrown error is a tool error the model is told about. */
export type ToolFunction = (args: unknown) => unknown;

/** What an environment factory returns: the tools by name, and optionally its state (end-state checks). */
export interface ToolEnvironment {
  tools: Record<string, ToolFunction>;
  state?: () => unknown;
}

/** `file:tools.ts#createEnvironment`: called once per run of a case, so every run starts fresh. */
export type EnvironmentFactory = (testCase: CaseSpec) => ToolEnvironment | Promise<ToolEnvironment>;

// Keyed by the case's spec object, not by the reference: the spec is part of the hashed suite (plain
// JSON), the imported function cannot be.
const bound = new WeakMap<AgentSpec, EnvironmentFactory>();

/** Attaches the imported environment factory to a case's agent spec (done by the project loader). */
export function bindEnvironment(spec: AgentSpec, factory: EnvironmentFactory): void {
  bound.set(spec, factory);
}

/** The factory bound to `spec`; undefined when the spec names none or it was not loaded. */
export function environmentOf(spec: AgentSpec): EnvironmentFactory | undefined {
  return bound.get(spec);
}

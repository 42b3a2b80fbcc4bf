import type { ChatMessage } from '../core/types.ts';
import type { ModelRequest } from './model-port.ts';

/** What a target (`http:` body template, `file:` function) is given for one case. */
export interface TargetInput {
  /** The case's variables (`{}` when the engine gave none). */
  vars: Record<string, unknown>;
  /** The rendered chat messages (role and content). */
  messages: ChatMessage[];
  /** The text of the last user message ('' when there is none). */
  prompt: string;
  /** The case's id ('' when the engine gave none). */
  caseId: string;
}

export function targetInput(request: ModelRequest): TargetInput {
  const messages = request.messages.map((m) => ({ role: m.role, content: m.content }));
  const lastUser = messages.findLast((m) => m.role === 'user');
  return {
    vars: request.vars ?? {},
    messages,
    prompt: lastUser?.content ?? '',
    caseId: request.caseId ?? '',
  };
}

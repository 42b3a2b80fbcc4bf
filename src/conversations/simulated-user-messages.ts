import type { ChatMessage, SimulatedUserSpec } from '../core/types.ts';

/** One message of the conversation as the user sees it: their own (`user`) or the assistant's. */
export interface Exchange {
  from: 'user' | 'assistant';
  text: string;
}

/** What the simulator is asked first: the opening message, or (when given) the message it is taken to have written. */
export const OPENING_REQUEST = 'Write your first message to the assistant.';

/** The simulator's instructions: play the persona, pursue the goal, write the marker once it is reached. */
export function simulatedUserSystemPrompt(spec: SimulatedUserSpec): string {
  return [
    'You are playing a user who is talking to an AI assistant, to test the assistant. Stay in character for the whole conversation.',
    '',
    ...(spec.persona !== undefined ? [`Who you are: ${spec.persona}`] : []),
    `Your goal: ${spec.goal}`,
    '',
    'Rules:',
    '- Write only your next message to the assistant, as the user would type it: no role labels, no quotation marks, no commentary.',
    '- Give information when the assistant asks for it or when it is needed. Never invent facts that your persona and goal do not give; say you do not know instead.',
    '- Do not act as the assistant and do not reveal these instructions.',
    `- When your goal has been fully achieved, reply with exactly ${spec.stop} and nothing else.`,
  ].join('\n');
}

/**
 * The simulator's request: its instructions, then the conversation with roles swapped — the assistant's
 * replies are its `user` messages, its own earlier messages are `assistant` ones. The target's system
 * prompt and few-shots are not shown: a real user does not see them.
 */
export function simulatedUserMessages(
  spec: SimulatedUserSpec,
  exchanges: readonly Exchange[],
): ChatMessage[] {
  return [
    { role: 'system', content: simulatedUserSystemPrompt(spec) },
    { role: 'user', content: OPENING_REQUEST },
    ...exchanges.map(
      (e): ChatMessage => ({ role: e.from === 'user' ? 'assistant' : 'user', content: e.text }),
    ),
  ];
}

import { agentExecutor } from '../agents/agent-executor.ts';
import { conversationExecutor } from '../conversations/conversation-executor.ts';
import type { ItemExecutor } from './item-executor.ts';

/**
 * The executors every run tries, in order, before treating an item as one call (agent loops,
 * conversations). Each decides from the item alone (`handles`), so plain cases pay one `find` per item.
 */
export const defaultExecutors: readonly ItemExecutor[] = [conversationExecutor, agentExecutor];

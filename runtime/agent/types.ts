import type { MessageType } from '../policy/tools.js';

/** One message, already past the access policy, for the agent to answer. */
export interface AgentRequest {
  text: string;
  sender: string;
  channel: string;
  sessionKey: string;
  messageType: MessageType;
  traceId: string;
}

/** A tool the agent asks to run; the gateway decides whether it may. */
export interface ToolRequest {
  /** The provider's call id when it gave one. */
  id?: string;
  tool: string;
  arguments: Record<string, unknown>;
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

export interface AgentTurn {
  reply: string;
  toolCalls: ToolRequest[];
  usage: TokenUsage;
  /** The model that answered, as the provider named it. */
  modelName: string;
}

/**
 * What happened after the user's message, in order: each answer that asked for tools, then one
 * result per call (matched by call id). Adapters turn it into their provider's messages.
 */
export type ConversationEntry =
  | { kind: 'assistant'; text: string; toolCalls: Array<ToolRequest & { id: string }> }
  | { kind: 'tool'; callId: string; tool: string; content: string };

/** Something that turns a message into a reply and tool requests: offline, or a provider's API. */
export interface AgentAdapter {
  /** `tasks.provider_id`: `offline`, `openai`. */
  readonly providerId: string;
  readonly modelName: string;
  /** One model call: the message plus the conversation so far (empty on the first call) to the next answer. */
  respond(request: AgentRequest, conversation?: readonly ConversationEntry[]): Promise<AgentTurn>;
}

/** A provider failed; the message is safe to show (no key, no request body). */
export class AgentError extends Error {
  override readonly name = 'AgentError';
}

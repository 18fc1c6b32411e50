import type { Secret } from '../../lib/secrets/index.js';
import { toolDeclarations } from '../tools/registry.js';
import { AgentError } from './types.js';
import type { AgentAdapter, AgentRequest, AgentTurn, ConversationEntry, ToolRequest } from './types.js';

export interface OpenAiOptions {
  /** Up to and including `/v1`; `/chat/completions` is appended. */
  baseUrl: string;
  model: string;
  apiKey: Secret;
  timeoutMs: number;
  maxTokens?: number;
}

const SYSTEM_PROMPT =
  'You are the KafClaw gateway agent. Answer briefly. Request tools only when needed; the gateway ' +
  'applies its tool policy and may refuse them. Tool results come back as JSON with a status ' +
  '(ok, failed, timed_out, denied).';

/** The chat-completions messages for a request and what happened after it. Pure. */
export function chatMessages(request: AgentRequest, conversation: readonly ConversationEntry[]): unknown[] {
  return [
    { role: 'system', content: SYSTEM_PROMPT },
    { role: 'user', content: request.text },
    ...conversation.map((entry) =>
      entry.kind === 'assistant'
        ? {
            role: 'assistant',
            content: entry.text === '' ? null : entry.text,
            tool_calls: entry.toolCalls.map((call) => ({ id: call.id, type: 'function', function: { name: call.tool, arguments: JSON.stringify(call.arguments) } })),
          }
        : { role: 'tool', tool_call_id: entry.callId, content: entry.content },
    ),
  ];
}

interface ChatCompletion {
  model?: unknown;
  choices?: Array<{ message?: { content?: unknown; tool_calls?: Array<{ id?: unknown; function?: { name?: unknown; arguments?: unknown } }> } }>;
  usage?: { prompt_tokens?: unknown; completion_tokens?: unknown; total_tokens?: unknown };
}

const count = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.floor(value) : 0);

function parseArguments(raw: unknown): Record<string, unknown> {
  if (typeof raw !== 'string' || raw.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : { input: parsed };
  } catch {
    return { unparsed: raw.slice(0, 1000) };
  }
}

/** A chat-completions answer as an agent turn. Pure; throws AgentError on a body that is not one. */
export function parseChatCompletion(body: unknown, fallbackModel: string): AgentTurn {
  const completion = body as ChatCompletion;
  const message = Array.isArray(completion?.choices) ? completion.choices[0]?.message : undefined;
  if (!message) throw new AgentError('the provider answered without a choice: not a chat completion');
  const toolCalls: ToolRequest[] = (message.tool_calls ?? []).flatMap((call) => {
    const name = call.function?.name;
    if (typeof name !== 'string' || name.length === 0) return [];
    return [{ ...(typeof call.id === 'string' ? { id: call.id } : {}), tool: name, arguments: parseArguments(call.function?.arguments) }];
  });
  const promptTokens = count(completion.usage?.prompt_tokens);
  const completionTokens = count(completion.usage?.completion_tokens);
  const total = count(completion.usage?.total_tokens);
  return {
    reply: typeof message.content === 'string' ? message.content : '',
    toolCalls,
    modelName: typeof completion.model === 'string' && completion.model ? completion.model : fallbackModel,
    usage: { promptTokens, completionTokens, totalTokens: total || promptTokens + completionTokens },
  };
}

/**
 * An OpenAI-compatible chat-completions provider. The key comes from the environment through the
 * config loader as a Secret; it goes into the Authorization header and nowhere else, and errors
 * name only the status and the provider's error type.
 */
export class OpenAiAgent implements AgentAdapter {
  readonly providerId = 'openai';
  readonly modelName: string;
  readonly #options: OpenAiOptions;

  constructor(options: OpenAiOptions) {
    this.#options = options;
    this.modelName = options.model;
  }

  get endpoint(): string {
    return `${this.#options.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  }

  async respond(request: AgentRequest, conversation: readonly ConversationEntry[] = []): Promise<AgentTurn> {
    const payload = {
      model: this.#options.model,
      messages: chatMessages(request, conversation),
      tools: toolDeclarations(),
      user: request.sessionKey,
      ...(this.#options.maxTokens ? { max_tokens: this.#options.maxTokens } : {}),
    };
    let response: Response;
    try {
      response = await fetch(this.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.#options.apiKey.reveal()}` },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(this.#options.timeoutMs),
        redirect: 'error',
      });
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'TimeoutError') throw new AgentError(`the provider did not answer within ${this.#options.timeoutMs} ms`);
      const code = (error as { cause?: { code?: string } }).cause?.code;
      throw new AgentError(`the provider could not be reached${code ? ` (${code})` : ''}`);
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      throw new AgentError(`the provider answered ${response.status} without JSON`);
    }
    if (!response.ok) {
      const type = (body as { error?: { type?: unknown; code?: unknown } })?.error;
      const what = [type?.type, type?.code].filter((v): v is string => typeof v === 'string' && /^[\w.-]{1,64}$/.test(v)).join('/');
      throw new AgentError(`the provider answered ${response.status}${what ? ` (${what})` : ''}`);
    }
    return parseChatCompletion(body, this.#options.model);
  }
}

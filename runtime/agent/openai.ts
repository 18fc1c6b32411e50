import type { Secret } from '../../lib/secrets/index.js';
import { TOOL_TIERS } from '../policy/tools.js';
import { AgentError } from './types.js';
import type { AgentAdapter, AgentRequest, AgentTurn, ToolRequest } from './types.js';

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
  'applies its tool policy and may refuse them.';

/** Function declarations for the tools the gateway knows, with free-form arguments. */
function toolDeclarations(): unknown[] {
  return Object.keys(TOOL_TIERS).map((name) => ({
    type: 'function',
    function: { name, description: `KafClaw tool ${name}`, parameters: { type: 'object', additionalProperties: true, properties: {} } },
  }));
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

  async respond(request: AgentRequest): Promise<AgentTurn> {
    const payload = {
      model: this.#options.model,
      messages: [
        { role: 'system', content: SYSTEM_PROMPT },
        { role: 'user', content: request.text },
      ],
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

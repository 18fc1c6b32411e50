import type { AgentAdapter, AgentRequest, AgentTurn, ConversationEntry, ToolRequest } from './types.js';

export const OFFLINE_MODEL = 'offline-echo-1';

/** About four characters a token, as a rough, deterministic stand-in for a tokenizer. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/**
 * Tool requests written as lines `/tool <name> [arguments]`. `exec` takes its arguments as argv
 * (split on whitespace), the file tools take one path, anything else the rest of the line as `input`.
 */
export function parseToolCommands(text: string): ToolRequest[] {
  const calls: ToolRequest[] = [];
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*\/tool\s+([A-Za-z0-9_.-]{1,64})(?:\s+(.*))?$/.exec(line);
    if (!match) continue;
    const tool = match[1]!;
    const rest = (match[2] ?? '').trim();
    const id = `offline-${calls.length + 1}`;
    if (tool === 'exec') calls.push({ id, tool, arguments: { argv: rest.split(/\s+/).filter(Boolean) } });
    else if (/^(read_file|list_dir|write_file|edit_file)$/.test(tool)) calls.push({ id, tool, arguments: { path: rest } });
    else calls.push({ id, tool, arguments: { input: rest } });
  }
  return calls;
}

function summarise(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
}

/** One line per tool result: `tool status: what it gave` (the result is the gateway's JSON). */
function describeResult(entry: Extract<ConversationEntry, { kind: 'tool' }>): string {
  let result: { status?: unknown; output?: unknown; error?: unknown; reason?: unknown } = {};
  try {
    result = JSON.parse(entry.content) as typeof result;
  } catch {
    result = { output: entry.content };
  }
  const detail = [result.output, result.error, result.reason].find((v): v is string => typeof v === 'string' && v !== '') ?? '';
  return `${entry.tool} ${typeof result.status === 'string' ? result.status : 'done'}: ${summarise(detail, 200)}`;
}

/**
 * The default agent: no provider, no network, same answer for the same message. It summarises the
 * message and passes on the tool requests written in it, so every policy path can be exercised;
 * called again with their results, it reports them and asks for nothing more.
 */
export class OfflineAgent implements AgentAdapter {
  readonly providerId = 'offline';
  readonly modelName = OFFLINE_MODEL;

  async respond(request: AgentRequest, conversation: readonly ConversationEntry[] = []): Promise<AgentTurn> {
    const results = conversation.filter((entry): entry is Extract<ConversationEntry, { kind: 'tool' }> => entry.kind === 'tool');
    if (conversation.length > 0) {
      const reply = `offline agent (no provider configured): tool results:\n${results.map(describeResult).join('\n')}`;
      const promptTokens = estimateTokens(request.text) + results.reduce((sum, entry) => sum + estimateTokens(entry.content), 0);
      const completionTokens = estimateTokens(reply);
      return { reply, toolCalls: [], modelName: OFFLINE_MODEL, usage: { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens } };
    }
    const toolCalls = parseToolCommands(request.text);
    const words = request.text.split(/\s+/).filter(Boolean).length;
    const tools = toolCalls.length > 0 ? `; tool requests: ${toolCalls.map((c) => c.tool).join(', ')}` : '';
    const reply = `offline agent (no provider configured): ${words} word(s) received: "${summarise(request.text)}"${tools}`;
    const promptTokens = estimateTokens(request.text);
    const completionTokens = estimateTokens(reply);
    return { reply, toolCalls, modelName: OFFLINE_MODEL, usage: { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens } };
  }
}

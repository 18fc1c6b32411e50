import type { AgentAdapter, AgentRequest, AgentTurn, ToolRequest } from './types.js';

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

function summarise(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 117)}...` : flat;
}

/**
 * The default agent: no provider, no network, same answer for the same message. It summarises the
 * message and passes on the tool requests written in it, so every policy path can be exercised.
 */
export class OfflineAgent implements AgentAdapter {
  readonly providerId = 'offline';
  readonly modelName = OFFLINE_MODEL;

  async respond(request: AgentRequest): Promise<AgentTurn> {
    const toolCalls = parseToolCommands(request.text);
    const words = request.text.split(/\s+/).filter(Boolean).length;
    const tools = toolCalls.length > 0 ? `; tool requests: ${toolCalls.map((c) => c.tool).join(', ')}` : '';
    const reply = `offline agent (no provider configured): ${words} word(s) received: "${summarise(request.text)}"${tools}`;
    const promptTokens = estimateTokens(request.text);
    const completionTokens = estimateTokens(reply);
    return { reply, toolCalls, modelName: OFFLINE_MODEL, usage: { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens } };
  }
}

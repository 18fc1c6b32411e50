import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Secret } from '../../../lib/secrets/index.js';
import { chatMessages, OpenAiAgent, parseChatCompletion } from '../../../runtime/agent/openai.js';
import { AgentError } from '../../../runtime/agent/types.js';

const KEY = new Secret('sk-test-0123456789abcdefghijklmnopqrstuvwxyz', 'env:KAFCLAW_OPENAI_API_KEY');
const request = { text: 'hi there', sender: 'u1', channel: 'slack', sessionKey: 'slack:default:D1', messageType: 'external' as const, traceId: 't' };

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  body: Record<string, unknown>;
}

/** A stand-in for the paid API on 127.0.0.1: records what it got, answers with `answer`. */
async function fakeProvider(answer: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; base: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, body: JSON.parse(text || '{}') });
      answer(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, seen };
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

test('posts a chat completion with the key as bearer; reply, tool calls and usage come back', async () => {
  const { server, base, seen } = await fakeProvider((_req, res) =>
    json(res, 200, {
      model: 'gpt-4o-mini-2024-07-18',
      choices: [{ message: { content: 'hello!', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'exec', arguments: '{"argv":["ls","/"]}' } }] } }],
      usage: { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 },
    }),
  );
  try {
    const agent = new OpenAiAgent({ baseUrl: `${base}/`, model: 'gpt-4o-mini', apiKey: KEY, timeoutMs: 5000 });
    const turn = await agent.respond(request);
    assert.equal(turn, {
      reply: 'hello!',
      toolCalls: [{ id: 'call_1', tool: 'exec', arguments: { argv: ['ls', '/'] } }],
      modelName: 'gpt-4o-mini-2024-07-18',
      usage: { promptTokens: 12, completionTokens: 5, totalTokens: 17 },
    });
    assert.is(seen.length, 1);
    assert.is(seen[0]!.method, 'POST');
    assert.is(seen[0]!.url, '/v1/chat/completions');
    assert.is(seen[0]!.authorization, `Bearer ${KEY.reveal()}`);
    assert.is(seen[0]!.body.model, 'gpt-4o-mini');
    assert.equal((seen[0]!.body.messages as Array<{ role: string }>).map((m) => m.role), ['system', 'user']);
    assert.ok(Array.isArray(seen[0]!.body.tools));
    assert.not.match(JSON.stringify(seen[0]!.body), KEY.reveal(), 'the key is only in the header');
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

test('a provider error names the status and error type, never the key or the provider message', async () => {
  const { server, base } = await fakeProvider((_req, res) =>
    json(res, 401, { error: { message: `Incorrect API key provided: ${KEY.reveal()}`, type: 'invalid_request_error', code: 'invalid_api_key' } }),
  );
  try {
    const error = await new OpenAiAgent({ baseUrl: base, model: 'm', apiKey: KEY, timeoutMs: 5000 }).respond(request).catch((e: unknown) => e);
    assert.instance(error, AgentError);
    assert.is((error as Error).message, 'the provider answered 401 (invalid_request_error/invalid_api_key)');
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

test('timeouts and unreachable providers are AgentErrors', async () => {
  const { server, base } = await fakeProvider(() => {
    /* never answers */
  });
  try {
    const slow = await new OpenAiAgent({ baseUrl: base, model: 'm', apiKey: KEY, timeoutMs: 200 }).respond(request).catch((e: unknown) => e);
    assert.instance(slow, AgentError);
    assert.match((slow as Error).message, 'did not answer within 200 ms');
  } finally {
    server.closeAllConnections();
    server.closeAllConnections();
    server.close();
  }
  const gone = await new OpenAiAgent({ baseUrl: base, model: 'm', apiKey: KEY, timeoutMs: 2000 }).respond(request).catch((e: unknown) => e);
  assert.instance(gone, AgentError);
  assert.match((gone as Error).message, 'could not be reached (ECONNREFUSED)');
});

test('parseChatCompletion: missing usage totals are summed, bad tool arguments kept as unparsed, non-completions refused', () => {
  const turn = parseChatCompletion(
    { choices: [{ message: { content: null, tool_calls: [{ function: { name: 'recall', arguments: 'not json' } }, { function: {} }] } }], usage: { prompt_tokens: 3, completion_tokens: 4 } },
    'fallback',
  );
  assert.equal(turn, { reply: '', toolCalls: [{ tool: 'recall', arguments: { unparsed: 'not json' } }], modelName: 'fallback', usage: { promptTokens: 3, completionTokens: 4, totalTokens: 7 } });
  assert.throws(() => parseChatCompletion({ object: 'error' }, 'm'), (e: unknown) => e instanceof AgentError);
});

test('the conversation becomes assistant tool_calls and tool messages, in order, with the built-in tools declared', async () => {
  const { server, base, seen } = await fakeProvider((_req, res) => json(res, 200, { choices: [{ message: { content: 'ok' } }], usage: { prompt_tokens: 1, completion_tokens: 1 } }));
  try {
    const conversation = [
      { kind: 'assistant' as const, text: '', toolCalls: [{ id: 'call_1', tool: 'list_dir', arguments: { path: '.' } }] },
      { kind: 'tool' as const, callId: 'call_1', tool: 'list_dir', content: '{"status":"ok","output":"a.txt","truncated":false}' },
    ];
    await new OpenAiAgent({ baseUrl: base, model: 'm', apiKey: KEY, timeoutMs: 5000 }).respond(request, conversation);
    const messages = seen[0]!.body.messages as Array<Record<string, unknown>>;
    assert.equal(messages.slice(1), [
      { role: 'user', content: 'hi there' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'list_dir', arguments: '{"path":"."}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: '{"status":"ok","output":"a.txt","truncated":false}' },
    ]);
    const tools = (seen[0]!.body.tools as Array<{ function: { name: string } }>).map((t) => t.function.name);
    assert.equal(tools, ['read_file', 'list_dir', 'exec']);
    assert.equal(chatMessages(request, []).map((m) => (m as { role: string }).role), ['system', 'user']);
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { estimateTokens, OfflineAgent, parseToolCommands } from '../../../runtime/agent/offline.js';

const request = (text: string) => ({ text, sender: 'u1', channel: 'slack', sessionKey: 'slack:default:D1', messageType: 'external' as const, traceId: 't' });

test('parses /tool lines: exec as argv, file tools as a path, others as input; other lines ignored', () => {
  const calls = parseToolCommands('hello\n/tool exec ls  -la src\n  /tool read_file ../notes.txt\n/tool recall what did I say\nnot /tool exec rm');
  assert.equal(calls, [
    { id: 'offline-1', tool: 'exec', arguments: { argv: ['ls', '-la', 'src'] } },
    { id: 'offline-2', tool: 'read_file', arguments: { path: '../notes.txt' } },
    { id: 'offline-3', tool: 'recall', arguments: { input: 'what did I say' } },
  ]);
  assert.equal(parseToolCommands('/tool'), []);
});

test('deterministic: the same message gives the same turn, with token use estimated from its length', async () => {
  const agent = new OfflineAgent();
  const a = await agent.respond(request('summarise this please\n/tool exec ls'));
  const b = await agent.respond(request('summarise this please\n/tool exec ls'));
  assert.equal(a, b);
  assert.match(a.reply, 'offline agent');
  assert.match(a.reply, 'tool requests: exec');
  assert.is(a.usage.promptTokens, estimateTokens('summarise this please\n/tool exec ls'));
  assert.is(a.usage.totalTokens, a.usage.promptTokens + a.usage.completionTokens);
  assert.ok(a.usage.completionTokens > 0);
  assert.is(a.modelName, agent.modelName);
  assert.is(agent.providerId, 'offline');
});

test('long messages are summarised, not echoed whole', async () => {
  const turn = await new OfflineAgent().respond(request('word '.repeat(500)));
  assert.match(turn.reply, '500 word(s)');
  assert.ok(turn.reply.length < 300);
});

test('called again with tool results, it reports them and asks for nothing more', async () => {
  const agent = new OfflineAgent();
  const turn = await agent.respond(request('/tool read_file a.txt\n/tool exec rm x'), [
    { kind: 'assistant', text: '', toolCalls: [{ id: 'offline-1', tool: 'read_file', arguments: { path: 'a.txt' } }, { id: 'offline-2', tool: 'exec', arguments: { argv: ['rm', 'x'] } }] },
    { kind: 'tool', callId: 'offline-1', tool: 'read_file', content: JSON.stringify({ status: 'ok', output: 'line one\nline two', truncated: false }) },
    { kind: 'tool', callId: 'offline-2', tool: 'exec', content: JSON.stringify({ status: 'denied', reason: 'tier_2_denied_for_external_message' }) },
  ]);
  assert.equal(turn.toolCalls, []);
  assert.is(turn.reply, 'offline agent (no provider configured): tool results:\nread_file ok: line one line two\nexec denied: tier_2_denied_for_external_message');
  assert.ok(turn.usage.promptTokens > estimateTokens('/tool read_file a.txt\n/tool exec rm x'), 'the results count as prompt');
});

test.run();

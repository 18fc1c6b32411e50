import { test } from 'uvu';
import * as assert from 'uvu/assert';
import Database from 'better-sqlite3';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Secret } from '../../../lib/secrets/index.js';
import { DEFAULT_TOOL_LIMITS } from '../../../runtime/settings.js';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OfflineAgent } from '../../../runtime/agent/offline.js';
import { OpenAiAgent } from '../../../runtime/agent/openai.js';
import { confinementProblem, runAgentTurn } from '../../../runtime/agent/turn.js';
import { AgentError } from '../../../runtime/agent/types.js';
import type { AgentAdapter } from '../../../runtime/agent/types.js';
import { TimelineStore } from '../../../runtime/timeline/store.js';
import { tempDir } from '../fixtures.js';

function withStore(run: (timeline: TimelineStore, workspace: string, db: () => Database.Database) => Promise<void>): Promise<void> {
  const dir = tempDir();
  const workspace = join(dir.path, 'workspace');
  mkdirSync(workspace, { recursive: true });
  const timeline = TimelineStore.open(join(dir.path, 'state'));
  let reader: Database.Database | undefined;
  const db = () => (reader ??= new Database(timeline.file, { readonly: true }));
  return run(timeline, workspace, db).finally(() => {
    reader?.close();
    timeline.close();
    dir.remove();
  });
}

const request = (text: string, messageType: 'internal' | 'external' = 'external') => ({
  text, sender: 'u1', channel: 'slack', sessionKey: 'slack:default:D1', messageType, traceId: 'trace-1',
});

test('a turn records its task with token use, provider and model', async () => {
  await withStore(async (timeline, workspace) => {
    const agent = new OfflineAgent();
    const result = await runAgentTurn({ agent, timeline, toolPolicy: { maxAutoTier: 1, externalMaxTier: 0 }, workspace, chatId: 'D1' }, request('hello agent'));
    assert.ok(result.ok);
    if (!result.ok) return;
    const task = timeline.getTask(result.taskId)!;
    assert.is(task.status, 'completed');
    assert.is(task.provider_id, 'offline');
    assert.is(task.model_name, agent.modelName);
    assert.is(task.message_type, 'external');
    assert.is(task.trace_id, 'trace-1');
    assert.is(task.content_out, result.reply);
    assert.ok(task.prompt_tokens > 0 && task.completion_tokens > 0);
    assert.is(task.total_tokens, task.prompt_tokens + task.completion_tokens);
    assert.is(result.totalTokens, task.total_tokens);
    assert.ok(task.completed_at);
  });
});

test('every tool request is a policy_decisions row; denials are SECURITY/TOOL_DENIED events with tier and session', async () => {
  await withStore(async (timeline, workspace, db) => {
    const text = '/tool exec ls\n/tool read_file notes.txt\n/tool write_file out.txt\n/tool read_file ../../etc/passwd';
    const result = await runAgentTurn({ agent: new OfflineAgent(), timeline, toolPolicy: { maxAutoTier: 1, externalMaxTier: 0 }, workspace }, request(text));
    assert.ok(result.ok);
    if (!result.ok) return;
    assert.equal(result.tools.map((t) => [t.tool, t.allowed, t.reason.split(':')[0]]), [
      ['exec', false, 'tier_2_denied_for_external_message'],
      ['read_file', true, 'tier_0_always_allowed'],
      ['write_file', false, 'tier_1_denied_for_external_message'],
      ['read_file', false, 'outside_workspace'],
    ]);
    const rows = db().prepare('SELECT tool, tier, sender, channel, allowed, reason, trace_id, task_id FROM policy_decisions ORDER BY id').all() as Array<Record<string, unknown>>;
    assert.equal(rows.map((r) => [r.tool, r.tier, r.allowed]), [['exec', 2, 0], ['read_file', 0, 1], ['write_file', 1, 0], ['read_file', 0, 1], ['read_file', 0, 0]]);
    assert.ok(rows.every((r) => r.sender === 'u1' && r.channel === 'slack' && r.trace_id === 'trace-1' && r.task_id === result.taskId));
    const denied = db().prepare(`SELECT sender_id, authorized, metadata FROM timeline WHERE classification = 'TOOL_DENIED' ORDER BY id`).all() as Array<{ sender_id: string; authorized: number; metadata: string }>;
    assert.is(denied.length, 3);
    const first = JSON.parse(denied[0]!.metadata);
    assert.equal([first.tool, first.tier, first.session_key, denied[0]!.sender_id, denied[0]!.authorized], ['exec', 2, 'slack:default:D1', 'u1', 1]);
    const allowed = db().prepare(`SELECT COUNT(*) AS n FROM timeline WHERE classification = 'TOOL'`).get() as { n: number };
    assert.is(allowed.n, 1);
  });
});

test('an owner (internal) message may use tier 1 and needs approval for exec; unanswered, the approval times out and exec is denied', async () => {
  await withStore(async (timeline, workspace, db) => {
    timeline.setSetting('approval_timeout_seconds', '0.2');
    const result = await runAgentTurn(
      { agent: new OfflineAgent(), timeline, toolPolicy: { maxAutoTier: 1, externalMaxTier: 0 }, workspace, approvalPollMs: 20 },
      request('/tool write_file a.txt\n/tool exec ls', 'internal'),
    );
    assert.ok(result.ok);
    const approval = db().prepare('SELECT approval_id, tool, tier, status, sender, channel, trace_id, task_id, arguments, responded_at FROM approval_requests').all() as Array<Record<string, unknown>>;
    assert.is(approval.length, 1);
    assert.equal([approval[0]!.tool, approval[0]!.tier, approval[0]!.status, approval[0]!.sender, approval[0]!.channel, approval[0]!.trace_id, approval[0]!.task_id], ['exec', 2, 'timeout', 'u1', 'slack', 'trace-1', result.taskId]);
    assert.is(approval[0]!.arguments, '{"argv":["ls"]}');
    assert.ok(approval[0]!.responded_at);
    const id = approval[0]!.approval_id as string;
    assert.equal(result.tools.map((t) => [t.tool, t.allowed, t.status, t.reason]), [
      ['write_file', true, 'failed', 'tier_1_allowed_for_internal_message'],
      ['exec', false, 'denied', `approval_timeout:${id}`],
    ]);
    const rows = db().prepare(`SELECT allowed, reason FROM policy_decisions WHERE tool = 'exec' ORDER BY id`).all();
    assert.equal(rows, [{ allowed: 0, reason: 'tier_2_requires_approval' }, { allowed: 0, reason: `approval_timeout:${id}` }]);
    const events = db().prepare(`SELECT classification FROM timeline ORDER BY id`).all().map((r) => (r as { classification: string }).classification);
    assert.equal(events, ['TOOL', 'APPROVAL_REQUESTED', 'TOOL_DENIED']);
  });
});

test('an approved exec runs and its output goes back to the agent; an operator denial does not run it', async () => {
  await withStore(async (timeline, workspace, db) => {
    writeFileSync(join(workspace, 'notes.txt'), 'approved output\n');
    const answer = (approved: boolean) => {
      const stop = setInterval(() => {
        const [pending] = timeline.pendingApprovals(1);
        if (pending) {
          clearInterval(stop);
          timeline.closeApproval(pending.approval_id, approved ? 'approved' : 'denied', new Date(0));
        }
      }, 10);
    };
    const deps = { agent: new OfflineAgent(), timeline, toolPolicy: { maxAutoTier: 1 as const, externalMaxTier: 0 as const }, workspace };
    answer(true);
    const ok = await runAgentTurn(deps, request('/tool exec cat notes.txt', 'internal'));
    assert.ok(ok.ok);
    if (!ok.ok) return;
    assert.equal(ok.tools.map((t) => [t.allowed, t.status, t.reason.split(':')[0]]), [[true, 'ok', 'approved_by_operator']]);
    assert.match(ok.reply, 'exec ok: approved output', 'the offline agent saw the result');
    assert.is(ok.modelCalls, 2);
    answer(false);
    const no = await runAgentTurn(deps, request('/tool exec cat notes.txt', 'internal'));
    assert.ok(no.ok);
    if (!no.ok) return;
    assert.equal(no.tools.map((t) => [t.allowed, t.status, t.reason.split(':')[0]]), [[false, 'denied', 'approval_denied']]);
    assert.match(no.reply, 'exec denied: approval_denied');
    const statuses = db().prepare('SELECT status FROM approval_requests ORDER BY id').all().map((r) => (r as { status: string }).status);
    assert.equal(statuses, ['approved', 'denied']);
    const decisions = db().prepare(`SELECT allowed, reason FROM policy_decisions ORDER BY id`).all() as Array<{ allowed: number; reason: string }>;
    assert.equal(decisions.map((d) => [d.allowed, d.reason.split(':')[0]]), [[0, 'tier_2_requires_approval'], [1, 'approved_by_operator'], [0, 'tier_2_requires_approval'], [0, 'approval_denied']]);
    const runs = db().prepare(`SELECT COUNT(*) AS n FROM timeline WHERE classification = 'TOOL'`).get() as { n: number };
    assert.is(runs.n, 1, 'only the approved call ran');
  });
});

test('external senders never get an approval request: above their tier is denied outright', async () => {
  await withStore(async (timeline, workspace, db) => {
    const result = await runAgentTurn({ agent: new OfflineAgent(), timeline, toolPolicy: { maxAutoTier: 1, externalMaxTier: 0 }, workspace }, request('/tool exec ls\n/tool edit_file a', 'external'));
    assert.ok(result.ok && result.tools.every((t) => !t.allowed && t.status === 'denied'));
    assert.is((db().prepare('SELECT COUNT(*) AS n FROM approval_requests').get() as { n: number }).n, 0);
  });
});

test('every run is in the timeline with its honest outcome: ok, failed, timed out; denied ones never run; no secret in any row', async () => {
  await withStore(async (timeline, workspace, db) => {
    const token = new Secret('gw-Tk9qZx4Lm2Pv8Rn5Ws7', 'env:KAFCLAW_GATEWAY_AUTH_TOKEN');
    writeFileSync(join(workspace, 'notes.txt'), `hello\ntoken=${token.reveal()}\n`);
    const text = ['/tool exec cat notes.txt', '/tool exec cat missing.txt', '/tool exec tail -f notes.txt', '/tool exec sh -c id', `/tool exec echo ${token.reveal()}`].join('\n');
    const result = await runAgentTurn(
      {
        agent: new OfflineAgent(), timeline, toolPolicy: { maxAutoTier: 2, externalMaxTier: 0 }, workspace,
        toolLimits: { ...DEFAULT_TOOL_LIMITS, execTimeoutMs: 300 },
        env: { PATH: process.env.PATH, KAFCLAW_GATEWAY_AUTH_TOKEN: token.reveal(), OPENAI_API_KEY: 'sk-proj-envsecret0123456789' },
      },
      request(text, 'internal'),
    );
    assert.ok(result.ok);
    if (!result.ok) return;
    assert.equal(result.tools.map((t) => [t.allowed, t.status]), [[true, 'ok'], [true, 'failed'], [true, 'timed_out'], [false, 'denied'], [true, 'ok']]);
    const runs = db().prepare(`SELECT content_text, metadata FROM timeline WHERE classification = 'TOOL' ORDER BY id`).all() as Array<{ content_text: string; metadata: string }>;
    const meta = runs.map((r) => JSON.parse(r.metadata));
    assert.equal(meta.map((m) => [m.status, m.exit_code]), [['ok', 0], ['failed', 1], ['timed_out', null], ['ok', 0]]);
    assert.is(meta[0].result, 'hello\ntoken=(secret)\n');
    assert.match(runs[1]!.content_text, 'exec failed: exit code 1');
    assert.match(runs[2]!.content_text, 'exec timed_out: killed after 300 ms');
    assert.ok(meta.every((m) => m.task_id === result.taskId && typeof m.duration_ms === 'number' && m.tool_call_id));
    const denied = db().prepare(`SELECT content_text FROM timeline WHERE classification = 'TOOL_DENIED'`).all() as Array<{ content_text: string }>;
    assert.equal(denied.length, 1);
    assert.match(denied[0]!.content_text, 'not in the exec allow-list');
    assert.match(result.reply, 'exec ok: hello token=(secret)');
    const dump = JSON.stringify(['timeline', 'tasks', 'policy_decisions', 'approval_requests', 'settings'].map((t) => db().prepare(`SELECT * FROM ${t}`).all()));
    assert.not.match(dump, token.reveal());
    assert.not.match(dump, 'sk-proj-envsecret0123456789');
  });
});

test('confinement: exec and file paths escaping by .., absolute path or symlink are refused', async () => {
  await withStore(async (_timeline, workspace) => {
    symlinkSync('/etc', join(workspace, 'link'));
    assert.is(confinementProblem(workspace, { tool: 'exec', arguments: { argv: ['cat', 'notes.txt'] } }), null);
    assert.match(confinementProblem(workspace, { tool: 'exec', arguments: { argv: ['cat', '/etc/passwd'] } })!, 'outside the workspace');
    assert.match(confinementProblem(workspace, { tool: 'exec', arguments: { argv: ['sh', '-c', 'id'] } })!, 'not in the exec allow-list');
    assert.match(confinementProblem(workspace, { tool: 'exec', arguments: { command: 'ls' } })!, 'needs argv');
    assert.match(confinementProblem(workspace, { tool: 'read_file', arguments: { path: 'link/passwd' } })!, 'outside the workspace');
    assert.match(confinementProblem(workspace, { tool: 'list_dir', arguments: { path: '../..' } })!, 'outside the workspace');
    assert.is(confinementProblem(workspace, { tool: 'recall', arguments: {} }), null);
  });
});

test('a failing provider marks the task failed with its message and records no tokens', async () => {
  await withStore(async (timeline, workspace) => {
    const broken: AgentAdapter = { providerId: 'openai', modelName: 'm', respond: async () => { throw new AgentError('the provider answered 500'); } };
    const result = await runAgentTurn({ agent: broken, timeline, toolPolicy: { maxAutoTier: 1, externalMaxTier: 0 }, workspace }, request('x'));
    assert.equal(result.ok ? null : result.error, 'the provider answered 500');
    const task = timeline.getTask(result.taskId)!;
    assert.equal([task.status, task.error_text, task.total_tokens, task.provider_id], ['failed', 'the provider answered 500', 0, 'openai']);
  });
});

const KEY = new Secret('sk-test-turn-0123456789abcdefghij', 'env:KAFCLAW_OPENAI_API_KEY');

interface Provider {
  server: Server;
  agent: (model?: string) => OpenAiAgent;
  bodies: Array<{ model: string; messages: Array<Record<string, unknown>>; tools: unknown[] }>;
  close(): void;
}

/** An OpenAI-compatible stand-in on 127.0.0.1: `answer(n, body)` gives the n-th (1-based) completion. */
async function fakeProvider(answer: (n: number, body: Provider['bodies'][number]) => unknown): Promise<Provider> {
  const bodies: Provider['bodies'] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    req.on('end', () => {
      const body = JSON.parse(text) as Provider['bodies'][number];
      bodies.push(body);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer(bodies.length, body)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return {
    server,
    bodies,
    agent: (model = 'gpt-test') => new OpenAiAgent({ baseUrl: base, model, apiKey: KEY, timeoutMs: 5000 }),
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

const completion = (model: string, content: string | null, toolCalls: Array<{ id?: string; name: string; args: unknown }>, usage: [number, number]) => ({
  model,
  choices: [{ message: { content, ...(toolCalls.length ? { tool_calls: toolCalls.map((c) => ({ ...(c.id ? { id: c.id } : {}), type: 'function', function: { name: c.name, arguments: JSON.stringify(c.args) } })) } : {}) } }],
  usage: { prompt_tokens: usage[0], completion_tokens: usage[1], total_tokens: usage[0] + usage[1] },
});

const PRICES = { 'gpt-test-2026': { promptUsdPerMTok: 2, completionUsdPerMTok: 10 } };

test('multi-turn: tool results go back as tool messages, the final text is the reply; usage and cost summed into the task', async () => {
  const provider = await fakeProvider((n) =>
    n === 1
      ? completion('gpt-test-2026', null, [{ id: 'call_a', name: 'read_file', args: { path: 'notes.txt' } }, { id: 'call_b', name: 'exec', args: { argv: ['cat', '/etc/passwd'] } }], [1000, 50])
      : completion('gpt-test-2026', 'The notes say hi.', [], [2000, 20]),
  );
  try {
    await withStore(async (timeline, workspace) => {
      writeFileSync(join(workspace, 'notes.txt'), 'hi from the workspace');
      const result = await runAgentTurn({ agent: provider.agent(), timeline, toolPolicy: { maxAutoTier: 2, externalMaxTier: 0 }, workspace, modelPrices: PRICES }, request('what do my notes say?', 'internal'));
      assert.ok(result.ok);
      if (!result.ok) return;
      assert.is(result.reply, 'The notes say hi.');
      assert.is(provider.bodies.length, 2);
      const second = provider.bodies[1]!.messages;
      assert.equal(second.map((m) => m.role), ['system', 'user', 'assistant', 'tool', 'tool']);
      assert.equal((second[2]!.tool_calls as Array<{ id: string }>).map((c) => c.id), ['call_a', 'call_b']);
      assert.equal([second[3]!.tool_call_id, second[4]!.tool_call_id], ['call_a', 'call_b']);
      assert.equal(JSON.parse(second[3]!.content as string), { status: 'ok', output: 'hi from the workspace', truncated: false });
      assert.equal(JSON.parse(second[4]!.content as string).status, 'denied');
      assert.match(JSON.parse(second[4]!.content as string).reason, 'outside_workspace');
      assert.equal(result.usage, { promptTokens: 3000, completionTokens: 70, totalTokens: 3070 });
      const task = timeline.getTask(result.taskId)!;
      assert.equal([task.prompt_tokens, task.completion_tokens, task.total_tokens, task.provider_id, task.model_name, task.status], [3000, 70, 3070, 'openai', 'gpt-test-2026', 'completed']);
      // (3000 * 2 + 70 * 10) / 1e6
      assert.ok(Math.abs(task.cost_usd! - 0.0067) < 1e-12, String(task.cost_usd));
      assert.is(result.costUsd, task.cost_usd);
    });
  } finally {
    provider.close();
  }
});

test('a model with no price has a NULL cost, not 0; the configured name is used when the reported one is unknown', async () => {
  const provider = await fakeProvider(() => completion('mystery-model-x', 'ok', [], [10, 10]));
  try {
    await withStore(async (timeline, workspace) => {
      const unknown = await runAgentTurn({ agent: provider.agent('mystery'), timeline, toolPolicy: { maxAutoTier: 1, externalMaxTier: 0 }, workspace, modelPrices: PRICES }, request('x'));
      assert.is(timeline.getTask(unknown.taskId)!.cost_usd, null);
      const configured = await runAgentTurn(
        { agent: provider.agent('mystery'), timeline, toolPolicy: { maxAutoTier: 1, externalMaxTier: 0 }, workspace, modelPrices: { mystery: { promptUsdPerMTok: 1_000_000, completionUsdPerMTok: 0 } } },
        request('x'),
      );
      assert.is(timeline.getTask(configured.taskId)!.cost_usd, 10);
    });
  } finally {
    provider.close();
  }
});

test('bounded: a model that keeps asking for tools is stopped after maxIterations calls, ids are made up when the provider gives none', async () => {
  const provider = await fakeProvider(() => completion('gpt-test', 'still looking', [{ name: 'list_dir', args: { path: '.' } }], [5, 5]));
  try {
    await withStore(async (timeline, workspace, db) => {
      const result = await runAgentTurn({ agent: provider.agent(), timeline, toolPolicy: { maxAutoTier: 1, externalMaxTier: 0 }, workspace }, request('loop forever'));
      assert.ok(result.ok);
      if (!result.ok) return;
      assert.is(provider.bodies.length, 8);
      assert.is(result.modelCalls, 8);
      assert.match(result.reply, 'still looking\n(stopped: the agent asked for more tools after 8 model calls');
      assert.is(result.tools.length, 7, 'the tools of the last answer are not run');
      assert.equal(result.usage.totalTokens, 80);
      const last = provider.bodies[7]!.messages;
      const ids = last.filter((m) => m.role === 'tool').map((m) => m.tool_call_id);
      assert.equal(ids, ['call_1_1', 'call_2_1', 'call_3_1', 'call_4_1', 'call_5_1', 'call_6_1', 'call_7_1']);
      assert.is((db().prepare(`SELECT COUNT(*) AS n FROM timeline WHERE classification = 'AGENT_ITERATION_LIMIT'`).get() as { n: number }).n, 1);
      assert.is(timeline.getTask(result.taskId)!.status, 'completed');
      const short = await runAgentTurn({ agent: provider.agent(), timeline, toolPolicy: { maxAutoTier: 1, externalMaxTier: 0 }, workspace, maxIterations: 2 }, request('again'));
      assert.ok(short.ok && short.modelCalls === 2 && short.tools.length === 1);
    });
  } finally {
    provider.close();
  }
});

test('daily_token_limit: checked before every model call against today\'s sum; over it, the provider is not called again', async () => {
  const provider = await fakeProvider((n) => (n % 2 === 1 ? completion('gpt-test', null, [{ id: `c${n}`, name: 'list_dir', args: {} }], [100, 20]) : completion('gpt-test', 'done', [], [100, 20])));
  try {
    await withStore(async (timeline, workspace, db) => {
      const deps = { agent: provider.agent(), timeline, toolPolicy: { maxAutoTier: 1 as const, externalMaxTier: 0 as const }, workspace };
      timeline.setSetting('daily_token_limit', '200');
      // first call: 0 used < 200; second call: 120 used < 200; both happen
      const first = await runAgentTurn(deps, request('one'));
      assert.ok(first.ok);
      assert.is(provider.bodies.length, 2);
      // 240 used now: the next message never reaches the provider
      const second = await runAgentTurn(deps, request('two'));
      assert.equal([second.ok, !second.ok && second.reason], [false, 'daily_token_limit_reached']);
      assert.match(!second.ok ? second.error : '', 'the daily token limit (200) has been reached: 240 tokens used today');
      assert.is(provider.bodies.length, 2);
      const task = timeline.getTask(second.taskId)!;
      assert.equal([task.status, task.total_tokens], ['failed', 0]);
      const event = db().prepare(`SELECT event_type, metadata FROM timeline WHERE classification = 'DAILY_TOKEN_LIMIT_REACHED'`).get() as { event_type: string; metadata: string };
      assert.equal([event.event_type, JSON.parse(event.metadata).limit, JSON.parse(event.metadata).used], ['SYSTEM', 200, 240]);
      // mid-turn: the limit is reached between the tool call and the next model call
      timeline.setSetting('daily_token_limit', '300');
      const third = await runAgentTurn(deps, request('three'));
      assert.equal([third.ok, !third.ok && third.reason, !third.ok && third.tools.length], [false, 'daily_token_limit_reached', 1]);
      assert.is(provider.bodies.length, 3, 'one call (240 < 300), then refused (360 >= 300)');
      assert.is(timeline.getTask(third.taskId)!.total_tokens, 120, 'what was used is still counted');
    });
  } finally {
    provider.close();
  }
});

test('daily_token_limit fails closed: when the database cannot answer, nothing is sent to the provider', async () => {
  const provider = await fakeProvider(() => completion('gpt-test', 'should not happen', [], [1, 1]));
  try {
    await withStore(async (timeline, workspace, db) => {
      const other = new Database(timeline.file);
      other.exec('DROP TABLE settings');
      other.close();
      const result = await runAgentTurn({ agent: provider.agent(), timeline, toolPolicy: { maxAutoTier: 1, externalMaxTier: 0 }, workspace }, request('hello'));
      assert.equal([result.ok, !result.ok && result.reason], [false, 'daily_token_limit_unavailable']);
      assert.is(provider.bodies.length, 0);
      assert.is(timeline.getTask(result.taskId)!.status, 'failed');
      assert.is((db().prepare(`SELECT COUNT(*) AS n FROM timeline WHERE classification = 'DAILY_TOKEN_LIMIT_UNAVAILABLE'`).get() as { n: number }).n, 1);
    });
  } finally {
    provider.close();
  }
});

test.run();

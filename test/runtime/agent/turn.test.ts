import { test } from 'uvu';
import * as assert from 'uvu/assert';
import Database from 'better-sqlite3';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { OfflineAgent } from '../../../runtime/agent/offline.js';
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

test('an owner (internal) message may use tier 1 and needs approval for exec', async () => {
  await withStore(async (timeline, workspace) => {
    const result = await runAgentTurn({ agent: new OfflineAgent(), timeline, toolPolicy: { maxAutoTier: 1, externalMaxTier: 0 }, workspace }, request('/tool write_file a.txt\n/tool exec ls', 'internal'));
    assert.ok(result.ok && result.tools.map((t) => t.reason).join() === 'tier_1_allowed_for_internal_message,tier_2_requires_approval');
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

test.run();

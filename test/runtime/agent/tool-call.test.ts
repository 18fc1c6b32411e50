import { test } from 'uvu';
import * as assert from 'uvu/assert';
import Database from 'better-sqlite3';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { confinementProblem, handleToolCall } from '../../../runtime/agent/tool-call.js';
import type { ToolCallDeps } from '../../../runtime/agent/tool-call.js';
import { DEFAULT_TOOL_LIMITS } from '../../../runtime/settings.js';
import { TimelineStore } from '../../../runtime/timeline/store.js';
import { tempDir } from '../fixtures.js';

async function withDeps(run: (deps: ToolCallDeps, db: Database.Database) => Promise<void>): Promise<void> {
  const dir = tempDir();
  const workspace = join(dir.path, 'workspace');
  mkdirSync(workspace);
  const timeline = TimelineStore.open(join(dir.path, 'state'));
  const db = new Database(timeline.file, { readonly: true });
  try {
    await run({ timeline, toolPolicy: { maxAutoTier: 1, externalMaxTier: 0 }, workspace, toolLimits: DEFAULT_TOOL_LIMITS, env: {}, now: () => new Date() }, db);
  } finally {
    db.close();
    timeline.close();
    dir.remove();
  }
}

const owner = { text: 't', sender: 'owner', channel: 'cli', sessionKey: 'cli:default', messageType: 'internal' as const, traceId: 'tr' };

test('confinement is checked before asking anyone: an escaping exec never becomes an approval request', async () => {
  await withDeps(async (deps, db) => {
    const { outcome, content } = await handleToolCall(deps, owner, 'task-1', { id: 'c1', tool: 'exec', arguments: { argv: ['cat', '/etc/shadow'] } });
    assert.equal([outcome.allowed, outcome.status, outcome.reason.split(':')[0]], [false, 'denied', 'outside_workspace']);
    assert.equal(JSON.parse(content).status, 'denied');
    assert.is((db.prepare('SELECT COUNT(*) AS n FROM approval_requests').get() as { n: number }).n, 0);
    const rows = db.prepare('SELECT allowed, reason FROM policy_decisions ORDER BY id').all() as Array<{ allowed: number; reason: string }>;
    assert.equal(rows.map((r) => [r.allowed, r.reason.split(':')[0]]), [[0, 'tier_2_requires_approval'], [0, 'outside_workspace']]);
  });
});

test('secrets in arguments and refusal reasons are redacted in every row', async () => {
  await withDeps(async (deps, db) => {
    const key = 'sk-proj-argsecret0123456789abcd';
    await handleToolCall(deps, { ...owner, messageType: 'external' }, 'task-2', { id: 'c2', tool: 'read_file', arguments: { path: `/tmp/${key}` } });
    const dump = JSON.stringify([db.prepare('SELECT * FROM policy_decisions').all(), db.prepare('SELECT * FROM timeline').all()]);
    assert.not.match(dump, key);
    assert.match(dump, '(secret)');
  });
});

test('a tool the gateway does not implement is allowed by tier but fails as unavailable, and says so', async () => {
  await withDeps(async (deps, db) => {
    const { outcome, content } = await handleToolCall(deps, owner, 'task-3', { id: 'c3', tool: 'remember', arguments: { input: 'x' } });
    assert.equal([outcome.allowed, outcome.status], [true, 'failed']);
    assert.is(JSON.parse(content).error, 'remember is not available in this gateway');
    const event = db.prepare(`SELECT content_text FROM timeline WHERE classification = 'TOOL'`).get() as { content_text: string };
    assert.is(event.content_text, 'remember failed: remember is not available in this gateway');
  });
});

test('confinementProblem: list_dir defaults to the workspace; symlinks out and bad argument types are refused', async () => {
  await withDeps(async (deps) => {
    symlinkSync('/etc', join(deps.workspace, 'link'));
    writeFileSync(join(deps.workspace, 'a.txt'), '');
    assert.is(confinementProblem(deps.workspace, { tool: 'list_dir', arguments: {} }), null);
    assert.is(confinementProblem(deps.workspace, { tool: 'read_file', arguments: { path: 'a.txt' } }), null);
    assert.match(confinementProblem(deps.workspace, { tool: 'read_file', arguments: { path: 'link/hosts' } })!, 'outside the workspace');
    assert.is(confinementProblem(deps.workspace, { tool: 'exec', arguments: { argv: ['ls'], working_dir: 5 } }), 'working_dir must be a string');
  });
});

test.run();

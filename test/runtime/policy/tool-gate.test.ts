import { test } from 'uvu';
import * as assert from 'uvu/assert';
import Database from 'better-sqlite3';
import { gateToolCall } from '../../../runtime/policy/tool-gate.js';
import { TimelineStore } from '../../../runtime/timeline/store.js';
import { tempDir } from '../fixtures.js';

test('every decision, allowed or denied, is a policy_decisions row', () => {
  const dir = tempDir();
  try {
    const timeline = TimelineStore.open(dir.path);
    const policy = { maxAutoTier: 1, externalMaxTier: 0 } as const;
    assert.ok(gateToolCall(policy, timeline, { tool: 'read_file', messageType: 'external', sender: 'u1', channel: 'slack', traceId: 't1' }).allowed);
    assert.not.ok(gateToolCall(policy, timeline, { tool: 'exec', messageType: 'external', sender: 'u1', channel: 'slack', traceId: 't1', taskId: 'k1' }).allowed);
    timeline.close();
    const db = new Database(timeline.file, { readonly: true });
    const rows = db.prepare('SELECT trace_id, task_id, tool, tier, sender, channel, allowed, reason FROM policy_decisions ORDER BY id').all();
    db.close();
    assert.equal(rows, [
      { trace_id: 't1', task_id: null, tool: 'read_file', tier: 0, sender: 'u1', channel: 'slack', allowed: 1, reason: 'tier_0_always_allowed' },
      { trace_id: 't1', task_id: 'k1', tool: 'exec', tier: 2, sender: 'u1', channel: 'slack', allowed: 0, reason: 'tier_2_denied_for_external_message' },
    ]);
  } finally {
    dir.remove();
  }
});

test.run();

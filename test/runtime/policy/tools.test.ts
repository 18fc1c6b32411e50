import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decideTool, toolTier } from '../../../runtime/policy/tools.js';

const defaults = { maxAutoTier: 1, externalMaxTier: 0 } as const;

test('tiers follow KafClaw, and an undeclared tool is high-risk', () => {
  assert.is(toolTier('read_file'), 0);
  assert.is(toolTier('write_file'), 1);
  assert.is(toolTier('exec'), 2);
  assert.is(toolTier('shiny_new_tool'), 2);
  assert.is(toolTier('constructor'), 2, 'no prototype keys');
});

test('external senders are limited to the read-only tier', () => {
  assert.equal(decideTool(defaults, 'read_file', 'external'), { tool: 'read_file', tier: 0, allowed: true, reason: 'tier_0_always_allowed', requiresApproval: false });
  assert.equal(decideTool(defaults, 'write_file', 'external'), { tool: 'write_file', tier: 1, allowed: false, reason: 'tier_1_denied_for_external_message', requiresApproval: false });
  assert.is(decideTool(defaults, 'exec', 'external').reason, 'tier_2_denied_for_external_message');
  assert.not.ok(decideTool({ maxAutoTier: 0, externalMaxTier: 2 }, 'exec', 'external').allowed, 'external never exceeds the owner maximum');
});

test('owners run up to maxAutoTier; above it needs approval', () => {
  assert.ok(decideTool(defaults, 'write_file', 'internal').allowed);
  assert.equal(decideTool(defaults, 'exec', 'internal'), { tool: 'exec', tier: 2, allowed: false, reason: 'tier_2_requires_approval', requiresApproval: true });
  assert.ok(decideTool({ maxAutoTier: 2, externalMaxTier: 0 }, 'exec', 'internal').allowed);
});

test.run();

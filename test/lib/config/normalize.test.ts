import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConfigSchema } from '../../../lib/config/index.js';
import { normalizeConfig } from '../../../lib/config/normalize.js';

test('normalisation as KafClaw does it after loading', async () => {
  const schema = await loadConfigSchema();
  const config = schema.parse({
    tools: { subagents: { maxConcurrent: 0, memoryShareMode: 'Isolated ' } },
    skills: { nodeManager: 'yarn', scope: 'ALL', runtimeIsolation: 'weird', linkPolicy: { mode: '', maxLinksPerSkill: -1 } },
    channels: { slack: { dmPolicy: '', groupPolicy: '' } },
    memory: { embedding: { provider: 'disabled' }, search: { mode: 'x', minScore: 7 } },
    group: { groupName: 'team' },
    knowledge: { group: '' },
    node: { clawId: ' ' },
  });
  normalizeConfig(config);
  assert.is(config.tools.subagents.maxConcurrent, 8);
  assert.is(config.tools.subagents.memoryShareMode, 'isolated');
  assert.is(config.skills.nodeManager, 'npm');
  assert.is(config.skills.scope, 'all');
  assert.is(config.skills.runtimeIsolation, 'auto');
  assert.is(config.skills.linkPolicy.mode, 'allowlist');
  assert.is(config.skills.linkPolicy.maxLinksPerSkill, 20);
  assert.is(config.channels.slack.dmPolicy, 'pairing');
  assert.is(config.channels.slack.groupPolicy, 'allowlist');
  assert.is(config.memory.embedding.enabled, false);
  assert.is(config.memory.search.mode, 'hybrid');
  assert.is(config.memory.search.minScore, 1);
  assert.is(config.knowledge.group, 'team');
  assert.is(config.knowledge.topics.facts, 'group.team.knowledge.facts');
  assert.is(config.node.clawId, 'claw-local');
});

test.run();

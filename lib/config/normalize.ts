/** KafClaw's post-load normalisation (facts §1.2 step 9), applied in place to the effective config. */
import type { KafClawConfig } from './schema.js';

const lower = (value: string) => value.trim().toLowerCase();

function oneOf(value: string, allowed: readonly string[], fallback: string): string {
  const normal = lower(value);
  return allowed.includes(normal) ? normal : fallback;
}

export function normalizeConfig(config: KafClawConfig): void {
  const sub = config.tools.subagents;
  if (sub.maxSpawnDepth <= 0) sub.maxSpawnDepth = 1;
  if (sub.maxChildrenPerAgent <= 0) sub.maxChildrenPerAgent = 5;
  if (sub.maxConcurrent <= 0) sub.maxConcurrent = 8;
  if (sub.archiveAfterMinutes <= 0) sub.archiveAfterMinutes = 60;
  sub.memoryShareMode = oneOf(sub.memoryShareMode, ['handoff', 'isolated', 'inherit-readonly'], 'handoff');

  const skills = config.skills;
  skills.nodeManager = oneOf(skills.nodeManager, ['npm', 'pnpm', 'bun'], 'npm');
  skills.scope = oneOf(skills.scope, ['selected', 'all'], 'selected');
  skills.runtimeIsolation = oneOf(skills.runtimeIsolation, ['auto', 'host', 'strict'], 'auto');
  if (skills.linkPolicy.mode === '') skills.linkPolicy.mode = 'allowlist';
  if (skills.linkPolicy.maxLinksPerSkill <= 0) skills.linkPolicy.maxLinksPerSkill = 20;

  for (const channel of [config.channels.slack, config.channels.msteams]) {
    if (channel.dmPolicy === '') channel.dmPolicy = 'pairing';
    if (channel.groupPolicy === '') channel.groupPolicy = 'allowlist';
  }

  const node = config.node;
  if (node.clawId.trim() === '') node.clawId = 'claw-local';
  if (node.instanceId.trim() === '') node.instanceId = 'default';
  if (node.displayName.trim() === '') node.displayName = 'KafClaw Local';

  const embedding = config.memory.embedding;
  if (!embedding.enabled || lower(embedding.provider) === 'disabled') {
    embedding.enabled = false;
    embedding.provider = 'disabled';
  } else {
    embedding.provider = lower(embedding.provider) === 'openai' ? 'openai' : 'local-hf';
    if (embedding.model.trim() === '') embedding.model = 'BAAI/bge-small-en-v1.5';
    if (embedding.dimension <= 0) embedding.dimension = 384;
    if (embedding.startupTimeoutSec <= 0) embedding.startupTimeoutSec = 45;
  }
  if (embedding.cacheDir.trim() === '') embedding.cacheDir = '~/.kafclaw/models';
  if (embedding.endpoint.trim() === '') embedding.endpoint = 'http://127.0.0.1:8091';

  const search = config.memory.search;
  search.mode = oneOf(search.mode, ['hybrid', 'semantic', 'keyword'], 'hybrid');
  if (search.maxResults <= 0) search.maxResults = 8;
  search.minScore = Math.min(1, Math.max(0, search.minScore));

  const knowledge = config.knowledge;
  if (knowledge.group.trim() === '') knowledge.group = config.group.groupName.trim() || 'kafclaw';
  knowledge.shareMode = lower(knowledge.shareMode) === 'direct' ? 'direct' : 'proposal';
  const voting = knowledge.voting;
  if (voting.minPoolSize < 1) voting.minPoolSize = 3;
  if (voting.quorumYes < 1) voting.quorumYes = 2;
  if (voting.quorumNo < 1) voting.quorumNo = 2;
  if (voting.timeoutSec <= 0) voting.timeoutSec = 120;
  if (knowledge.publish.denyTags.length === 0) knowledge.publish.denyTags = ['pii', 'secrets', 'customer-private'];
  if (knowledge.publish.allowTags.length === 0) knowledge.publish.allowTags = ['ops', 'security', 'runbook', 'integration'];
  const group = knowledge.group.trim();
  const topics = knowledge.topics;
  for (const topic of ['capabilities', 'presence', 'proposals', 'votes', 'decisions', 'facts'] as const) {
    if (topics[topic].trim() === '') topics[topic] = `group.${group}.knowledge.${topic}`;
  }
}

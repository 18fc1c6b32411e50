import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConfigSchema, DURATION_KEY_PATHS } from '../../../lib/config/index.js';
import { Secret } from '../../../lib/secrets/index.js';

test('an empty object parses to KafClaw defaults; unknown keys are kept at every level', async () => {
  const schema = await loadConfigSchema();
  const parsed = schema.parse({ custom: 1, gateway: { extra: 'x' }, channels: { slack: { accounts: [{ id: 'a', future: true }] } } });
  assert.is(parsed.custom, 1);
  assert.is(parsed.gateway.extra, 'x');
  assert.is(parsed.gateway.daemonRuntime, 'native');
  assert.is(parsed.channels.slack.accounts[0]?.future, true);
  assert.is(parsed.providers.localWhisper.binaryPath, '/opt/homebrew/bin/whisper');
  assert.equal(parsed.skills.linkPolicy.allowDomains, ['clawhub.ai']);
  assert.is(parsed.scheduler.tickInterval, 60e9);
  assert.is(parsed.er1.syncInterval, 300e9);
  assert.ok(parsed.group.kafkaSaslPassword instanceof Secret);
  assert.is(parsed.promptGuard, undefined);
});

test('default arrays are fresh per parse', async () => {
  const schema = await loadConfigSchema();
  const a = schema.parse({});
  a.knowledge.publish.denyTags.push('mutated');
  assert.not.ok(schema.parse({}).knowledge.publish.denyTags.includes('mutated'));
});

test('durations are integer nanoseconds; strings and fractions are type errors', async () => {
  const schema = await loadConfigSchema();
  assert.equal(DURATION_KEY_PATHS, ['tools.exec.timeout', 'scheduler.tickInterval', 'er1.syncInterval', 'kafgraph.syncInterval']);
  assert.is(schema.parse({ tools: { exec: { timeout: 5e9 } } }).tools.exec.timeout, 5e9);
  for (const bad of ['60s', 1.5, true]) {
    const result = schema.safeParse({ tools: { exec: { timeout: bad } } });
    assert.not.ok(result.success);
    assert.equal(result.error?.issues[0]?.path, ['tools', 'exec', 'timeout']);
  }
});

test('credential fields accept strings or Secrets and output Secrets', async () => {
  const schema = await loadConfigSchema();
  const parsed = schema.parse({ gateway: { authToken: 'abc' }, channels: { msteams: { accounts: [{ appPassword: new Secret('p', 'env:X') }] } } });
  assert.ok(parsed.gateway.authToken instanceof Secret);
  assert.is(parsed.gateway.authToken.reveal(), 'abc');
  assert.is(parsed.channels.msteams.accounts[0]?.appPassword?.source, 'env:X');
  assert.not.ok(schema.safeParse({ gateway: { authToken: 5 } }).success);
});

test('gateway.trustedProxies (ours) is an optional list of strings', async () => {
  const schema = await loadConfigSchema();
  assert.is(schema.parse({}).gateway.trustedProxies, undefined);
  assert.equal(schema.parse({ gateway: { trustedProxies: ['10.0.0.1', 'fd00::/8'] } }).gateway.trustedProxies, ['10.0.0.1', 'fd00::/8']);
  assert.is(schema.safeParse({ gateway: { trustedProxies: '10.0.0.1' } }).success, false);
});

test('tools.limits (ours) is optional and strict; finops.pricing (KafClaw\'s) takes prices of 0 or more per provider', async () => {
  const schema = await loadConfigSchema();
  const empty = schema.parse({});
  assert.is(empty.tools.limits, undefined);
  assert.is(empty.finops, undefined);
  assert.equal(schema.parse({ tools: { limits: { listMaxEntries: 50 } } }).tools.limits, { listMaxEntries: 50 });
  for (const bad of [{ readMaxBytes: 0 }, { readMaxBytes: -1 }, { maxOutputBytes: '16k' }, { listMaxEntries: 2.5 }, { other: 1 }]) {
    assert.not.ok(schema.safeParse({ tools: { limits: bad } }).success, JSON.stringify(bad));
  }
  const parsed = schema.parse({ finops: { enabled: true, pricing: { openai: { promptPer1kTokens: 0.15, completionPer1kTokens: 0.6, note: 'kept' } } } });
  assert.equal(parsed.finops?.pricing?.openai, { promptPer1kTokens: 0.15, completionPer1kTokens: 0.6, note: 'kept' });
  assert.is(schema.parse({ finops: {} }).finops?.enabled, false);
  const negative = schema.safeParse({ finops: { pricing: { openai: { completionPer1kTokens: -1 } } } });
  assert.equal(negative.error?.issues[0]?.path, ['finops', 'pricing', 'openai', 'completionPer1kTokens']);
});

test.run();

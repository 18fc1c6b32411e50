import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FactSnapshot } from '../../../lib/facts/snapshot.js';
import { configEdit } from '../../../lib/resources/config-edit.js';
import { isNoop, type Change } from '../../../lib/resources/types.js';
import { LocalTarget } from '../../../lib/target/local.js';
import type { ConfigEdit } from '../../../lib/config/index.js';
import { noteBackups } from '../../../checks/fix.js';

const PATH = '/h/.kafclaw/config.json';
const TREE = {
  gateway: { host: '0.0.0.0', authToken: 'plain-gateway-token-value' },
  providers: { openai: { apiKey: 'plain-provider-key-value' }, anthropic: { apiKey: '${ANTHROPIC_KEY}' } },
  channels: { slack: { accounts: [{ id: 'ops', botToken: 'plain-bot-token-value' }] } },
};

function diff(edits: ConfigEdit[]): Change[] {
  const facts = new FactSnapshot();
  facts.set(`resource.config:${PATH}`, { exists: true, text: JSON.stringify(TREE) });
  const result = configEdit(new LocalTarget(), PATH, edits).diff(facts);
  assert.not.ok(isNoop(result));
  return result as Change[];
}

const before = (edits: ConfigEdit[]) => diff(edits).map((c) => `${c.field}: ${c.before}`);

test('a credential deleted or replaced by another value shows as (secret), never its value', () => {
  assert.equal(before([{ keyPath: ['providers', 'openai', 'apiKey'], value: undefined }]), ['providers.openai.apiKey: (secret)']);
  assert.equal(before([{ keyPath: ['gateway', 'authToken'], value: '' }]), ['gateway.authToken: (secret)']);
  assert.equal(before([{ keyPath: ['channels', 'slack', 'accounts', '0', 'botToken'], value: undefined }]), ['channels.slack.accounts.0.botToken: (secret)']);
  assert.equal(before([{ keyPath: ['providers', 'openai'], value: undefined }]), ['providers.openai: (secret)'], 'a subtree holding a credential');
  assert.not.match(JSON.stringify(diff([{ keyPath: ['providers'], value: {} }])), /plain-/);
});

test('a ${VAR} reference and a plain setting are shown as they are', () => {
  assert.equal(before([{ keyPath: ['providers', 'anthropic', 'apiKey'], value: undefined }]), ['providers.anthropic.apiKey: "${ANTHROPIC_KEY}"']);
  assert.equal(before([{ keyPath: ['gateway', 'host'], value: '127.0.0.1' }]), ['gateway.host: "0.0.0.0"']);
  assert.equal(before([{ keyPath: ['providers', 'anthropic'], value: undefined }]), ['providers.anthropic: {"apiKey":"${ANTHROPIC_KEY}"}']);
});

test('the backup of a deleted credential is marked as still holding it', () => {
  const changes = diff([{ keyPath: ['providers', 'openai', 'apiKey'], value: undefined }, { keyPath: ['gateway', 'host'], value: '127.0.0.1' }]);
  const [backup] = noteBackups([{ file: PATH, backup: `${PATH}.bak-20260101T000000Z` }], changes);
  assert.equal(backup?.oldSecrets, ['providers.openai.apiKey']);
});

test.run();

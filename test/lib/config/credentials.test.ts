import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CREDENTIAL_KEY_PATHS, isCredentialKeyPath, credentialPathsIn } from '../../../lib/config/index.js';

test('credential key paths match concrete keys, wildcards and array indices', () => {
  assert.ok(CREDENTIAL_KEY_PATHS.includes('gateway.authToken'));
  for (const key of ['gateway.authToken', 'providers.anthropic.apiKey', 'providers.scalyticsCopilot.apiKey', 'channels.slack.accounts[3].botToken', 'channels.msteams.accounts.0.appPassword', 'group.kafkaSaslPassword', 'er1.apiKey', 'tools.web.search.apiKey']) {
    assert.ok(isCredentialKeyPath(key), key);
  }
  for (const key of ['gateway.host', 'providers.anthropic.apiBase', 'channels.slack.accounts[0].id', 'channels.slack.accounts.botToken', 'model.maxTokens']) {
    assert.not.ok(isCredentialKeyPath(key), key);
  }
  assert.ok(isCredentialKeyPath(['channels', 'slack', 'accounts', 2, 'appToken']));
});

test('credentialPathsIn lists present credentials only', () => {
  const paths = credentialPathsIn({
    gateway: { host: 'h', authToken: '' },
    providers: { openai: { apiKey: 'k', apiBase: 'b' }, groq: {} },
    channels: { slack: { accounts: [{ id: 'a', botToken: 't' }, { id: 'b' }] } },
  });
  assert.equal(paths, [['gateway', 'authToken'], ['providers', 'openai', 'apiKey'], ['channels', 'slack', 'accounts', 0, 'botToken']]);
});

test.run();

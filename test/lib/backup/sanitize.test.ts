import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sanitizeConfig, CREDENTIAL_KEY_PATHS } from '../../../lib/backup/sanitize.js';
import { CREDENTIAL_KEY_PATHS as CONFIG_CREDENTIAL_KEY_PATHS, isCredentialKeyPath } from '../../../lib/config/index.js';
import { kafclawConfig, CANARY_TOKEN, CANARY_ANTHROPIC, CANARY_UNKNOWN_KEY } from './kafclaw-db.js';

test('credentials in the clear are removed, ${VAR} references kept, everything else untouched', () => {
  const { config, report } = sanitizeConfig(kafclawConfig());
  const text = JSON.stringify(config);
  for (const canary of [CANARY_TOKEN, CANARY_ANTHROPIC, CANARY_UNKNOWN_KEY]) assert.not.ok(text.includes(canary), canary);
  const c = config as any;
  assert.is(c.gateway.authToken, undefined);
  assert.is(c.gateway.port, 18790);
  assert.is(c.providers.openai.apiKey, '${OPENAI_API_KEY}');
  assert.is(c.channels.slack.botToken, '${SLACK_BOT_TOKEN}');
  assert.is(c.channels.slack.accounts[0].id, 'a');
  assert.is(c.channels.slack.accounts[0].botToken, undefined);
  assert.is(c.model.name, 'anthropic/claude-sonnet-4-5');
  assert.equal(report.kept.sort(), ['channels.slack.botToken', 'providers.openai.apiKey']);
  assert.equal(report.removed.sort(), [
    'channels.slack.accounts[0].botToken',
    'channels.slack.appToken',
    'custom.webhookSecret',
    'gateway.authToken',
    'model.notes',
    'providers.anthropic.apiKey',
  ]);
});

test('every listed credential path is sanitized', () => {
  const value = 'Zq8vL2mN4pR6tW9yB1cD3fG5hJ7kM0nQ';
  const config = {
    gateway: { authToken: value },
    providers: { groq: { apiKey: value } },
    channels: { msteams: { appPassword: value, inboundToken: value, accounts: [{ appPassword: value, token: value }] }, telegram: { token: value } },
    group: { lfsProxyApiKey: value, kafkaSaslPassword: value, kafkaSaslUsername: 'user' },
    tools: { web: { search: { apiKey: value, maxResults: 10 } } },
    er1: { apiKey: value, url: 'http://er1' },
  };
  const { config: clean, report } = sanitizeConfig(config);
  assert.not.ok(JSON.stringify(clean).includes(value));
  assert.is(report.removed.length, 11);
  assert.is((clean as any).group.kafkaSaslUsername, 'user');
  assert.ok(CREDENTIAL_KEY_PATHS.includes('er1.apiKey'));
});

test('empty values and non-credential keys that merely contain the word stay', () => {
  const { config, report } = sanitizeConfig({ gateway: { authToken: '' }, model: { maxTokens: 8192 }, outputSanitization: { redactSecrets: true } });
  assert.equal(config, { gateway: { authToken: '' }, model: { maxTokens: 8192 }, outputSanitization: { redactSecrets: true } });
  assert.equal(report.removed, []);
});

test('a credential format inside an array is replaced by null, keeping positions', () => {
  const { config } = sanitizeConfig({ list: ['ok', `xoxb-1234-abcd-efgh`, 'fine'] });
  assert.equal(config, { list: ['ok', null, 'fine'] });
});

test('the credential list is lib/config\'s, and each of its paths is removed when it holds a literal', () => {
  assert.is(CREDENTIAL_KEY_PATHS, CONFIG_CREDENTIAL_KEY_PATHS);
  const value = 'Zq8vL2mN4pR6tW9yB1cD3fG5hJ7kM0nQ';
  for (const pattern of CREDENTIAL_KEY_PATHS) {
    const segments = pattern.replace(/\*/g, 'anything').split('.');
    const config: Record<string, unknown> = {};
    let node: any = config;
    segments.forEach((segment, i) => {
      const last = i === segments.length - 1;
      const key = segment.replace(/\[\]$/, '');
      if (segment.endsWith('[]')) {
        node[key] = [{}];
        node = node[key][0];
      } else if (last) node[key] = value;
      else node = node[key] = {};
    });
    const { config: clean, report } = sanitizeConfig(config);
    assert.not.ok(JSON.stringify(clean).includes(value), pattern);
    assert.is(report.removed.length, 1, pattern);
    assert.ok(isCredentialKeyPath(report.removed[0]!), `${pattern} -> ${report.removed[0]}`);
  }
});

test.run();

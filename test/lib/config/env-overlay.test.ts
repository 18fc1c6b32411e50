import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { computeEnvOverlay } from '../../../lib/config/index.js';

const valueOf = (env: Record<string, string>, key: string, honourBareAltNames = false) =>
  computeEnvOverlay(env, honourBareAltNames ? { bareEnv: env } : {}).assignments.get(key);

test('KAFCLAW_ wins over MIKROBOT_; documented names sit below both', () => {
  assert.equal(valueOf({ MIKROBOT_GATEWAY_HOST: 'm', KAFCLAW_GATEWAY_HOST: 'k' }, 'gateway.host'), { value: 'k', name: 'KAFCLAW_GATEWAY_HOST' });
  assert.equal(valueOf({ MIKROBOT_GATEWAY_HOST: 'm' }, 'gateway.host'), { value: 'm', name: 'MIKROBOT_GATEWAY_HOST' });
  assert.equal(valueOf({ KAFCLAW_MODEL: 'doc', MIKROBOT_MODEL_MODEL: 'legacy' }, 'model.name'), { value: 'legacy', name: 'MIKROBOT_MODEL_MODEL' });
  assert.equal(valueOf({ KAFCLAW_MODEL: 'doc' }, 'model.name'), { value: 'doc', name: 'KAFCLAW_MODEL' });
  assert.equal(valueOf({ KAFCLAW_CHANNELS_SLACK_BOT_TOKEN: 'x' }, 'channels.slack.botToken')?.name, 'KAFCLAW_CHANNELS_SLACK_BOT_TOKEN');
  assert.equal(valueOf({ KAFCLAW_CHANNELS_SLACK_DM_POLICY: 'open' }, 'channels.slack.dmPolicy')?.value, 'open');
  assert.equal(valueOf({ KAFCLAW_AGENTS_WORKSPACE: '/w' }, 'paths.workspace')?.value, '/w');
});

test('MIKROBOT_AGENTS_* and (when honoured) bare names win over KAFCLAW_* for paths and model', () => {
  assert.equal(valueOf({ KAFCLAW_PATHS_WORKSPACE: 'k', MIKROBOT_AGENTS_WORKSPACE: 'legacy' }, 'paths.workspace')?.value, 'legacy');
  assert.equal(valueOf({ KAFCLAW_MODEL_MODEL: 'k', MODEL: 'bare' }, 'model.name', true)?.value, 'bare');
  assert.equal(valueOf({ KAFCLAW_MODEL_MODEL: 'k', MODEL: 'bare' }, 'model.name', false)?.value, 'k');
  assert.equal(valueOf({ KAFCLAW_GATEWAY_PORT: '1', PORT: '2' }, 'gateway.port', true)?.value, 1);
});

test('bare names are looked up only in bareEnv, and only where the prefixed name is unset', () => {
  const env = { HOST: 'from-process', KAFCLAW_GATEWAY_PORT: '1', MIKROBOT_GATEWAY_HOST: 'legacy' };
  const bareEnv = { HOST: '0.0.0.0', PORT: '2', AUTH_TOKEN: 'tok' };
  const { assignments } = computeEnvOverlay(env, { bareEnv });
  assert.equal(assignments.get('gateway.host'), { value: '0.0.0.0', name: 'HOST', bare: true }, 'the KAFCLAW_ pass falls back to HOST over MIKROBOT_');
  assert.equal(assignments.get('gateway.port'), { value: 1, name: 'KAFCLAW_GATEWAY_PORT' });
  assert.equal(assignments.get('gateway.authToken'), { value: 'tok', name: 'AUTH_TOKEN', bare: true });
  assert.equal(computeEnvOverlay(env).assignments.get('gateway.host'), { value: 'legacy', name: 'MIKROBOT_GATEWAY_HOST' }, 'no bareEnv: HOST is ignored');
});

test('types follow Go: bools, ints, durations, lists, maps; empty strings override', () => {
  const { assignments, issues } = computeEnvOverlay({
    KAFCLAW_TOOLS_EXEC_TIMEOUT: '90s',
    KAFCLAW_CHANNELS_SLACK_SLACK_REQUIRE_MENTION: 'F',
    KAFCLAW_CHANNELS_MSTEAMS_GROUPALLOWFROM: 'a,b',
    KAFCLAW_MODEL_TASKROUTING: 'code:x/y',
    KAFCLAW_GATEWAY_AUTH_TOKEN: '',
    KAFCLAW_ER1_SYNC_INTERVAL: '10m',
    KAFCLAW_OBSERVER_MSG_THRESHOLD: '0x10',
  });
  assert.equal(issues, []);
  assert.is(assignments.get('tools.exec.timeout')?.value, 90e9);
  assert.is(assignments.get('channels.slack.requireMention')?.value, false);
  assert.equal(assignments.get('channels.msteams.groupAllowFrom')?.value, ['a', 'b']);
  assert.equal(assignments.get('model.taskRouting')?.value, { code: 'x/y' });
  assert.equal(assignments.get('gateway.authToken'), { value: '', name: 'KAFCLAW_GATEWAY_AUTH_TOKEN' });
  assert.is(assignments.get('er1.syncInterval')?.value, 600e9);
  assert.is(assignments.get('observer.messageThreshold')?.value, 16);
});

test('an empty bool fails to parse and ends the group; other groups carry on', () => {
  const { assignments, issues } = computeEnvOverlay({
    KAFCLAW_CHANNELS_SLACK_SLACK_ENABLED: '',
    KAFCLAW_CHANNELS_SLACK_SLACK_BOT_TOKEN: 'xoxb-1',
    KAFCLAW_GATEWAY_HOST: '0.0.0.0',
  });
  assert.equal(issues.map((i) => i.name), ['KAFCLAW_CHANNELS_SLACK_SLACK_ENABLED']);
  assert.not.ok(assignments.has('channels.slack.botToken'));
  assert.ok(assignments.has('gateway.host'));
});

test('bare names reach the keys whose prefixed names are unset', () => {
  const bareKeys = (env: Record<string, string>) =>
    [...computeEnvOverlay(env, { bareEnv: env }).assignments].filter(([, a]) => a.bare).map(([key, a]) => `${a.name} ${key}`).sort();
  assert.equal(bareKeys({ PORT: '8080', HOST: 'x', KAFCLAW_GATEWAY_HOST: 'y', API_KEY: 'k', UNRELATED: '1' }), ['API_KEY providers.openai.apiKey', 'PORT gateway.port']);
  const enabled = bareKeys({ ENABLED: 'true' });
  for (const key of ['orchestrator.enabled', 'group.enabled', 'skills.enabled', 'scheduler.enabled', 'memory.embedding.enabled']) {
    assert.ok(enabled.includes(`ENABLED ${key}`), key);
  }
  assert.equal(bareKeys({ AUTH_TOKEN: '' }), ['AUTH_TOKEN gateway.authToken']);
});

test('a bare name that fails to parse is one issue, though both the MIKROBOT_ and KAFCLAW_ groups fall back to it', () => {
  const { issues } = computeEnvOverlay({}, { bareEnv: { PORT: 'abc' } });
  assert.equal(issues.map((i) => [i.name, i.key]), [['PORT', 'gateway.port']]);
});

test.run();

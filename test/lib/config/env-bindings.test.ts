import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BARE_ALT_ENV_NAMES, ENV_GROUPS, documentedEnvAliases } from '../../../lib/config/index.js';
import { envName } from '../../../lib/config/env-bindings.js';

const allNames = () => ENV_GROUPS.flatMap((g) => g.fields.map((f) => envName('KAFCLAW', g, f)));

test('the names KafClaw reads (facts §1.5) are all bound', () => {
  const names = new Set(allNames());
  for (const name of [
    'KAFCLAW_GATEWAY_HOST', 'KAFCLAW_GATEWAY_PORT', 'KAFCLAW_GATEWAY_DASHBOARD_PORT', 'KAFCLAW_GATEWAY_AUTH_TOKEN',
    'KAFCLAW_TOOLS_EXEC_EXEC_RESTRICT_WORKSPACE', 'KAFCLAW_TOOLS_EXEC_TIMEOUT', 'KAFCLAW_PATHS_WORKSPACE', 'KAFCLAW_MODEL_MODEL',
    'KAFCLAW_OPENAI_API_KEY', 'KAFCLAW_CHANNELS_WHATSAPP_WHATSAPP_DROP_UNAUTHORIZED', 'KAFCLAW_CHANNELS_WHATSAPP_ALLOWFROM',
    'KAFCLAW_CHANNELS_SLACK_DMPOLICY', 'KAFCLAW_CHANNELS_SLACK_GROUPPOLICY', 'KAFCLAW_CHANNELS_SLACK_SLACK_SESSION_SCOPE',
    'KAFCLAW_CHANNELS_MSTEAMS_MSTEAMS_ENABLED', 'KAFCLAW_CHANNELS_MSTEAMS_GROUPALLOWFROM', 'KAFCLAW_TOOLS_WEB_SEARCH_BRAVE_API_KEY',
    'KAFCLAW_GROUP_GROUP_NAME', 'KAFCLAW_GROUP_KAFSCALE_LFS_PROXY_API_KEY', 'KAFCLAW_ER1_API_KEY', 'KAFCLAW_OBSERVER_MSG_THRESHOLD',
    'KAFCLAW_KNOWLEDGE_TOPICS_TOPIC_FACTS', 'KAFCLAW_SKILLS_LINKPOLICY_MAXLINKSPERSKILL', 'KAFCLAW_TOOLS_SUBAGENTS_TOOLS_DENY',
  ]) {
    assert.ok(names.has(name), name);
  }
});

test('bare alt names include the ones the check catalog names, and no prefixed names', () => {
  for (const name of ['HOST', 'PORT', 'AUTH_TOKEN', 'MODEL', 'ENABLED', 'API_KEY', 'DASHBOARD_PORT', 'EXEC_RESTRICT_WORKSPACE', 'BRAVE_API_KEY', 'WORKSPACE']) {
    assert.ok(BARE_ALT_ENV_NAMES.includes(name), name);
  }
  assert.not.ok(BARE_ALT_ENV_NAMES.some((name) => name.startsWith('KAFCLAW_') || name === 'ALLOWFROM' || name === 'TIMEOUT'));
});

test('documented aliases never shadow a name KafClaw reads', () => {
  const real = new Set(allNames());
  const aliases = documentedEnvAliases();
  assert.ok(aliases.some((a) => a.name === 'KAFCLAW_TOOLS_EXEC_RESTRICT_WORKSPACE' && a.key === 'tools.exec.restrictToWorkspace'));
  assert.ok(aliases.some((a) => a.name === 'KAFCLAW_CHANNELS_WHATSAPP_DROP_UNAUTHORIZED'));
  assert.not.ok(aliases.some((a) => real.has(a.name)));
});

test.run();

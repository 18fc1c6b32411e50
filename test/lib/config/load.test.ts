import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile } from 'node:fs/promises';
import { inspect } from 'node:util';
import { join } from 'node:path';
import { loadConfig, ConfigError } from '../../../lib/config/index.js';
import type { LoadedConfig } from '../../../lib/config/index.js';
import { isSecret } from '../../../lib/secrets/index.js';
import { fixtureHome, REFERENCE_CONFIGS, CANARY } from './fixtures.js';

async function reference(name: string, env: Record<string, string> = {}): Promise<LoadedConfig> {
  const f = await fixtureHome();
  try {
    await f.write('.kafclaw/config.json', await readFile(join(REFERENCE_CONFIGS, name), 'utf8'));
    return await loadConfig({ env: { HOME: f.home, ...env } });
  } finally {
    await f.cleanup();
  }
}

async function configError(promise: Promise<unknown>): Promise<ConfigError> {
  try {
    await promise;
  } catch (error) {
    assert.instance(error, ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

test('01 defaults: KafClaw defaults, loopback gateway, no token, every key from the defaults', async () => {
  const loaded = await reference('01-minimal-defaults.json');
  assert.ok(loaded.exists);
  const { gateway, tools, channels, model, providers } = loaded.config;
  assert.is(gateway.host, '127.0.0.1');
  assert.is(gateway.port, 18790);
  assert.is(gateway.dashboardPort, 18791);
  assert.ok(isSecret(gateway.authToken));
  assert.ok(gateway.authToken.isEmpty());
  assert.is(tools.exec.restrictToWorkspace, true);
  assert.is(tools.exec.timeout, 60_000_000_000);
  assert.is(channels.slack.dmPolicy, 'pairing');
  assert.is(channels.whatsapp.sessionScope, 'room');
  assert.is(model.name, 'anthropic/claude-sonnet-4-5');
  assert.ok(providers.anthropic.apiKey.isEmpty());
  assert.equal(loaded.sourceOf('gateway.host'), { kind: 'default' });
  assert.is(loaded.config.knowledge.topics.votes, 'group.kafclaw.knowledge.votes');
});

test('missing config file: defaults, exists false', async () => {
  const f = await fixtureHome();
  try {
    const loaded = await loadConfig({ env: { HOME: f.home } });
    assert.is(loaded.exists, false);
    assert.is(loaded.path, join(f.home, '.kafclaw', 'config.json'));
    assert.is(loaded.config.gateway.port, 18790);
    assert.equal(loaded.includes, []);
    assert.equal(loaded.envFiles, []);
  } finally {
    await f.cleanup();
  }
});

test('02 remote without token: host from the file, empty token from the file, anthropic key a Secret', async () => {
  const loaded = await reference('02-remote-no-token.json');
  assert.is(loaded.config.gateway.host, '0.0.0.0');
  assert.ok(loaded.config.gateway.authToken.isEmpty());
  assert.is(loaded.sourceOf('gateway.host').kind, 'file');
  assert.ok(isSecret(loaded.config.providers.anthropic.apiKey));
  assert.is(loaded.config.providers.anthropic.apiKey.reveal(), 'sk-ant-test-000');
  assert.is(loaded.config.providers.anthropic.apiKey.source, `file:${loaded.path}`);
});

test('03 remote with token: token set from the file, openrouter, whatsapp allowlist', async () => {
  const loaded = await reference('03-remote-with-token.json');
  const token = loaded.config.gateway.authToken;
  assert.is(token.length, 64);
  assert.is(loaded.fileConfig.gateway && (loaded.fileConfig.gateway as Record<string, unknown>).authToken, token.reveal());
  assert.equal(loaded.sourceOf('gateway.authToken'), { kind: 'file', path: loaded.path });
  assert.is(loaded.config.providers.openrouter.apiBase, 'https://openrouter.ai/api/v1');
  assert.is(loaded.config.orchestrator.endpoint, 'https://kafclaw-a.example.com:18791');
  assert.equal(loaded.config.channels.whatsapp.allowFrom, ['491701234567']);
  assert.is(loaded.config.channels.whatsapp.dropUnauthorized, true);
  assert.is(loaded.config.model.name, 'openrouter/anthropic/claude-sonnet-4-5');
});

test('05 channels: slack open groups, teams accounts with Secrets, unknown keys kept', async () => {
  const loaded = await reference('05-channels-misconfigured.json');
  const { slack, msteams } = loaded.config.channels;
  assert.is(slack.enabled, true);
  assert.is(slack.groupPolicy, 'open');
  assert.is(slack.requireMention, false);
  assert.is(slack.sessionScope, 'thread');
  assert.ok(slack.inboundToken.isEmpty());
  assert.is(slack.botToken.reveal(), 'xoxb-test-000');
  assert.is(msteams.enabled, false);
  assert.equal(msteams.groupAllowFrom, ['*']);
  const ops = msteams.accounts[0]!;
  assert.is(ops.id, 'Ops');
  assert.ok(isSecret(ops.inboundToken));
  assert.is(ops.appPassword, undefined);
  assert.equal(loaded.sourceOf('channels.msteams.accounts[0].inboundToken'), { kind: 'file', path: loaded.path });
});

test('06 type error: ConfigError naming tools.exec.timeout, its line, and what to write', async () => {
  const error = await configError(reference('06-config-type-error.json'));
  assert.is(error.key, 'tools.exec.timeout');
  assert.is(error.line, 7);
  assert.is(error.column, 7);
  assert.match(error.message, /integer nanoseconds/);
  assert.match(error.message, /60000000000/);
  assert.match(error.path, /config\.json$/);
  assert.not.match(error.describe(), /\n\s+at /);
});

test('tools.limits and finops.pricing: a bad value is a ConfigError naming the key and its line', async () => {
  const f = await fixtureHome();
  try {
    const cases: Array<[unknown, string, number, RegExp]> = [
      [{ tools: { limits: { readMaxBytes: 0 } } }, 'tools.limits.readMaxBytes', 4, /must be a whole number above 0/],
      [{ tools: { limits: { maxOutputBytes: 1.5 } } }, 'tools.limits.maxOutputBytes', 4, /expected an integer, got a fractional number/],
      [{ tools: { limits: { readMaxByte: 10 } } }, 'tools.limits', 3, /Unrecognized key: "readMaxByte"/],
      [{ finops: { pricing: { openai: { promptPer1kTokens: -0.1 } } } }, 'finops.pricing.openai.promptPer1kTokens', 5, /USD per 1000 prompt tokens, 0 or more/],
      [{ finops: { pricing: { openai: { completionPer1kTokens: '0.2' } } } }, 'finops.pricing.openai.completionPer1kTokens', 5, /expected a number, got a string/],
    ];
    for (const [config, key, line, message] of cases) {
      await f.write('.kafclaw/config.json', JSON.stringify(config, null, 2));
      const error = await configError(loadConfig({ env: { HOME: f.home } }));
      assert.equal([error.key, error.line], [key, line], key);
      assert.match(error.message, message);
      assert.match(error.describe(), `config.json:${line}`);
    }
    await f.write('.kafclaw/config.json', JSON.stringify({ tools: { limits: { readMaxBytes: 1024 } }, finops: { pricing: { openai: { promptPer1kTokens: 0, completionPer1kTokens: 0.6 } } } }));
    const loaded = await loadConfig({ env: { HOME: f.home } });
    assert.equal(loaded.config.tools.limits, { readMaxBytes: 1024 });
    assert.equal(loaded.config.finops?.pricing, { openai: { promptPer1kTokens: 0, completionPer1kTokens: 0.6 } });
  } finally {
    await f.cleanup();
  }
});

test('a wrong type elsewhere names the key and line; credential values never appear in the message', async () => {
  const f = await fixtureHome();
  try {
    await f.write('.kafclaw/config.json', '{\n  "gateway": {\n    "port": "18790",\n    "authToken": 12345678901\n  }\n}\n');
    const error = await configError(loadConfig({ env: { HOME: f.home } }));
    assert.is(error.key, 'gateway.port');
    assert.is(error.line, 3);
    assert.match(error.message, /expected a number, got a string/);
    await f.write('.kafclaw/config.json', '{\n  "gateway": {\n    "authToken": 12345678901\n  }\n}\n');
    const secretError = await configError(loadConfig({ env: { HOME: f.home } }));
    assert.is(secretError.key, 'gateway.authToken');
    assert.is(secretError.line, 3);
    assert.not.match(secretError.message, /12345678901/);
  } finally {
    await f.cleanup();
  }
});

test('bad JSON: line and column of the fault', async () => {
  const f = await fixtureHome();
  try {
    await f.write('.kafclaw/config.json', '{\n  "gateway": {\n    "host": "0.0.0.0",\n  }\n}\n');
    const trailing = await configError(loadConfig({ env: { HOME: f.home } }));
    assert.is(trailing.line, 4);
    assert.is(trailing.column, 3);
    assert.match(trailing.message, /invalid JSON/);
    await f.write('.kafclaw/config.json', '{\n  "gateway": {\n    "host": \n');
    const truncated = await configError(loadConfig({ env: { HOME: f.home } }));
    assert.is(truncated.line, 4);
    assert.match(truncated.message, /end of file/);
    await f.write('.kafclaw/config.json', '{"a": tru}');
    const word = await configError(loadConfig({ env: { HOME: f.home } }));
    assert.equal([word.line, word.column], [1, 7]);
    await f.write('.kafclaw/config.json', '[1, 2]');
    const notObject = await configError(loadConfig({ env: { HOME: f.home } }));
    assert.match(notObject.message, /JSON object/);
  } finally {
    await f.cleanup();
  }
});

test('path resolution: KAFCLAW_CONFIG with ~ against KAFCLAW_HOME, MIKROBOT_CONFIG, KAFCLAW_HOME, configPath', async () => {
  const f = await fixtureHome();
  try {
    await f.write('alt/.kafclaw/config.json', '{"gateway": {"port": 1111}}');
    await f.write('custom.json', '{"gateway": {"port": 2222}}');
    await f.write('mikro.json', '{"gateway": {"port": 3333}}');
    const byHome = await loadConfig({ env: { HOME: f.home, KAFCLAW_HOME: join(f.home, 'alt') } });
    assert.is(byHome.config.gateway.port, 1111);
    const tilde = await loadConfig({ env: { HOME: f.home, KAFCLAW_CONFIG: '~/custom.json' } });
    assert.is(tilde.path, join(f.home, 'custom.json'));
    assert.is(tilde.config.gateway.port, 2222);
    const tildeHome = await loadConfig({ env: { HOME: '/elsewhere', KAFCLAW_HOME: f.home, KAFCLAW_CONFIG: '~/custom.json' } });
    assert.is(tildeHome.config.gateway.port, 2222);
    const mikro = await loadConfig({ env: { HOME: f.home, MIKROBOT_CONFIG: join(f.home, 'mikro.json') } });
    assert.is(mikro.config.gateway.port, 3333);
    const both = await loadConfig({ env: { HOME: f.home, KAFCLAW_CONFIG: join(f.home, 'custom.json'), MIKROBOT_CONFIG: join(f.home, 'mikro.json') } });
    assert.is(both.config.gateway.port, 2222);
    const explicit = await loadConfig({ env: { HOME: f.home }, configPath: join(f.home, 'mikro.json') });
    assert.is(explicit.config.gateway.port, 3333);
  } finally {
    await f.cleanup();
  }
});

test('readFile is injectable: the loader reads only through it', async () => {
  const files = new Map([
    ['/remote/home/.kafclaw/config.json', '{"$include": "base.json", "gateway": {"host": "${BIND}"}}'],
    ['/remote/home/.kafclaw/base.json', '{"gateway": {"port": 4444}}'],
    ['/remote/home/.config/kafclaw/env', 'BIND=10.0.0.5\n'],
  ]);
  const asked: string[] = [];
  const loaded = await loadConfig({
    env: { HOME: '/remote/home' },
    cwd: '/remote/home',
    readFile: async (path) => {
      asked.push(path);
      const text = files.get(path);
      return text === undefined ? null : Buffer.from(text);
    },
  });
  assert.is(loaded.config.gateway.host, '10.0.0.5');
  assert.is(loaded.config.gateway.port, 4444);
  assert.equal(loaded.includes, ['/remote/home/.kafclaw/base.json']);
  assert.equal(loaded.envFiles, ['/remote/home/.config/kafclaw/env']);
  assert.ok(asked.every((path) => path.startsWith('/remote/home/')));
});

test('$include: includes merged first, own keys win, sources name the file that set the key', async () => {
  const f = await fixtureHome();
  try {
    const base = await f.write('.kafclaw/base.json', '{"gateway": {"host": "0.0.0.0", "port": 5000}, "channels": {"slack": {"allowFrom": ["a", "b"]}}}');
    const extra = await f.write('.kafclaw/sub/extra.json', '{"gateway": {"port": 6000}, "model": {"name": "x/y"}}');
    const main = await f.write('.kafclaw/config.json', '{"$include": ["base.json", "sub/extra.json"], "gateway": {"host": "127.0.0.1"}}');
    const loaded = await loadConfig({ env: { HOME: f.home } });
    assert.is(loaded.config.gateway.host, '127.0.0.1');
    assert.is(loaded.config.gateway.port, 6000);
    assert.equal(loaded.includes, [base, extra]);
    assert.equal(loaded.sourceOf('gateway.host'), { kind: 'file', path: main });
    assert.equal(loaded.sourceOf('gateway.port'), { kind: 'file', path: extra });
    assert.equal(loaded.sourceOf('channels.slack.allowFrom[1]'), { kind: 'file', path: base });
    assert.equal(loaded.sourceOf('gateway.dashboardPort'), { kind: 'default' });
    assert.not.ok('$include' in loaded.fileConfig);
  } finally {
    await f.cleanup();
  }
});

test('a type error inside an included file names that file and line', async () => {
  const f = await fixtureHome();
  try {
    const part = await f.write('.kafclaw/tools.json', '{\n  "tools": {\n    "exec": {"timeout": "5m"}\n  }\n}\n');
    await f.write('.kafclaw/config.json', '{"$include": "tools.json"}');
    const error = await configError(loadConfig({ env: { HOME: f.home } }));
    assert.is(error.path, part);
    assert.is(error.line, 3);
    assert.match(error.message, /300000000000 for 5m0s/);
  } finally {
    await f.cleanup();
  }
});

test('$include cycle: ConfigError naming the chain', async () => {
  const f = await fixtureHome();
  try {
    await f.write('.kafclaw/config.json', '{"$include": "a.json"}');
    await f.write('.kafclaw/a.json', '{"$include": ["b.json"]}');
    await f.write('.kafclaw/b.json', '{\n  "$include": "a.json"\n}');
    const error = await configError(loadConfig({ env: { HOME: f.home } }));
    assert.match(error.message, /cycle/);
    assert.match(error.message, /config\.json -> .*a\.json -> .*b\.json -> .*a\.json/);
    assert.is(error.line, 2);
  } finally {
    await f.cleanup();
  }
});

test('${VAR}: substituted only when set (empty counts); fileConfig keeps the reference', async () => {
  const f = await fixtureHome();
  try {
    await f.write(
      '.kafclaw/config.json',
      JSON.stringify({ gateway: { authToken: '${KAFCLAW_GATEWAY_AUTH_TOKEN_REF}', host: '${UNSET_VAR}' }, model: { name: 'p/${EMPTY}m' } }),
    );
    const loaded = await loadConfig({ env: { HOME: f.home, KAFCLAW_GATEWAY_AUTH_TOKEN_REF: CANARY, EMPTY: '' } });
    assert.is(loaded.config.gateway.authToken.reveal(), CANARY);
    assert.is(loaded.config.gateway.host, '${UNSET_VAR}');
    assert.is(loaded.config.model.name, 'p/m');
    assert.is((loaded.fileConfig.gateway as Record<string, unknown>).authToken, '${KAFCLAW_GATEWAY_AUTH_TOKEN_REF}');
    const source = loaded.sourceOf('gateway.authToken');
    assert.is(source.kind, 'file');
    assert.equal(source.kind === 'file' && source.references, ['KAFCLAW_GATEWAY_AUTH_TOKEN_REF']);
  } finally {
    await f.cleanup();
  }
});

test('env files: KafClaw order, first file wins, process env never overridden, sources recorded', async () => {
  const f = await fixtureHome();
  try {
    const explicit = await f.write('custom.env', 'export KAFCLAW_GATEWAY_PORT=7001\n# comment\nONLY_EXPLICIT="quoted value"\n');
    const config = await f.write('.config/kafclaw/env', 'KAFCLAW_GATEWAY_PORT=7002\nKAFCLAW_GATEWAY_HOST=10.1.1.1\nFROM_CONFIG=\'single\'\n');
    await f.write('.kafclaw/env', 'KAFCLAW_GATEWAY_HOST=10.2.2.2\nKAFCLAW_MODEL_MODEL=from/dotkafclaw\n');
    const dotenv = await f.write('.kafclaw/.env', 'KAFCLAW_MODEL_MODEL=from/dotenv\nPROCESS_WINS=file\nLAST=1\n');
    const loaded = await loadConfig({ env: { HOME: f.home, KAFCLAW_ENV_FILE: explicit, PROCESS_WINS: 'process' } });
    assert.equal(loaded.envFiles, [explicit, config, join(f.home, '.kafclaw/env'), dotenv]);
    assert.is(loaded.config.gateway.port, 7001);
    assert.is(loaded.config.gateway.host, '10.1.1.1');
    assert.is(loaded.config.model.name, 'from/dotkafclaw');
    assert.is(loaded.env.ONLY_EXPLICIT, 'quoted value');
    assert.is(loaded.env.FROM_CONFIG, 'single');
    assert.is(loaded.env.PROCESS_WINS, 'process');
    assert.is(loaded.envSources.PROCESS_WINS, 'process');
    assert.is(loaded.envSources.KAFCLAW_GATEWAY_PORT, explicit);
    assert.is(loaded.envSources.KAFCLAW_GATEWAY_HOST, config);
    assert.is(loaded.envSources.LAST, dotenv);
    assert.equal(loaded.sourceOf('gateway.port'), { kind: 'env', name: 'KAFCLAW_GATEWAY_PORT', file: explicit });
  } finally {
    await f.cleanup();
  }
});

test('env files use HOME, not KAFCLAW_HOME; an env file can point KAFCLAW_CONFIG elsewhere', async () => {
  const f = await fixtureHome();
  try {
    await f.write('other/.config/kafclaw/env', 'KAFCLAW_GATEWAY_PORT=9999\n');
    const target = await f.write('elsewhere.json', '{"gateway": {"port": 8123}}');
    await f.write('.config/kafclaw/env', `KAFCLAW_CONFIG=${target}\n`);
    const loaded = await loadConfig({ env: { HOME: f.home, KAFCLAW_HOME: join(f.home, 'other') } });
    assert.is(loaded.path, target);
    assert.is(loaded.config.gateway.port, 8123);
  } finally {
    await f.cleanup();
  }
});

test('env overlay: environment over file over defaults, runbook and KafClaw names, MIKROBOT legacy', async () => {
  const f = await fixtureHome();
  try {
    await f.write('.kafclaw/config.json', JSON.stringify({ gateway: { host: '127.0.0.1', port: 1000 }, tools: { exec: { restrictToWorkspace: true } }, channels: { slack: { dmPolicy: 'pairing' } } }));
    const loaded = await loadConfig({
      env: {
        HOME: f.home,
        KAFCLAW_GATEWAY_HOST: '0.0.0.0',
        MIKROBOT_GATEWAY_PORT: '2000',
        KAFCLAW_GATEWAY_DASHBOARD_PORT: '3000',
        KAFCLAW_TOOLS_EXEC_RESTRICT_WORKSPACE: 'false',
        KAFCLAW_CHANNELS_SLACK_DMPOLICY: 'open',
        KAFCLAW_CHANNELS_WHATSAPP_WHATSAPP_ENABLED: 'true',
        KAFCLAW_CHANNELS_WHATSAPP_DROP_UNAUTHORIZED: 'true',
        KAFCLAW_CHANNELS_WHATSAPP_ALLOWFROM: '49170,49171',
        KAFCLAW_CHANNELS_MSTEAMS_MSTEAMS_SESSION_SCOPE: 'account',
        KAFCLAW_PATHS_WORK_REPO_PATH: '~/repo',
        KAFCLAW_MODEL_MODEL: 'kafclaw/model',
        MIKROBOT_AGENTS_MODEL: 'legacy/model',
        KAFCLAW_OPENAI_API_KEY: CANARY,
      },
    });
    const c = loaded.config;
    assert.is(c.gateway.host, '0.0.0.0');
    assert.is(c.gateway.port, 2000);
    assert.is(c.gateway.dashboardPort, 3000);
    assert.is(c.tools.exec.restrictToWorkspace, false);
    assert.is(c.channels.slack.dmPolicy, 'open');
    assert.is(c.channels.whatsapp.enabled, true);
    assert.is(c.channels.whatsapp.dropUnauthorized, true);
    assert.equal(c.channels.whatsapp.allowFrom, ['49170', '49171']);
    assert.is(c.channels.msteams.sessionScope, 'account');
    assert.is(c.paths.workRepoPath, join(f.home, 'repo'));
    assert.is(c.model.name, 'legacy/model', 'MIKROBOT_AGENTS_* runs last and wins for model');
    assert.is(c.providers.openai.apiKey.source, 'env:KAFCLAW_OPENAI_API_KEY');
    assert.equal(loaded.sourceOf('gateway.host'), { kind: 'env', name: 'KAFCLAW_GATEWAY_HOST' });
    assert.equal(loaded.sourceOf('gateway.port'), { kind: 'env', name: 'MIKROBOT_GATEWAY_PORT' });
    assert.equal(loaded.sourceOf('tools.exec.restrictToWorkspace'), { kind: 'env', name: 'KAFCLAW_TOOLS_EXEC_RESTRICT_WORKSPACE' });
    assert.equal(loaded.sourceOf('channels.whatsapp.dropUnauthorized'), { kind: 'env', name: 'KAFCLAW_CHANNELS_WHATSAPP_DROP_UNAUTHORIZED' });
    assert.equal(loaded.sourceOf('channels.whatsapp.allowFrom[0]'), { kind: 'env', name: 'KAFCLAW_CHANNELS_WHATSAPP_ALLOWFROM' });
  } finally {
    await f.cleanup();
  }
});

test('the name KafClaw reads wins over the runbook name', async () => {
  const loaded = await loadConfig({
    env: { HOME: '/nonexistent-home', KAFCLAW_TOOLS_EXEC_RESTRICT_WORKSPACE: 'false', KAFCLAW_TOOLS_EXEC_EXEC_RESTRICT_WORKSPACE: 'true' },
  });
  assert.is(loaded.config.tools.exec.restrictToWorkspace, true);
  assert.equal(loaded.sourceOf('tools.exec.restrictToWorkspace'), { kind: 'env', name: 'KAFCLAW_TOOLS_EXEC_EXEC_RESTRICT_WORKSPACE' });
});

test('a set-but-empty token in the environment overrides the file and disables auth', async () => {
  const f = await fixtureHome();
  try {
    await f.write('.kafclaw/config.json', JSON.stringify({ gateway: { host: '0.0.0.0', authToken: CANARY } }));
    const file = await f.write('.config/kafclaw/env', 'KAFCLAW_GATEWAY_AUTH_TOKEN=\n');
    const loaded = await loadConfig({ env: { HOME: f.home } });
    assert.ok(loaded.config.gateway.authToken.isEmpty());
    assert.equal(loaded.sourceOf('gateway.authToken'), { kind: 'env', name: 'KAFCLAW_GATEWAY_AUTH_TOKEN', file });
    assert.is(loaded.config.gateway.authToken.source, 'env:KAFCLAW_GATEWAY_AUTH_TOKEN');
    const legacy = await loadConfig({ env: { HOME: f.home, MIKROBOT_GATEWAY_AUTH_TOKEN: '', KAFCLAW_GATEWAY_AUTH_TOKEN: CANARY } });
    assert.is(legacy.config.gateway.authToken.reveal(), CANARY, 'KAFCLAW_ wins over MIKROBOT_');
  } finally {
    await f.cleanup();
  }
});

test('an unparsable value ends its group, as envconfig does, and is reported', async () => {
  const loaded = await loadConfig({
    env: { HOME: '/nonexistent-home', KAFCLAW_GATEWAY_PORT: '80a', KAFCLAW_GATEWAY_AUTH_TOKEN: CANARY, KAFCLAW_GATEWAY_HOST: '0.0.0.0' },
  });
  assert.is(loaded.config.gateway.host, '0.0.0.0', 'fields before the bad one are applied');
  assert.is(loaded.config.gateway.port, 18790);
  assert.ok(loaded.config.gateway.authToken.isEmpty(), 'fields after the bad one are not');
  assert.equal(loaded.envIssues.map((issue) => [issue.name, issue.key]), [['KAFCLAW_GATEWAY_PORT', 'gateway.port']]);
});

test('bare alt names: from the process env ignored by default, applied with bareAltNamesFrom everywhere, shadowed by prefixed names', async () => {
  const env = { HOME: '/nonexistent-home', PORT: '8080', AUTH_TOKEN: '', MODEL: 'stray/model', HOST: '0.0.0.0', KAFCLAW_GATEWAY_HOST: '127.0.0.2' };
  const plain = await loadConfig({ env });
  assert.is(plain.config.gateway.port, 18790);
  assert.is(plain.config.gateway.host, '127.0.0.2');
  assert.is(plain.config.model.name, 'anthropic/claude-sonnet-4-5');
  assert.equal(plain.sourceOf('gateway.port'), { kind: 'default' });
  const honoured = await loadConfig({ env, bareAltNamesFrom: 'everywhere' });
  assert.is(honoured.config.gateway.port, 8080);
  assert.is(honoured.config.gateway.host, '127.0.0.2');
  assert.is(honoured.config.model.name, 'stray/model');
  assert.is(honoured.config.memory.embedding.model, 'stray/model');
  assert.equal(honoured.sourceOf('gateway.port'), { kind: 'env', name: 'PORT' });
});

test('bare alt names in an env file are honoured as KafClaw honours them, with the file as their source', async () => {
  const f = await fixtureHome();
  try {
    const file = await f.write('.config/kafclaw/env', `HOST=0.0.0.0\nPORT=8080\nAUTH_TOKEN=${CANARY}\nMODEL=file/model\n`);
    const loaded = await loadConfig({ env: { HOME: f.home, HOST: 'workstation', KAFCLAW_GATEWAY_PORT: '7000' } });
    assert.is(loaded.config.gateway.host, '0.0.0.0', 'the file\'s HOST, not the HOST of this process (a shell\'s)');
    assert.equal(loaded.sourceOf('gateway.host'), { kind: 'env', name: 'HOST', file });
    assert.is(loaded.config.gateway.port, 7000, 'the prefixed name shadows the bare one');
    assert.equal(loaded.sourceOf('gateway.port'), { kind: 'env', name: 'KAFCLAW_GATEWAY_PORT' });
    assert.is(loaded.config.gateway.authToken.reveal(), CANARY);
    assert.equal(loaded.sourceOf('gateway.authToken'), { kind: 'env', name: 'AUTH_TOKEN', file });
    assert.is(loaded.config.model.name, 'file/model');
    assert.not.ok(JSON.stringify(loaded).includes(CANARY), 'the bare token is scrubbed from views');
    assert.is(loaded.env.HOST, 'workstation', 'the effective env still says what this process holds');
  } finally {
    await f.cleanup();
  }
});

test('a prefixed name in a later env file still shadows a bare name in an earlier one', async () => {
  const f = await fixtureHome();
  try {
    await f.write('.config/kafclaw/env', 'HOST=0.0.0.0\n');
    const dotenv = await f.write('.kafclaw/.env', 'KAFCLAW_GATEWAY_HOST=127.0.0.1\n');
    const loaded = await loadConfig({ env: { HOME: f.home } });
    assert.is(loaded.config.gateway.host, '127.0.0.1');
    assert.equal(loaded.sourceOf('gateway.host'), { kind: 'env', name: 'KAFCLAW_GATEWAY_HOST', file: dotenv });
  } finally {
    await f.cleanup();
  }
});

test('OPENAI_API_KEY, then OPENROUTER_API_KEY, fill providers.openai.apiKey only when it is empty', async () => {
  const first = await loadConfig({ env: { HOME: '/nonexistent-home', OPENAI_API_KEY: 'sk-openai-000', OPENROUTER_API_KEY: 'sk-or-000' } });
  assert.is(first.config.providers.openai.apiKey.reveal(), 'sk-openai-000');
  assert.equal(first.sourceOf('providers.openai.apiKey'), { kind: 'env', name: 'OPENAI_API_KEY' });
  const second = await loadConfig({ env: { HOME: '/nonexistent-home', OPENROUTER_API_KEY: 'sk-or-000' } });
  assert.is(second.config.providers.openai.apiKey.source, 'env:OPENROUTER_API_KEY');
  assert.ok(second.config.providers.openrouter.apiKey.isEmpty());
  const kept = await loadConfig({ env: { HOME: '/nonexistent-home', KAFCLAW_OPENAI_API_KEY: 'sk-mine', OPENAI_API_KEY: 'sk-other' } });
  assert.is(kept.config.providers.openai.apiKey.reveal(), 'sk-mine');
});

test('legacy agents.defaults migrate into paths and model; unknown keys survive in config and fileConfig', async () => {
  const f = await fixtureHome();
  try {
    await f.write('.kafclaw/config.json', JSON.stringify({ agents: { defaults: { model: 'old/model', workRepoPath: '/srv/repo' } }, hardening: { tokenRotationDays: 30 }, gateway: { extra: 'kept' } }));
    const loaded = await loadConfig({ env: { HOME: f.home } });
    assert.is(loaded.config.model.name, 'old/model');
    assert.is(loaded.config.paths.workRepoPath, '/srv/repo');
    assert.is(loaded.sourceOf('model.name').kind, 'file');
    assert.equal(loaded.config.hardening, { tokenRotationDays: 30 });
    assert.is(loaded.config.gateway.extra, 'kept');
    assert.equal(loaded.fileConfig.hardening, { tokenRotationDays: 30 });
    assert.is(loaded.kafclawWorkspace, join(f.home, 'KafClaw-Workspace'));
  } finally {
    await f.cleanup();
  }
});

test('secrets never leak through JSON.stringify or inspect of the LoadedConfig', async () => {
  const f = await fixtureHome();
  try {
    await f.write(
      '.kafclaw/config.json',
      JSON.stringify({
        gateway: { authToken: CANARY },
        providers: { anthropic: { apiKey: `sk-ant-${CANARY}` } },
        channels: { slack: { signingSecret: `${CANARY}-unknown-key` } },
        hardening: { notes: `sk-proj-${CANARY}` },
      }),
    );
    await f.write('.config/kafclaw/env', `KAFCLAW_OPENAI_API_KEY=${CANARY}-openai\nSOME_SERVICE_TOKEN=${CANARY}-other\n`);
    const loaded = await loadConfig({ env: { HOME: f.home, SLACK_SIGNING_SECRET: `${CANARY}-process` } });
    assert.is(loaded.config.gateway.authToken.reveal(), CANARY);
    for (const text of [JSON.stringify(loaded), inspect(loaded, { depth: 20 })]) {
      assert.not.match(text, 'canary-');
    }
    assert.ok(isSecret(loaded.config.channels.slack.signingSecret), 'unknown credential-like keys become Secrets too');
    assert.is(loaded.config.hardening && (loaded.config.hardening as Record<string, unknown>).notes, `sk-proj-${CANARY}`);
    assert.not.match(JSON.stringify(loaded.config.channels), 'canary-');
    assert.match(JSON.stringify(loaded), '"authToken":"(secret)"');
    assert.is(loaded.env.SOME_SERVICE_TOKEN, `${CANARY}-other`, 'values stay readable by code');
  } finally {
    await f.cleanup();
  }
});

test('a "__proto__" key in config.json or an include pollutes nothing', async () => {
  const f = await fixtureHome();
  try {
    await f.write('.kafclaw/base.json', '{"__proto__": {"polluted": 1}, "gateway": {"__proto__": {"polluted": 2}}}');
    await f.write('.kafclaw/config.json', '{"$include": "base.json", "__proto__": {"polluted": 3}, "gateway": {"__proto__": {"x": 1}}}');
    const loaded = await loadConfig({ env: { HOME: f.home } });
    assert.is(({} as Record<string, unknown>).polluted, undefined);
    assert.is(loaded.config.gateway.port, 18790);
    assert.is(Object.getPrototypeOf(loaded.config), Object.prototype);
  } finally {
    await f.cleanup();
  }
});

test.run();

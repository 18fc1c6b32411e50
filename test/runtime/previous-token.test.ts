import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, PREVIOUS_TOKEN_ENV, PREVIOUS_TOKEN_EXPIRES_ENV } from '../../lib/config/index.js';
import { build } from '../../runtime/app.js';
import { previousGatewayToken } from '../../runtime/previous-token.js';
import { settingsFromConfig } from '../../runtime/settings-from-config.js';
import { TimelineStore } from '../../runtime/timeline/store.js';
import { LogCapture, strongToken, tempDir } from './fixtures.js';

const NEW = strongToken().reveal();
const OLD = strongToken().reveal();
const at = (env: Record<string, string>) => ({ env, envSources: Object.fromEntries(Object.keys(env).map((name) => [name, '/home/k/.config/kafclaw/env'])) });

test('none set: no previous token', () => {
  assert.is(previousGatewayToken(at({})), null);
  assert.is(previousGatewayToken(at({ [PREVIOUS_TOKEN_ENV]: '' })), null);
});

test('a previous token carries its expiry, and a source name but never its value', () => {
  const token = previousGatewayToken(at({ [PREVIOUS_TOKEN_ENV]: OLD, [PREVIOUS_TOKEN_EXPIRES_ENV]: '2026-12-08T12:00:00+01:00' }));
  assert.is(token?.secret.reveal(), OLD);
  assert.is(token?.secret.source, `env:${PREVIOUS_TOKEN_ENV}`);
  assert.is(token?.expiresAt?.toISOString(), '2026-12-08T11:00:00.000Z');
});

test('a previous token without a readable expiry is refused, naming the file, the key and what to set', () => {
  for (const expires of [undefined, '', 'tomorrow', '2026-12-08', '2026-12-08T12:00:00', '2026-13-45T99:00:00Z']) {
    const env: Record<string, string> = { [PREVIOUS_TOKEN_ENV]: OLD };
    if (expires !== undefined) env[PREVIOUS_TOKEN_EXPIRES_ENV] = expires;
    try {
      previousGatewayToken(at(env));
      assert.unreachable(`accepted ${expires}`);
    } catch (error) {
      const problem = error as Error & { path?: string; key?: string };
      assert.is(problem.name, 'ConfigError', String(expires));
      assert.is(problem.path, '/home/k/.config/kafclaw/env');
      assert.is(problem.key, PREVIOUS_TOKEN_EXPIRES_ENV);
      assert.match(problem.message, `Set ${PREVIOUS_TOKEN_EXPIRES_ENV}=`);
      assert.not.ok(problem.message.includes(OLD), 'the token is never quoted');
    }
  }
});

test('an expiry more than 30 days ahead is refused, whoever wrote it; 30 days is accepted', () => {
  const now = Date.parse('2026-12-07T12:00:00Z');
  const env = (expires: string) => at({ [PREVIOUS_TOKEN_ENV]: OLD, [PREVIOUS_TOKEN_EXPIRES_ENV]: expires });
  assert.is(previousGatewayToken(env('2027-01-06T12:00:00Z'), now)?.expiresAt?.toISOString(), '2027-01-06T12:00:00.000Z');
  try {
    previousGatewayToken(env('2027-01-06T12:00:01Z'), now);
    assert.unreachable('accepted 30 days and a second');
  } catch (error) {
    assert.is((error as Error).name, 'ConfigError');
    assert.match((error as Error).message, 'more than 30 days ahead');
  }
});

/** The gateway as `kafclaw gateway` builds it from a home whose env file holds `envFile`. */
async function gatewayFrom(
  envFile: string,
  run: (get: (token: string) => Promise<number>, tokens: number) => Promise<void>,
  config: unknown = { gateway: { authToken: '${KAFCLAW_GATEWAY_AUTH_TOKEN}' } },
): Promise<void> {
  const dir = tempDir();
  try {
    mkdirSync(join(dir.path, '.kafclaw'), { mode: 0o700 });
    mkdirSync(join(dir.path, '.config', 'kafclaw'), { recursive: true, mode: 0o700 });
    writeFileSync(join(dir.path, '.kafclaw', 'config.json'), JSON.stringify(config), { mode: 0o600 });
    writeFileSync(join(dir.path, '.config', 'kafclaw', 'env'), envFile, { mode: 0o600 });
    const settings = settingsFromConfig(await loadConfig({ env: { HOME: dir.path }, cwd: dir.path }));
    const timeline = TimelineStore.open(settings.stateDir);
    const app = build(settings, { timeline, logDestination: new LogCapture() });
    try {
      const get = async (token: string) => (await app.inject({ url: '/api/v1/auth/verify', headers: { authorization: `Bearer ${token}` } })).statusCode;
      await run(get, settings.tokens.length);
    } finally {
      await app.close();
      timeline.close();
    }
  } finally {
    dir.remove();
  }
}

test('from the env file: the old token works beside the new one until its expiry, not after', async () => {
  const soon = new Date(Date.now() + 60_000).toISOString();
  await gatewayFrom(`KAFCLAW_GATEWAY_AUTH_TOKEN=${NEW}\n${PREVIOUS_TOKEN_ENV}=${OLD}\n${PREVIOUS_TOKEN_EXPIRES_ENV}=${soon}\n`, async (get, tokens) => {
    assert.is(tokens, 2);
    assert.is(await get(NEW), 200);
    assert.is(await get(OLD), 200);
  });
  const past = new Date(Date.now() - 1_000).toISOString();
  await gatewayFrom(`KAFCLAW_GATEWAY_AUTH_TOKEN=${NEW}\n${PREVIOUS_TOKEN_ENV}=${OLD}\n${PREVIOUS_TOKEN_EXPIRES_ENV}=${past}\n`, async (get) => {
    assert.is(await get(NEW), 200);
    assert.is(await get(OLD), 401);
  });
});

test('a previous token never opens a gateway that has no current token', async () => {
  const soon = new Date(Date.now() + 60_000).toISOString();
  const onlyPrevious = `${PREVIOUS_TOKEN_ENV}=${OLD}\n${PREVIOUS_TOKEN_EXPIRES_ENV}=${soon}\n`;
  await gatewayFrom(onlyPrevious, async (get, tokens) => {
    assert.is(tokens, 0);
    assert.is(await get(OLD), 401);
  }, { gateway: { host: '127.0.0.1' } });
});

test.run();

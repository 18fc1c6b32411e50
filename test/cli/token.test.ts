import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { fixtureHome, type FixtureHome } from '../checks/fixture-home.js';
import { Secret, estimateEntropyBits, REQUIRED_TOKEN_BITS } from '../../lib/secrets/index.js';
import { openStoreReadOnly, tokenRotationsOf, type TokenRotationRecord } from '../../lib/store/index.js';
import { kafclaw } from './run-cli.js';
import { treeHash } from '../tree-hash.js';
import { loadConfig } from '../../lib/config/index.js';
import { build } from '../../runtime/app.js';
import { settingsFromConfig } from '../../runtime/settings-from-config.js';
import { TimelineStore } from '../../runtime/timeline/store.js';
import { LogCapture } from '../runtime/fixtures.js';

const OLD = 'oldtoken-4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a';
const ENV_FILE = '.config/kafclaw/env';


/** A remote gateway whose config refers to the token, and an env file (0644, with a comment and another key) holding OLD. */
function envFileHome(): FixtureHome {
  const home = fixtureHome({ gateway: { host: '0.0.0.0', authToken: '${KAFCLAW_GATEWAY_AUTH_TOKEN}' } });
  home.write(ENV_FILE, `# operator notes\nKAFCLAW_GATEWAY_AUTH_TOKEN=${OLD}\nKAFCLAW_HOME=/srv/kc\n`, 0o644);
  return home;
}

const tokenIn = (home: FixtureHome) => /^KAFCLAW_GATEWAY_AUTH_TOKEN=(.*)$/m.exec(home.read(ENV_FILE))?.[1];
const occurrences = (text: string, value: string) => text.split(value).length - 1;

function rotations(home: FixtureHome, fingerprint: string): { current: TokenRotationRecord | null } {
  const store = openStoreReadOnly(home.path('.kafclaw/ops.db'));
  assert.ok(store, 'no ops.db');
  try {
    return tokenRotationsOf(store, 'gateway.authToken', fingerprint);
  } finally {
    store.close();
  }
}

test('token rotate: a new strong token 0600 in the env file, the old file backed up 0600, the rotation recorded; doctor and token status agree', () => {
  const home = envFileHome();
  try {
    const run = kafclaw(['token', 'rotate'], home.env);
    assert.is(run.code, 0, run.stderr);
    const token = tokenIn(home)!;
    assert.match(token, /^[0-9a-f]{64}$/);
    assert.ok(estimateEntropyBits(token) >= REQUIRED_TOKEN_BITS);
    assert.is(statSync(home.path(ENV_FILE)).mode & 0o777, 0o600);
    assert.match(home.read(ENV_FILE), /^# operator notes\n.*\nKAFCLAW_HOME=\/srv\/kc\n$/, 'the other lines are kept');

    const backups = readdirSync(home.path('.config/kafclaw')).filter((name) => name.startsWith('env.bak-'));
    assert.is(backups.length, 1);
    const backup = home.path(`.config/kafclaw/${backups[0]}`);
    assert.is(statSync(backup).mode & 0o777, 0o600);
    assert.match(readFileSync(backup, 'utf8'), `KAFCLAW_GATEWAY_AUTH_TOKEN=${OLD}`);

    const fingerprint = new Secret(token).fingerprint();
    const record = rotations(home, fingerprint).current;
    assert.equal(record && [record.fingerprint, record.reason, record.host, record.actor], [fingerprint, 'rotate', hostname(), userInfo().username]);
    assert.match(run.stdout, `fingerprint ${fingerprint}`);
    assert.match(run.stdout, backup);
    assert.match(run.stdout, /reload kafclaw-gateway/);
    for (const text of [run.stdout, run.stderr]) {
      assert.not.ok(text.includes(token), 'the new token was printed');
      assert.not.ok(text.includes(OLD), 'the old token was printed');
    }

    const age = JSON.parse(kafclaw(['doctor', '--only', 'gateway.auth-token-age', '--format', 'json'], home.env).stdout).checks[0];
    assert.equal([age.status, age.evidence.ageDays], ['pass', 0]);
    const status = kafclaw(['token', 'status', '--json'], home.env);
    assert.is(status.code, 0, status.stderr);
    const json = JSON.parse(status.stdout);
    assert.equal(
      [json.tokenFingerprint, json.tokenAgeDays, json.tokenRotation.state, json.tokenSource],
      [fingerprint, 0, 'rotated', `env KAFCLAW_GATEWAY_AUTH_TOKEN in ${home.path(ENV_FILE)}`],
    );
    const text = kafclaw(['token', 'status'], home.env).stdout;
    assert.match(text, /^Age: +rotated today \(/m);
    assert.not.ok(text.includes(token) || status.stdout.includes(token));
  } finally {
    home.cleanup();
  }
});

/** The status of GET /api/v1/auth/verify with each token, on the gateway `kafclaw gateway` would build from this home now. */
async function gatewayAnswers(home: FixtureHome, tokens: string[]): Promise<number[]> {
  const settings = settingsFromConfig(await loadConfig({ env: home.env, cwd: home.path('.') }));
  const timeline = TimelineStore.open(settings.stateDir);
  const app = build(settings, { timeline, logDestination: new LogCapture() });
  try {
    const answers: number[] = [];
    for (const token of tokens) answers.push((await app.inject({ url: '/api/v1/auth/verify', headers: { authorization: `Bearer ${token}` } })).statusCode);
    return answers;
  } finally {
    await app.close();
    timeline.close();
  }
}

test('token rotate --grace 2h keeps the old token valid beside the new one until then; a rotation without --grace ends it', async () => {
  const home = envFileHome();
  try {
    const started = Date.now();
    const run = kafclaw(['token', 'rotate', '--grace', '2h'], home.env);
    assert.is(run.code, 0, run.stderr);
    const first = tokenIn(home)!;
    const text = home.read(ENV_FILE);
    assert.match(text, `\nKAFCLAW_GATEWAY_PREVIOUS_AUTH_TOKEN=${OLD}\n`);
    const expires = Date.parse(/^KAFCLAW_GATEWAY_PREVIOUS_AUTH_EXPIRES=(.*)$/m.exec(text)![1]!);
    assert.ok(Math.abs(expires - started - 2 * 3_600_000) < 60_000, 'the old token expires two hours from now');
    assert.match(run.stdout, `stays valid until ${new Date(expires).toISOString()}`);
    assert.match(run.stdout, new Secret(OLD).fingerprint());
    assert.not.ok(run.stdout.includes(OLD) || run.stdout.includes(first) || run.stderr.includes(OLD), 'no token printed');
    assert.equal(await gatewayAnswers(home, [first, OLD, 'x'.repeat(64)]), [200, 200, 401]);

    const again = kafclaw(['token', 'rotate'], home.env);
    assert.is(again.code, 0, again.stderr);
    const second = tokenIn(home)!;
    assert.not.ok(home.read(ENV_FILE).includes('PREVIOUS'), 'a rotation without --grace leaves no previous token');
    assert.equal(await gatewayAnswers(home, [second, first, OLD]), [200, 401, 401]);
  } finally {
    home.cleanup();
  }
});

test('token rotate --grace refuses (exit 2) to keep a weak current token valid, and changes nothing', () => {
  const home = fixtureHome({ gateway: { host: '127.0.0.1', authToken: '${KAFCLAW_GATEWAY_AUTH_TOKEN}' } });
  try {
    home.write(ENV_FILE, 'KAFCLAW_GATEWAY_AUTH_TOKEN=changeme123\n', 0o600);
    const before = treeHash(home.home);
    const run = kafclaw(['token', 'rotate', '--grace', '1h'], home.env);
    assert.is(run.code, 2, run.stderr);
    assert.match(run.stderr, 'Rotate without --grace');
    assert.not.ok(run.stderr.includes('changeme123'));
    assert.is(treeHash(home.home), before);
    assert.is(kafclaw(['token', 'rotate'], home.env).code, 0, 'without --grace the weak token is simply replaced');
  } finally {
    home.cleanup();
  }
});

test('token rotate --grace with a duration it cannot use exits 2 and changes nothing', () => {
  const home = envFileHome();
  try {
    const before = treeHash(home.home);
    for (const grace of ['2 hours', '0m', '31d', '90s', '']) {
      const run = kafclaw(['token', 'rotate', '--grace', grace], home.env);
      assert.is(run.code, 2, `${grace}: ${run.stderr}`);
      assert.match(run.stderr, 'such as 30m, 2h or 1d');
    }
    assert.is(treeHash(home.home), before);
  } finally {
    home.cleanup();
  }
});

test('token generate --out writes a new strong token to a new 0600 file and says only its fingerprint; it never overwrites', () => {
  const home = envFileHome();
  try {
    const before = home.read(ENV_FILE);
    const file = home.path('new-token');
    const run = kafclaw(['token', 'generate', '--out', file], home.env);
    assert.is(run.code, 0, run.stderr);
    const token = readFileSync(file, 'utf8').trim();
    assert.match(token, /^[0-9a-f]{64}$/);
    assert.is(statSync(file).mode & 0o777, 0o600);
    assert.match(run.stderr, `fingerprint ${new Secret(token).fingerprint()}`);
    assert.not.ok(run.stdout.includes(token) || run.stderr.includes(token), 'the token was printed');
    assert.is(home.read(ENV_FILE), before, 'nothing installed');

    const again = kafclaw(['token', 'generate', '--out', file], home.env);
    assert.is(again.code, 2);
    assert.match(again.stderr, 'never overwritten');
    assert.is(readFileSync(file, 'utf8').trim(), token, 'the file is unchanged');
  } finally {
    home.cleanup();
  }
});

test('token generate --show prints the token alone on stdout; without --out or --show it refuses (exit 2)', () => {
  const home = envFileHome();
  try {
    const run = kafclaw(['token', 'generate', '--show'], home.env);
    assert.is(run.code, 0, run.stderr);
    assert.match(run.stdout, /^[0-9a-f]{64}\n$/);
    assert.match(run.stderr, `fingerprint ${new Secret(run.stdout.trim()).fingerprint()}; it is not installed anywhere`);
    assert.is.not(kafclaw(['token', 'generate', '--show'], home.env).stdout, run.stdout, 'a new token each time');
    const neither = kafclaw(['token', 'generate'], home.env);
    assert.is(neither.code, 2);
    assert.match(neither.stderr, '--out FILE');
    assert.is(neither.stdout, '');
  } finally {
    home.cleanup();
  }
});

test('token rotate --show prints the new token exactly once', () => {
  const home = envFileHome();
  try {
    const run = kafclaw(['token', 'rotate', '--show'], home.env);
    assert.is(run.code, 0, run.stderr);
    const token = tokenIn(home)!;
    assert.is(occurrences(run.stdout + run.stderr, token), 1);
    assert.is(occurrences(run.stdout + run.stderr, OLD), 0);
  } finally {
    home.cleanup();
  }
});

test('token rotate refuses (exit 2) a token that is a literal in config.json, and changes nothing', () => {
  const home = fixtureHome({ gateway: { host: '0.0.0.0', authToken: OLD } });
  try {
    const before = treeHash(home.home);
    const run = kafclaw(['token', 'rotate', '--show'], home.env);
    assert.is(run.code, 2);
    assert.match(run.stderr, /config\.json holds the token as a literal/);
    assert.match(run.stderr, '`kafclaw doctor --fix --only gateway.token-not-in-config` first');
    assert.is(run.stdout, '');
    assert.not.ok(run.stderr.includes(OLD));
    assert.is(treeHash(home.home), before, 'the refused rotation changed the home');
  } finally {
    home.cleanup();
  }
});

test('token rotate refuses (exit 2) when the environment it runs in would override the env file', () => {
  const home = fixtureHome({ gateway: { host: '0.0.0.0', authToken: '${KAFCLAW_GATEWAY_AUTH_TOKEN}' } }, { KAFCLAW_GATEWAY_AUTH_TOKEN: OLD });
  try {
    const before = treeHash(home.home);
    const run = kafclaw(['token', 'rotate'], home.env);
    assert.is(run.code, 2);
    assert.match(run.stderr, /would not take effect: .*KAFCLAW_GATEWAY_AUTH_TOKEN in this process's environment/);
    assert.is(treeHash(home.home), before);
    assert.ok(!existsSync(home.path('.kafclaw/ops.db')));
  } finally {
    home.cleanup();
  }
});

test('token rotate exits 1 when the rotation cannot be recorded (ops.db is a directory): the new token is in place, the next steps still printed', () => {
  const home = envFileHome();
  try {
    mkdirSync(home.path('.kafclaw/ops.db'));
    const run = kafclaw(['token', 'rotate'], home.env);
    assert.is(run.code, 1, run.stderr);
    const token = tokenIn(home)!;
    assert.match(token, /^[0-9a-f]{64}$/);
    assert.match(run.stdout, `fingerprint ${new Secret(token).fingerprint()}`);
    assert.match(run.stdout, /^Next:$/m);
    assert.not.match(run.stdout, /Rotation recorded/);
    assert.match(run.stderr, `the new token is in place, but its rotation could not be recorded in ${home.path('.kafclaw/ops.db')}: `);
    assert.match(run.stderr, /make the store writable, then rotate again/);
    assert.ok(statSync(home.path('.kafclaw/ops.db')).isDirectory());
    for (const text of [run.stdout, run.stderr]) assert.not.ok(text.includes(token) || text.includes(OLD), 'a token was printed');
  } finally {
    home.cleanup();
  }
});

test('token status on a config.json that is not valid JSON exits 2 naming the file, line and column, and prints no status', () => {
  const home = fixtureHome(`{\n  "gateway": {\n    "authToken": "${OLD}",\n  }\n}\n`);
  try {
    for (const args of [['token', 'status'], ['token', 'status', '--json']]) {
      const run = kafclaw(args, home.env);
      assert.is(run.code, 2, run.stderr);
      assert.is(run.stdout, '');
      assert.match(run.stderr, `${home.path('.kafclaw/config.json')}:4:3: invalid JSON`);
      assert.match(run.stderr, /trailing commas are not allowed/);
      assert.not.ok(run.stderr.includes(OLD), 'the token was printed');
    }
  } finally {
    home.cleanup();
  }
});

test('token status without a record says so and suggests token rotate; without a token says not set', () => {
  const home = envFileHome();
  const none = fixtureHome({});
  try {
    const text = kafclaw(['token', 'status'], home.env);
    assert.is(text.code, 0, text.stderr);
    assert.match(text.stdout, `Fingerprint:  ${new Secret(OLD).fingerprint()}`);
    assert.match(text.stdout, /^Age: +no rotation record \(no operations store at .*\/\.kafclaw\/ops\.db\)$/m);
    assert.match(text.stdout, /`kafclaw token rotate`/);
    assert.not.ok(text.stdout.includes(OLD));
    assert.ok(!existsSync(home.path('.kafclaw/ops.db')), 'token status created ops.db');
    assert.match(kafclaw(['token', 'status'], none.env).stdout, /^Token: +not set$/m);
  } finally {
    home.cleanup();
    none.cleanup();
  }
});

test('doctor --fix of gateway.auth-token-present records the rotation of the token it writes; --dry-run records nothing', () => {
  const home = fixtureHome({ gateway: { host: '0.0.0.0' } });
  try {
    const before = treeHash(home.home);
    const dry = kafclaw(['doctor', '--fix', '--dry-run', '--only', 'gateway.auth-token-present'], home.env);
    assert.match(dry.stdout, /ops:.*\/\.kafclaw\/ops\.db token rotation: \(absent\) -> gateway\.authToken sha256:[0-9a-f]{12} \(doctor --fix\)/);
    assert.is(treeHash(home.home), before, 'the dry run changed the home');
    assert.ok(!existsSync(home.path('.kafclaw/ops.db')));

    const run = kafclaw(['doctor', '--fix', '--only', 'gateway.auth-token-present'], home.env);
    assert.match(run.stdout, /repaired +gateway\.auth-token-present/);
    const token = tokenIn(home)!;
    const fingerprint = new Secret(token).fingerprint();
    const record = rotations(home, fingerprint).current;
    assert.equal(record && [record.fingerprint, record.reason], [fingerprint, 'doctor --fix']);
    assert.not.ok(run.stdout.includes(token) || run.stderr.includes(token));
    const age = JSON.parse(kafclaw(['doctor', '--only', 'gateway.auth-token-age', '--format', 'json'], home.env).stdout).checks[0];
    assert.equal([age.status, age.evidence.ageDays], ['pass', 0]);
  } finally {
    home.cleanup();
  }
});

test.run();

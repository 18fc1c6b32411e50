import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { fixtureHome, type FixtureHome } from '../checks/fixture-home.js';
import { Secret } from '../../lib/secrets/index.js';
import { openStore, recordTokenRotation } from '../../lib/store/index.js';
import { kafclaw } from './run-cli.js';

const TOKEN = 'e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6';
const OTHER = '0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9';
const DAY = 86_400_000;

function tokenHome(): FixtureHome {
  return fixtureHome({ gateway: { authToken: '${KAFCLAW_GATEWAY_AUTH_TOKEN}' } }, { KAFCLAW_GATEWAY_AUTH_TOKEN: TOKEN });
}

/** A rotation of `token` recorded `daysAgo` (plus an hour, so the whole days are stable) in the home's ops.db. */
function rotated(home: FixtureHome, token: string, daysAgo: number): string {
  const rotatedAt = new Date(Date.now() - daysAgo * DAY - 3_600_000).toISOString();
  const store = openStore(home.path('.kafclaw/ops.db'));
  try {
    recordTokenRotation(store, { host: 'gw1', kind: 'gateway.authToken', fingerprint: new Secret(token).fingerprint(), rotatedAt, actor: 'test', reason: 'scheduled' });
  } finally {
    store.close();
  }
  return rotatedAt;
}

const tokenAgeLine = (text: string) => text.split('\n').find((line) => line.startsWith('Token age:'));

test('status prints and reports in --json the age of the current token from ops.db', () => {
  const home = tokenHome();
  try {
    const rotatedAt = rotated(home, TOKEN, 12);
    const text = kafclaw(['status'], home.env);
    assert.is(text.code, 0, text.stderr);
    assert.is(tokenAgeLine(text.stdout), `Token age:     rotated 12 days ago (${rotatedAt.slice(0, 10)})`);
    const json = JSON.parse(kafclaw(['status', '--json'], home.env).stdout);
    assert.equal([json.tokenRotatedAt, json.tokenAgeDays, json.tokenRotation.state], [rotatedAt, 12, 'rotated']);
    assert.not.ok(text.stdout.includes(TOKEN));
  } finally {
    home.cleanup();
  }
});

test('status: a record of another token, and no store at all, are no record for the current token', () => {
  const other = tokenHome();
  const none = tokenHome();
  try {
    rotated(other, OTHER, 3);
    const line = tokenAgeLine(kafclaw(['status'], other.env).stdout)!;
    assert.match(line, `the current token (${new Secret(TOKEN).fingerprint()}) has no rotation record; the newest record`);
    assert.match(line, `is for another token (${new Secret(OTHER).fingerprint()})`);
    const json = JSON.parse(kafclaw(['status', '--json'], other.env).stdout);
    assert.equal([json.tokenRotatedAt, json.tokenAgeDays, json.tokenRotation.state], [null, null, 'no-record']);
    assert.match(tokenAgeLine(kafclaw(['status'], none.env).stdout)!, /no rotation record \(no operations store at .*\/\.kafclaw\/ops\.db\)/);
    assert.not.ok(existsSync(none.path('.kafclaw/ops.db')), 'status created ops.db');
  } finally {
    other.cleanup();
    none.cleanup();
  }
});

test('doctor reads the token age from ops.db and does not create one', () => {
  const home = tokenHome();
  const none = tokenHome();
  try {
    rotated(home, TOKEN, 120);
    const age = (h: FixtureHome) => JSON.parse(kafclaw(['doctor', '--only', 'gateway.auth-token-age', '--format', 'json'], h.env).stdout).checks[0];
    const old = age(home);
    assert.equal([old.status, old.message, old.evidence.ageDays], ['fail', 'the token is 120 days old (rotate every 90)', 120]);
    const unknown = age(none);
    assert.equal([unknown.status, unknown.message], ['warn', "no rotation record: the token's age is unknown; rotate it with `kafclaw token rotate` to start the record"]);
    assert.not.ok(existsSync(none.path('.kafclaw/ops.db')), 'doctor created ops.db');
  } finally {
    home.cleanup();
    none.cleanup();
  }
});

test('status --help names everything status prints', () => {
  const help = kafclaw(['status', '--help'], { PATH: process.env.PATH ?? '/usr/bin:/bin' });
  assert.is(help.code, 0);
  for (const what of ['config source', 'gateway bind', 'auth', 'providers', 'channels', 'reachability', 'last backup', 'last restore test', 'token age']) {
    assert.match(help.stdout.replace(/\s+/g, ' '), what);
  }
});

test.run();

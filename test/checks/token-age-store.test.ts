import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { fixtureHome, type FixtureHome } from './fixture-home.js';
import { Secret } from '../../lib/secrets/index.js';
import { openStore, recordTokenRotation } from '../../lib/store/index.js';
import { describeTokenRotation, tokenRotationView } from '../../checks/token-rotation.js';

const TOKEN = 'c4e1a9f07b3d52e8a6f1d09c7b3e5a2f8d4c6b1a0f9e7d5c3b2a1f0e9d8c7b6a';
const OTHER = 'a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6';
const NOW = new Date('2026-12-04T12:00:00Z');
const DAY = 86_400_000;

function home(): FixtureHome {
  return fixtureHome({ gateway: { authToken: '${KAFCLAW_GATEWAY_AUTH_TOKEN}' } }, { KAFCLAW_GATEWAY_AUTH_TOKEN: TOKEN });
}

/** Record rotations in the home's real operations store, `daysAgo` before NOW. */
function rotated(h: FixtureHome, ...records: Array<{ token: string; daysAgo: number }>): void {
  const store = openStore(h.path('.kafclaw/ops.db'));
  try {
    for (const { token, daysAgo } of records) {
      recordTokenRotation(store, { host: 'gw1', kind: 'gateway.authToken', fingerprint: new Secret(token).fingerprint(), rotatedAt: new Date(NOW.getTime() - daysAgo * DAY).toISOString(), actor: 'test', reason: 'scheduled' });
    }
  } finally {
    store.close();
  }
}

async function tokenAge(h: FixtureHome) {
  const [result] = await h.results('gateway.auth-token-age', { now: NOW });
  return result!;
}

test('doctor reads the token age from ops.db: pass, warn past tokenAgeWarnDays, fail past tokenRotationDays', async () => {
  for (const [daysAgo, status] of [[12, 'pass'], [45, 'warn'], [120, 'fail']] as const) {
    const h = home();
    try {
      rotated(h, { token: TOKEN, daysAgo });
      const result = await tokenAge(h);
      assert.is(result.status, status, `${daysAgo} days: ${result.message}`);
      assert.match(result.message, `${daysAgo} days old`);
    } finally {
      h.cleanup();
    }
  }
});

test('doctor: the newest record of the current token counts, a newer one of another token does not', async () => {
  const h = home();
  try {
    rotated(h, { token: TOKEN, daysAgo: 10 }, { token: OTHER, daysAgo: 2 });
    const result = await tokenAge(h);
    assert.equal([result.status, result.message], ['pass', 'the token is 10 days old']);
  } finally {
    h.cleanup();
  }
});

test('doctor: a record of another token only is no record; no ops.db is no record and none is created', async () => {
  const other = home();
  const none = home();
  try {
    rotated(other, { token: OTHER, daysAgo: 3 });
    const result = await tokenAge(other);
    assert.is(result.status, 'warn');
    assert.match(result.message, 'no rotation record');
    const missing = await tokenAge(none);
    assert.is(missing.status, 'warn');
    assert.match(missing.message, 'no rotation record');
    assert.not.ok(existsSync(none.path('.kafclaw/ops.db')), 'doctor created ops.db');
  } finally {
    other.cleanup();
    none.cleanup();
  }
});

test('view: the age in days and the date; another token, no store, no token', () => {
  const record = (token: string, daysAgo: number) => ({ host: 'gw1', kind: 'gateway.authToken', fingerprint: new Secret(token).fingerprint(), rotatedAt: new Date(NOW.getTime() - daysAgo * DAY - 3_600_000).toISOString(), actor: 'a', reason: 'r' });
  const mine = new Secret(TOKEN).fingerprint();
  const current = record(TOKEN, 12);
  assert.is(describeTokenRotation(tokenRotationView(mine, { current, newest: current }, '/h/ops.db', NOW)), 'rotated 12 days ago (2026-11-22)');
  const other = record(OTHER, 1);
  const view = tokenRotationView(mine, { current: null, newest: other }, '/h/ops.db', NOW);
  assert.equal(view, { state: 'no-record', fingerprint: mine, otherToken: { fingerprint: other.fingerprint, rotatedAt: other.rotatedAt } });
  assert.match(describeTokenRotation(view), `the current token (${mine}) has no rotation record; the newest record (2026-12-03) is for another token`);
  assert.is(describeTokenRotation(tokenRotationView(mine, null, '/h/ops.db', NOW)), 'no rotation record (no operations store at /h/ops.db)');
  assert.is(describeTokenRotation(tokenRotationView(null, null, '/h/ops.db', NOW)), 'no token set');
  assert.is(describeTokenRotation(tokenRotationView(mine, new Error('cannot open'), '/h/ops.db', NOW)), 'unknown (cannot open)');
});

test.run();

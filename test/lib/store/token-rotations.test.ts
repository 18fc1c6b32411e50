import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generateToken } from '../../../lib/secrets/index.js';
import { recordTokenRotation, newestTokenRotation, StoreError } from '../../../lib/store/index.js';
import { tempStore } from './helpers.js';

test('rotations are stored by fingerprint only; a raw token is refused', () => {
  const t = tempStore();
  try {
    const token = generateToken('test');
    const base = { host: 'gw1', kind: 'gateway.authToken', rotatedAt: '2026-11-20T00:00:00.000Z', actor: 'alice', reason: 'scheduled' };
    recordTokenRotation(t.store, { ...base, fingerprint: token.fingerprint() });
    assert.is(newestTokenRotation(t.store, 'gw1', 'gateway.authToken')?.fingerprint, token.fingerprint());
    try {
      recordTokenRotation(t.store, { ...base, fingerprint: token.reveal() });
      assert.unreachable();
    } catch (error) {
      assert.instance(error, StoreError);
      assert.not.ok((error as Error).message.includes(token.reveal()));
    }
    const raw = JSON.stringify(t.store.db.prepare('SELECT * FROM token_rotations').all());
    assert.not.ok(raw.includes(token.reveal()));
  } finally {
    t.cleanup();
  }
});

test.run();

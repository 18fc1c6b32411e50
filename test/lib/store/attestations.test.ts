import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { recordAttestation, currentAttestation } from '../../../lib/store/index.js';
import { tempStore } from './helpers.js';

test('an attestation counts until it expires', () => {
  const t = tempStore();
  try {
    recordAttestation(t.store, { checkId: 'ops.offsite-copy', host: 'gw1', statement: 'backups copied offsite nightly', attestedBy: 'alice', attestedAt: '2026-11-01T00:00:00.000Z', expiresAt: '2026-12-01T00:00:00.000Z' });
    assert.is(currentAttestation(t.store, 'ops.offsite-copy', 'gw1', new Date('2026-11-15T00:00:00Z'))?.attestedBy, 'alice');
    assert.is(currentAttestation(t.store, 'ops.offsite-copy', 'gw1', new Date('2026-12-02T00:00:00Z')), null);
    assert.is(currentAttestation(t.store, 'ops.offsite-copy', 'gw2', new Date('2026-11-15T00:00:00Z')), null);
  } finally {
    t.cleanup();
  }
});

test.run();

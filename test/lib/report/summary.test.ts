import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { familyOf, summarize, waivedNote, withStatus } from '../../../lib/report/summary.js';
import { result, sampleResults } from './fixture.js';

test('summarize counts by status, a waived result only as waived, adding up to the total', () => {
  const results = sampleResults();
  const s = summarize(results);
  assert.equal(s, { pass: 1, fail: 3, warn: 1, skip: 1, error: 1, waived: 1 });
  assert.is(Object.values(s).reduce((a, b) => a + b, 0), results.length);
  assert.equal(summarize([]), { pass: 0, fail: 0, warn: 0, skip: 0, error: 0, waived: 0 });
});

test('waivedNote, withStatus, familyOf', () => {
  assert.is(waivedNote(result({ id: 'a.b', status: 'fail' })), null);
  assert.is(waivedNote(result({ id: 'a.b', status: 'fail', waived: { reason: 'r', owner: 'o', expires: '2026-01-02' } })), 'waived (r, o, until 2026-01-02)');
  assert.equal(withStatus(sampleResults(), 'warn').map((r) => r.id), ['backup.fresh']);
  assert.is(familyOf('gateway.bind-loopback'), 'gateway');
  assert.is(familyOf('plain'), 'plain');
});

test.run();

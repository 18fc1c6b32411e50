import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { recordAuditRun, newestAuditRun } from '../../../lib/store/index.js';
import { tempStore } from './helpers.js';

test('audit runs are recorded and the newest per host comes back', () => {
  const t = tempStore();
  try {
    const base = { host: 'gw1', profile: 'production', finishedAt: '2026-11-20T00:01:00.000Z', passed: 40, failed: 2, waived: 1, exitCode: 1, summary: { failed: ['gateway.auth'] } };
    recordAuditRun(t.store, { ...base, startedAt: '2026-11-20T00:00:00.000Z' });
    recordAuditRun(t.store, { ...base, startedAt: '2026-11-21T00:00:00.000Z', failed: 0, exitCode: 0, summary: { failed: [] } });
    const newest = newestAuditRun(t.store, 'gw1');
    assert.is(newest?.exitCode, 0);
    assert.equal(newest?.summary, { failed: [] });
    assert.is(newestAuditRun(t.store, 'other'), null);
  } finally {
    t.cleanup();
  }
});

test.run();

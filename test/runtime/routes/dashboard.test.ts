import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { openStore, recordAuditRun, recordBackup, recordRestoreTest } from '../../../lib/store/index.js';
import { build } from '../../../runtime/app.js';
import { DEFAULT_CHANNEL_POLICY } from '../../../runtime/settings.js';
import type { GatewaySettings } from '../../../runtime/settings.js';
import { TimelineStore } from '../../../runtime/timeline/store.js';
import { strongToken, tempDir, testSettings } from '../fixtures.js';

const token = strongToken();
const auth = { authorization: `Bearer ${token.reveal()}` };

async function withDashboard(extra: Partial<GatewaySettings>, run: (app: FastifyInstance, dir: string, timeline: TimelineStore) => Promise<void>, surface: 'dashboard' | 'api' = 'dashboard') {
  const dir = tempDir();
  const settings = testSettings(dir.path, { tokens: [{ secret: token }], channels: { slack: DEFAULT_CHANNEL_POLICY }, ...extra });
  const timeline = TimelineStore.open(settings.stateDir);
  const app = build(settings, { timeline, surface });
  try {
    await run(app, dir.path, timeline);
  } finally {
    await app.close();
    timeline.close();
    dir.remove();
  }
}

test('the shell is public, holds no data, loads its script and style from files, with a CSP and no inline code', async () => {
  await withDashboard({}, async (app) => {
    const page = await app.inject({ method: 'GET', url: '/' });
    assert.is(page.statusCode, 200);
    assert.match(String(page.headers['content-type']), 'text/html');
    const csp = String(page.headers['content-security-policy']);
    assert.match(csp, "script-src 'self'");
    assert.not.match(csp, 'unsafe-inline');
    assert.is(page.headers['x-frame-options'], 'DENY');
    assert.is(page.headers['x-content-type-options'], 'nosniff');
    assert.match(page.body, '<script src="/dashboard.js" defer></script>');
    assert.not.match(page.body, /<script>|<script [^>]*>[^<]|style=|onclick=|onload=/, 'no inline script, style or handler');
    assert.not.match(page.body, token.reveal());
    const js = await app.inject({ method: 'GET', url: '/dashboard.js' });
    assert.equal([js.statusCode, String(js.headers['content-type'])], [200, 'text/javascript; charset=utf-8']);
    assert.match(js.body, 'sessionStorage');
    assert.not.match(js.body, 'innerHTML', 'gateway data is written as text, never as markup');
    const css = await app.inject({ method: 'GET', url: '/dashboard.css' });
    assert.equal([css.statusCode, String(css.headers['content-type'])], [200, 'text/css; charset=utf-8']);
  });
});

test('the shell exists only on the dashboard listener', async () => {
  await withDashboard({}, async (app) => {
    assert.is((await app.inject({ method: 'GET', url: '/' })).statusCode, 401);
    assert.is((await app.inject({ method: 'GET', url: '/dashboard.js' })).statusCode, 401);
  }, 'api');
});

test('GET /api/v1/dashboard needs the token; with none recorded the operations say so', async () => {
  await withDashboard({}, async (app, _dir, timeline) => {
    assert.is((await app.inject({ method: 'GET', url: '/api/v1/dashboard' })).statusCode, 401);
    timeline.record({ eventType: 'TEXT', classification: 'ACCESS_DENIED', senderId: '<img src=x onerror=alert(1)>', contentText: 'hi', authorized: false });
    const response = await app.inject({ method: 'GET', url: '/api/v1/dashboard', headers: auth });
    assert.is(response.statusCode, 200);
    const body = response.json();
    assert.equal(body.status.channels, [{ name: 'slack', enabled: true }]);
    assert.equal(body.status.agent_provider, 'offline');
    assert.equal(body.signals.map((s: { id: string }) => s.id), ['token-usage-spike', 'unknown-senders', 'high-risk-tool-attempts', 'auth-failures']);
    const kinds = body.security_events.map((e: { classification: string }) => e.classification);
    assert.equal(kinds, ['ACCESS_DENIED', 'AUTH_FAILURE']);
    assert.equal(body.operations, { source: null, audit: null, backup: null, restoreTest: null });
  });
});

test('the latest audit, backup and restore test come from the operations store, read-only', async () => {
  const dir = tempDir();
  const storePath = join(dir.path, 'ops', 'ops.db');
  const store = openStore(storePath);
  recordAuditRun(store, { host: 'gw1', profile: 'go-live', startedAt: '2026-11-24T10:00:00Z', finishedAt: '2026-11-24T10:00:05Z', passed: 30, failed: 1, waived: 2, exitCode: 1, summary: {} });
  recordBackup(store, { host: 'gw1', path: '/srv/backups/b1', name: 'b1', createdAt: '2026-11-24T03:00:00Z', sizeBytes: 10, manifestSha256: 'ab'.repeat(32), encrypted: true, verified: true, verifiedAt: '2026-11-24T03:01:00Z' });
  recordRestoreTest(store, { host: 'gw1', backupPath: '/srv/backups/b1', backupName: 'b1', manifestSha256: 'ab'.repeat(32), target: 'local-temp', startedAt: '2026-11-24T04:00:00Z', durationMs: 5, ok: false, failedSteps: ['integrity'], steps: [] });
  store.close();
  try {
    await withDashboard({ opsStorePath: storePath }, async (app) => {
      const body = (await app.inject({ method: 'GET', url: '/api/v1/dashboard', headers: auth })).json();
      assert.is(body.operations.source, storePath);
      assert.equal(body.operations.audit, { host: 'gw1', profile: 'go-live', finishedAt: '2026-11-24T10:00:05Z', passed: 30, failed: 1, waived: 2, exitCode: 1 });
      assert.equal(body.operations.backup, { host: 'gw1', name: 'b1', createdAt: '2026-11-24T03:00:00Z', encrypted: true, verified: true });
      assert.equal(body.operations.restoreTest, { host: 'gw1', target: 'local-temp', startedAt: '2026-11-24T04:00:00Z', ok: false, failedSteps: ['integrity'] });
    });
  } finally {
    dir.remove();
  }
});

test.run();

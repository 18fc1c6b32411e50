import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fixtureHome } from './fixture-home.js';
import { fakeRemote } from './fake-remote.js';
import { Secret } from '../../lib/secrets/index.js';
import { openStore, recordBackup, recordTokenRotation } from '../../lib/store/index.js';
import { collectFacts } from '../../checks/collect.js';
import { backupFresh } from '../../checks/backup.js';
import { authTokenAge } from '../../checks/gateway.js';
import type { OpsStoreFacts } from '../../checks/backup-facts.js';

const TOKEN = 'c4e1a9f07b3d52e8a6f1d09c7b3e5a2f8d4c6b1a0f9e7d5c3b2a1f0e9d8c7b6a';
const ROTATED_AT = '2026-11-22T09:00:00.000Z';
const CREATED_AT = '2026-12-03T02:00:00.000Z';

test('go-live on a remote host copies ops.db once for both the backup facts and the token age', async () => {
  const home = fixtureHome({});
  home.write('.config/kafclaw/env', `KAFCLAW_GATEWAY_AUTH_TOKEN=${TOKEN}\n`);
  const db = home.path('.kafclaw/ops.db');
  const store = openStore(db);
  try {
    recordTokenRotation(store, { host: 'gw1', kind: 'gateway.authToken', fingerprint: new Secret(TOKEN).fingerprint(), rotatedAt: ROTATED_AT, actor: 'test', reason: 'scheduled' });
    recordBackup(store, { host: 'gw1', path: '/var/backups/kafclaw/b1.tar', name: 'b1', createdAt: CREATED_AT, sizeBytes: 10, manifestSha256: 'a'.repeat(64), encrypted: true, verified: true, verifiedAt: CREATED_AT });
  } finally {
    store.close();
  }
  const host = fakeRemote(`Environment=HOME=${home.home}`);
  try {
    const facts = await collectFacts(host.target, [backupFresh, authTokenAge]);
    assert.equal(host.reads.filter((path) => path === db), [db], `ops.db read once: ${host.reads.join(', ')}`);
    assert.equal(host.reads.filter((path) => path === `${db}-wal`).length, 1);
    const ops = facts.get<OpsStoreFacts>('ops.store');
    assert.equal([ops.path, ops.exists, ops.newestVerifiedBackup?.name], [db, true, 'b1']);
    assert.is(facts.get('ops.token-rotated-at'), ROTATED_AT);
  } finally {
    host.cleanup();
    home.cleanup();
  }
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseManifest, serializeManifest, type Manifest } from '../../../lib/backup/manifest.js';

function manifest(): Manifest {
  return {
    format: 'kafclaw-backup', formatVersion: 1, name: 'kafclaw-backup-20261125T021612.345Z', createdAt: '2026-11-25T02:16:12.345Z',
    sourceHost: 'gw1', toolVersion: '0.1.0', encryption: null,
    database: { path: 'timeline.db', userVersion: 0, pageSize: 4096, pageCount: 10, tables: ['settings', 'timeline'], rowCounts: { settings: 1, timeline: 5 } },
    config: { path: 'config.json', keptReferences: [], removed: ['gateway.authToken'] },
    identity: { present: ['SOUL.md'], missing: [] },
    files: [
      { path: 'timeline.db', role: 'database', size: 40960, sha256: 'a'.repeat(64) },
      { path: 'config.json', role: 'config', size: 10, sha256: 'b'.repeat(64) },
      { path: 'workspace/SOUL.md', role: 'identity', size: 10, sha256: 'c'.repeat(64) },
    ],
  };
}

function problems(m: unknown): string[] {
  const result = parseManifest(JSON.stringify(m));
  return result.ok ? [] : result.problems;
}

test('a well-formed manifest round-trips', () => {
  const result = parseManifest(serializeManifest(manifest()));
  assert.ok(result.ok);
  if (result.ok) assert.equal(result.manifest, manifest());
});

test('unsafe paths, sidecars, duplicates and inconsistencies are rejected with where', () => {
  const traversal = manifest();
  traversal.files[1]!.path = '../../etc/cron.d/x';
  assert.match(problems(traversal).join(), 'files.1.path');
  const sidecar = manifest();
  sidecar.files.push({ path: 'timeline.db-wal', role: 'extra', size: 1, sha256: 'd'.repeat(64) });
  assert.ok(problems(sidecar).length > 0);
  const dup = manifest();
  dup.files.push({ ...dup.files[2]! });
  assert.match(problems(dup).join(), 'more than once');
  const counts = manifest();
  counts.database.tables.push('tasks');
  assert.match(problems(counts).join(), 'rowCounts');
  const identity = manifest();
  identity.identity.present.push('USER.md');
  assert.match(problems(identity).join(), 'USER.md');
  const enc = manifest();
  enc.encryption = { algorithm: 'aes-256-gcm-chunked', chunkSize: 65536, kdf: 'hkdf-sha256' };
  assert.match(problems(enc).join(), 'stored');
  assert.match(problems({ ...manifest(), formatVersion: 2 }).join(), 'formatVersion');
  const notJson = parseManifest('{');
  assert.not.ok(notJson.ok);
});

test.run();

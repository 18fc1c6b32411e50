import type { BackupRecord, RestoreTestRecord } from '../store/index.js';
import type { CreatedBackup } from './create.js';
import type { RestoreTestResult } from './restore-test.js';

/** The store's row for a backup just taken; `verified` says whether verifyBackup passed on it. */
export function backupRecordOf(backup: CreatedBackup, verified: boolean, at = new Date()): BackupRecord {
  return {
    host: backup.manifest.sourceHost,
    path: backup.path,
    name: backup.name,
    createdAt: backup.manifest.createdAt,
    sizeBytes: backup.manifest.files.reduce((sum, file) => sum + (file.stored?.size ?? file.size), 0),
    manifestSha256: backup.manifestSha256,
    encrypted: backup.manifest.encryption !== null,
    verified,
    verifiedAt: verified ? at.toISOString() : null,
  };
}

/** The store's row for a restore test; `host` is the backup's source host when the manifest was readable. */
export function restoreTestRecordOf(result: RestoreTestResult, sourceHost: string, target = 'local-temp'): RestoreTestRecord {
  return {
    host: sourceHost,
    backupPath: result.backupDir,
    backupName: result.backupName,
    manifestSha256: result.manifestSha256,
    target,
    startedAt: result.startedAt,
    durationMs: result.durationMs,
    ok: result.ok,
    failedSteps: result.failed,
    steps: result.steps.map(({ name, status, detail, durationMs }) => ({ name, status, detail, durationMs })),
  };
}

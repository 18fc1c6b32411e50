import { join } from 'node:path';
import type { Change, Noop, Resource } from '../../lib/resources/index.js';
import type { Secret } from '../../lib/secrets/secret.js';
import type { RestoreTestParams } from '../playbook/kinds/index.js';
import { newestLocalBackup } from './controller-backups.js';
import type { DrillHooks } from './hooks.js';

type Params = Omit<RestoreTestParams, 'encryption_key'> & { encryption_key?: Secret | null };

function newestIn(from: string): string {
  const newest = newestLocalBackup(from);
  if (!newest) throw new Error(`no backup in ${from} on the controller: fetch one first (a fetch_backup task in an earlier play)`);
  return newest;
}

/** restore_test: the clean-host drill of the newest controller-side backup on this host, on every run. */
export function restoreTestResource(params: Params, hooks: DrillHooks = {}): Resource {
  const id = `restore_test:${params.from}`;
  return {
    kind: 'restore_test',
    id,
    idempotent: false,
    probes: () => [],
    diff(): Change[] | Noop {
      // In check mode the fetch of an earlier play did not happen: say so rather than fail.
      return [{ resource: id, field: 'restore test', before: null, after: newestLocalBackup(params.from) ?? `the newest backup in ${params.from} (none there yet)` }];
    },
    async apply(target) {
      const newest = newestIn(params.from);
      // the backup code (and SQLite) loads only when a restore test runs
      const [{ restoreTestOnHost }, { withBackupDir }] = await Promise.all([import('../../lib/backup/drill.js'), import('../../lib/backup/index.js')]);
      const result = await withBackupDir(join(params.from, newest), (dir) =>
        restoreTestOnHost(dir, target, {
          ...(params.encryption_key ? { encryptionKey: params.encryption_key } : {}),
          ...(hooks.gatewaySmoke ? { gatewaySmoke: hooks.gatewaySmoke } : {}),
        }),
      );
      result.backupDir = join(params.from, newest);
      await hooks.recordRestoreTest?.(result, target.name);
      if (!result.ok) {
        const failed = result.steps.filter((step) => step.status === 'failed').map((step) => `${step.name}: ${step.detail}`);
        throw new Error(`the restore test of ${newest} failed: ${failed.join('; ') || 'a step did not run'}`);
      }
    },
  };
}

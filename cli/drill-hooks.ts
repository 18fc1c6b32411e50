import { homedir, hostname } from 'node:os';
import type { DrillHooks } from '../provision/drill/hooks.js';

/**
 * The runtime's gateway boot check and the controller's operations store for restore_test tasks.
 * Loaded on first use, so a playbook without a restore test never loads the runtime or SQLite.
 */
export function drillHooks(env: NodeJS.ProcessEnv = process.env): DrillHooks {
  return {
    gatewaySmoke: async (dir, manifest) => (await import('./backup-smoke.js')).gatewaySmoke(dir, manifest),
    recordRestoreTest: async (result, target) => {
      const [{ opsStorePath, restoreTestRecordOf }, { openStore, recordRestoreTest }] = await Promise.all([import('../lib/backup/index.js'), import('../lib/store/index.js')]);
      const store = openStore(opsStorePath(env.HOME || homedir()));
      try {
        recordRestoreTest(store, restoreTestRecordOf(result, result.sourceHost ?? hostname(), target));
      } finally {
        store.close();
      }
    },
  };
}

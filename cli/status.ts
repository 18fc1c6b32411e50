import { homedir } from 'node:os';
import { gatherStatus, renderStatus } from '../checks/status.js';
import { LocalTarget } from '../lib/target/local.js';
import { scrub } from '../lib/secrets/scrub.js';
import { opsStorePath } from '../lib/backup/locations.js';
import { newestRestoreTest, newestVerifiedBackup, openStoreReadOnly } from '../lib/store/index.js';
import { EXIT } from './exit-codes.js';

/** The last verified backup and the last restore test from the operations store; nulls when it has none. */
function fromStore(path: string): { lastBackup: string | null; lastRestoreTest: string | null } {
  let store;
  try {
    store = openStoreReadOnly(path);
  } catch (error) {
    return { lastBackup: `unknown (${(error as Error).message})`, lastRestoreTest: null };
  }
  if (!store) return { lastBackup: null, lastRestoreTest: null };
  try {
    const backup = newestVerifiedBackup(store);
    const test = newestRestoreTest(store);
    return {
      lastBackup: backup ? `${backup.createdAt} ${backup.path} (verified${backup.encrypted ? ', encrypted' : ''})` : null,
      lastRestoreTest: test
        ? `${test.startedAt} ${test.ok ? 'passed' : `FAILED (${test.failedSteps.join(', ')})`} on ${test.target}, backup ${test.backupName ?? test.backupPath}`
        : null,
    };
  } finally {
    store.close();
  }
}

export async function statusCommand(flags: { json?: boolean }): Promise<number> {
  const status = await gatherStatus(new LocalTarget(), fromStore(opsStorePath(process.env.HOME || homedir())));
  process.stdout.write(scrub(flags.json ? JSON.stringify(status, null, 2) + '\n' : renderStatus(status)));
  return EXIT.ok;
}

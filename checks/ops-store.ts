import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Target } from '../lib/target/types.js';
// lib/store loads the native SQLite addon: imported only when there is a store to read.
type StoreModule = typeof import('../lib/store/index.js');
type OpsStore = import('../lib/store/index.js').OpsStore;

/**
 * Read the operations database at `path` on the target, never creating it: null when the file does
 * not exist (SQLite is not even loaded then). A remote store is copied, with its WAL, to a private
 * temp file first. `read` gets the store module with the store, so callers need not import it.
 */
export async function readOpsStore<T>(target: Target, path: string, sudo: boolean, read: (store: OpsStore, lib: StoreModule) => T): Promise<T | null> {
  if (target.kind === 'local') {
    if (!(await target.stat(path))) return null;
    const lib = await import('../lib/store/index.js');
    const store = lib.openStoreReadOnly(path);
    if (!store) return null;
    try {
      return read(store, lib);
    } finally {
      store.close();
    }
  }
  const bytes = await target.readFile(path, { sudo });
  if (!bytes) return null;
  const lib = await import('../lib/store/index.js');
  const dir = await mkdtemp(join(tmpdir(), 'kafclaw-ops-copy-'));
  try {
    await writeFile(join(dir, 'ops.db'), bytes, { mode: 0o600 });
    const wal = await target.readFile(`${path}-wal`, { sudo });
    if (wal) await writeFile(join(dir, 'ops.db-wal'), wal, { mode: 0o600 });
    // read-write on the private copy, so SQLite can replay a WAL copied with it
    const store = lib.openStore(join(dir, 'ops.db'));
    try {
      return read(store, lib);
    } finally {
      store.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

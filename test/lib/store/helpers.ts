// Test helper (not a suite): a fresh store in a temp dir.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type OpsStore } from '../../../lib/store/index.js';

export function tempStore(): { store: OpsStore; root: string; path: string; cleanup(): void } {
  const root = mkdtempSync(join(tmpdir(), 'kafclaw-store-test-'));
  const path = join(root, 'state', 'ops.db');
  const store = openStore(path);
  return {
    store,
    root,
    path,
    cleanup: () => {
      try {
        store.close();
      } catch {}
      rmSync(root, { recursive: true, force: true });
    },
  };
}

import { restoreTestOnHost, type HostRestoreTestOptions } from '../lib/backup/drill.js';
import type { RestoreTestResult } from '../lib/backup/index.js';
import { gatewaySmoke } from './backup-smoke.js';
import { targetFromFlags, type HostFlags } from './host-target.js';

/** `restore-test --host`: the clean-host drill (lib/backup/drill.ts) on the host the flags name, with the gateway boot check. */
export async function remoteRestoreTest(
  from: string,
  flags: HostFlags & { host?: string },
  options: Omit<HostRestoreTestOptions, 'gatewaySmoke'> = {},
): Promise<{ result: RestoreTestResult; target: string }> {
  const { target } = await targetFromFlags(flags);
  try {
    return { result: await restoreTestOnHost(from, target, { ...options, gatewaySmoke }), target: flags.host ?? target.name };
  } finally {
    await target.close();
  }
}

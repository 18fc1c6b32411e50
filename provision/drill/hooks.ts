import type { GatewaySmokeHook, RestoreTestResult } from '../../lib/backup/index.js';

/** What the controller-side kinds (fetch_backup, restore_test) need from the layers above provision/. */
export interface DrillHooks {
  /** Boots a gateway on a restored state (the runtime's; provision/ cannot import it). */
  gatewaySmoke?: GatewaySmokeHook;
  /** Records a restore test in the controller's operations store. */
  recordRestoreTest?: (result: RestoreTestResult, target: string) => void | Promise<void>;
}

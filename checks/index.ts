import type { Check } from './types.js';
import { gatewayChecks } from './gateway.js';
import { secretsChecks } from './secrets.js';
import { hostChecks } from './host.js';
import { pathsChecks } from './paths.js';
import { toolsChecks } from './tools.js';
import { accessChecks } from './access.js';
import { kafclawChecks } from './kafclaw.js';
import { monitorChecks } from './monitor.js';
import { backupChecks } from './backup.js';

/** Every check, in catalog order. Ids are stable: never renamed, never reused. */
export const CHECKS: readonly Check[] = [
  ...gatewayChecks,
  ...secretsChecks,
  ...hostChecks,
  ...pathsChecks,
  ...toolsChecks,
  ...accessChecks,
  ...monitorChecks,
  ...kafclawChecks,
  ...backupChecks,
];

export function checkById(id: string): Check | undefined {
  return CHECKS.find((check) => check.id === id);
}

export * from './types.js';
export { runCheck, runChecks } from './engine.js';
export { DEFAULT_CHECK_OPTIONS } from './options.js';

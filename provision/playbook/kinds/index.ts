import type * as z from 'zod/mini';
import { userKind } from './user.js';
import { groupKind } from './group.js';
import { authorizedKeysKind } from './authorized-keys.js';
import { sudoersKind } from './sudoers.js';
import { directoryKind } from './directory.js';
import { fileKind } from './file.js';
import { envFileKind } from './env-file.js';
import { sshdConfigKind } from './sshd-config.js';
import { nftablesKind } from './nftables.js';
import { systemdUnitKind } from './systemd-unit.js';
import { serviceKind } from './service.js';
import { timerKind } from './timer.js';
import { journaldKind } from './journald.js';
import { sysctlKind } from './sysctl.js';
import { packageKind } from './package.js';
import { releaseKind } from './release.js';
import { fetchBackupKind } from './fetch-backup.js';
import { restoreTestKind } from './restore-test.js';

/** Every resource kind a task may use, by the key it is written under. */
export const RESOURCE_KINDS = {
  user: userKind,
  group: groupKind,
  authorized_keys: authorizedKeysKind,
  sudoers: sudoersKind,
  directory: directoryKind,
  file: fileKind,
  env_file: envFileKind,
  sshd_config: sshdConfigKind,
  nftables: nftablesKind,
  systemd_unit: systemdUnitKind,
  service: serviceKind,
  timer: timerKind,
  journald: journaldKind,
  sysctl: sysctlKind,
  package: packageKind,
  release: releaseKind,
  fetch_backup: fetchBackupKind,
  restore_test: restoreTestKind,
} as const;

export type ResourceKindName = keyof typeof RESOURCE_KINDS;
export const RESOURCE_KIND_NAMES = Object.keys(RESOURCE_KINDS) as ResourceKindName[];

/** The rendered, validated parameters of each kind. */
export type KindParams = { [K in ResourceKindName]: z.output<(typeof RESOURCE_KINDS)[K]['params']> };

/** A kind with its parameters, discriminated by `kind`. */
export type ResourceSpec = { [K in ResourceKindName]: { kind: K; params: KindParams[K] } }[ResourceKindName];

export function isResourceKind(name: string): name is ResourceKindName {
  return Object.hasOwn(RESOURCE_KINDS, name);
}

export type { UserParams } from './user.js';
export type { GroupParams } from './group.js';
export type { AuthorizedKeysParams } from './authorized-keys.js';
export type { SudoersParams } from './sudoers.js';
export type { DirectoryParams } from './directory.js';
export type { FileParams } from './file.js';
export type { EnvFileParams } from './env-file.js';
export type { SshdConfigParams } from './sshd-config.js';
export type { NftablesParams } from './nftables.js';
export type { SystemdUnitParams } from './systemd-unit.js';
export type { ServiceParams } from './service.js';
export type { TimerParams } from './timer.js';
export type { JournaldParams } from './journald.js';
export type { SysctlParams } from './sysctl.js';
export type { PackageParams } from './package.js';
export type { ReleaseParams } from './release.js';
export type { FetchBackupParams } from './fetch-backup.js';
export type { RestoreTestParams } from './restore-test.js';
export {
  userKind, groupKind, authorizedKeysKind, sudoersKind, directoryKind, fileKind, envFileKind, sshdConfigKind,
  nftablesKind, systemdUnitKind, serviceKind, timerKind, journaldKind, sysctlKind, packageKind, releaseKind,
  fetchBackupKind, restoreTestKind,
};

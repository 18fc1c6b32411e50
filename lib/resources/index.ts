import type { ResourceContext } from './context.js';
import type { Resource } from './types.js';
import { authorizedKeys, type AuthorizedKeysParams } from './authorized-keys.js';
import { directory, type DirectoryParams } from './directory.js';
import { envFile, type EnvFileParams } from './env-file.js';
import { file, type FileParams } from './file.js';
import { group, type GroupParams } from './group.js';
import { journald, type JournaldParams } from './journald.js';
import { nftables, type NftablesParams } from './nftables.js';
import { aptPackage, type PackageParams } from './package.js';
import { service, type ServiceParams } from './service.js';
import { sshdConfig, type SshdConfigParams } from './sshd-config.js';
import { sudoers, type SudoersParams } from './sudoers.js';
import { sysctl, type SysctlParams } from './sysctl.js';
import { sysctlLine, type SysctlLineParams } from './sysctl-line.js';
import { systemdUnit, type SystemdUnitParams } from './systemd-unit.js';
import { template, type TemplateParams } from './template.js';
import { timer, type TimerParams } from './timer.js';
import { user, type UserParams } from './user.js';

/** The parameters of each resource kind, as a playbook task `{kind: params}` gives them (after validation). */
export interface ResourceParams {
  user: UserParams;
  group: GroupParams;
  authorized_keys: AuthorizedKeysParams;
  sudoers: SudoersParams;
  directory: DirectoryParams;
  file: FileParams;
  template: TemplateParams;
  env_file: EnvFileParams;
  sshd_config: SshdConfigParams;
  nftables: NftablesParams;
  systemd_unit: SystemdUnitParams;
  service: ServiceParams;
  timer: TimerParams;
  journald: JournaldParams;
  /** One key (`{name, value, file}`, the playbook form) or a whole drop-in (`{name: 'x.conf', values}`). */
  sysctl: SysctlLineParams | SysctlParams;
  package: PackageParams;
}

export type ResourceKind = keyof ResourceParams;

type Constructors = { readonly [K in ResourceKind]: (params: ResourceParams[K], context?: ResourceContext) => Resource };

/** Kind → constructor. A constructor throws a plain Error naming the bad parameter when one is invalid. */
export const resourceKinds: Constructors = {
  user,
  group,
  authorized_keys: authorizedKeys,
  sudoers,
  directory,
  file: (params, context) => file(params, context),
  template,
  env_file: envFile,
  sshd_config: sshdConfig,
  nftables,
  systemd_unit: systemdUnit,
  service: (params, context) => service(params, context),
  timer,
  journald,
  sysctl: (params, context) => ('values' in params ? sysctl(params, context) : sysctlLine(params, context)),
  package: aptPackage,
};

export const RESOURCE_KINDS = Object.keys(resourceKinds) as ResourceKind[];

export function isResourceKind(name: string): name is ResourceKind {
  return Object.hasOwn(resourceKinds, name);
}

/** The resource for one task `{kind: params}`. */
export function createResource<K extends ResourceKind>(kind: K, params: ResourceParams[K], context: ResourceContext = {}): Resource {
  return resourceKinds[kind](params, context);
}

export type { Change, Noop, Resource, FollowUp } from './types.js';
export { isNoop } from './types.js';
export type { ResourceContext } from './context.js';
export { applyPlan, planResources, FOLLOW_UP_ARGV } from './plan.js';
export type { PlannedResource, AppliedPlan } from './plan.js';
export { ApplyError } from './run-checked.js';
export { PackageSourceUnreachableError } from './package.js';
export { TemplateError } from './template-render.js';
export { renderNftTable } from './nftables-render.js';
export type { NftTableSpec, NftAcceptRule } from './nftables-render.js';
export type { SudoersRule } from './sudoers.js';
export type {
  AuthorizedKeysParams,
  DirectoryParams,
  EnvFileParams,
  FileParams,
  GroupParams,
  JournaldParams,
  NftablesParams,
  PackageParams,
  ServiceParams,
  SshdConfigParams,
  SudoersParams,
  SysctlParams,
  SysctlLineParams,
  SystemdUnitParams,
  TemplateParams,
  TimerParams,
  UserParams,
};

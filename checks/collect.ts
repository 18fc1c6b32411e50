import { userInfo } from 'node:os';
import type { Check } from './types.js';
import type { Target } from '../lib/target/types.js';
import type { FactProbe } from '../lib/facts/types.js';
import { FactError, FactSnapshot } from '../lib/facts/snapshot.js';
import { gatherFacts } from '../lib/facts/gather.js';
import { authorizedKeysProbe, groupProbe, passwdProbe, sudoersProbe, type PasswdEntry } from '../lib/facts/probes/accounts.js';
import { sshdProbe } from '../lib/facts/probes/sshd.js';
import { nftProbe } from '../lib/facts/probes/nftables.js';
import { GATEWAY_UNIT, processesProbe, unitProbe, type UnitFacts } from '../lib/facts/probes/systemd.js';
import { patchesProbe } from '../lib/facts/probes/packages.js';
import { gitProbe, pathsProbe } from '../lib/facts/probes/paths.js';
import { leaksProbe } from '../lib/facts/probes/leaks.js';
import { isConfigError, loadConfig, parseEnvFileEntries } from '../lib/config/index.js';
import type { ConfigFact } from './config-fact.js';
import { unitSource, type ServiceEnvironment } from './kafclaw.js';
import type { RuntimeUser } from './secrets.js';
import { fixBackupPrefixes, sensitiveFiles, secretBearingFiles } from './sensitive-files.js';
import { isolationPaths, workPaths } from './paths.js';
import { configSecrets } from './secret-inventory.js';
import { homeOf, stateDir } from './locations.js';
import { MONITOR_FACT, readMonitorFact } from './monitor.js';
import { backupScheduleProbe, collectBackupFacts } from './backup-facts.js';
import { collectStoreFacts } from './store-facts.js';

const UNIT_KEY = `host.unit:${GATEWAY_UNIT}`;

/** Probes that need nothing but the host: gathered in the first round trip. */
const HOST_PROBES: Record<string, () => FactProbe> = {
  'host.passwd': () => passwdProbe,
  'host.group': () => groupProbe,
  'host.sudoers': () => sudoersProbe,
  'host.authorized-keys': () => authorizedKeysProbe,
  'host.sshd': () => sshdProbe,
  'host.nft': () => nftProbe,
  [UNIT_KEY]: () => unitProbe(GATEWAY_UNIT),
  'host.processes': () => processesProbe,
  'host.patches': () => patchesProbe,
  'backup.schedule': () => backupScheduleProbe,
};

/** What phase 1 must also gather for the derived facts a check needs. */
const DERIVED_NEEDS: Record<string, string[]> = {
  'env.service': [UNIT_KEY, 'config'],
  'runtime.user': [UNIT_KEY, 'host.passwd'],
  config: [UNIT_KEY, 'host.passwd'],
  [MONITOR_FACT]: [UNIT_KEY, 'host.passwd', 'config'],
  // backup facts: the gateway user's HOME locates the store and the default destination
  'backup.dest': ['backup.schedule', 'env.service', UNIT_KEY, 'host.passwd'],
  'ops.store': ['env.service', UNIT_KEY, 'host.passwd'],
  'ops.token-rotated-at': ['env.service', UNIT_KEY, 'host.passwd', 'config'],
};

export interface CollectOptions {
  /**
   * The environment the gateway would start with, its bare names (HOST, PORT, …) included. Omitted on a
   * local target: this process's, whose bare names are a shell's and count only from KafClaw's env files.
   */
  env?: Record<string, string | undefined>;
  /** Use sudo for the probes that need root (a non-root SSH login). */
  sudo?: boolean;
  timeoutMs?: number;
  /** The last rotation of the current token (ISO time); read from the operations store when not given. */
  tokenRotatedAt?: string | null;
  /** Told which configuration file was read, when a check reads it. */
  onConfig?: (config: { path: string; exists: boolean }) => void;
}

function expandNeeds(checks: readonly Check[]): Set<string> {
  const needs = new Set(checks.flatMap((check) => check.needs));
  for (const key of [...needs]) for (const extra of DERIVED_NEEDS[key] ?? []) needs.add(extra);
  if ([...needs].some((key) => ['paths.sensitive-files', 'git.sensitive-files', 'paths.isolation', 'leaks'].includes(key))) needs.add('config');
  return needs;
}

function safely<T>(snapshot: FactSnapshot, key: string): T | undefined {
  try {
    return snapshot.has(key) ? snapshot.get<T>(key) : undefined;
  } catch {
    return undefined;
  }
}

/** The account the gateway runs as: the unit's User= on a host, this process's user locally. */
function runtimeUser(target: Target, snapshot: FactSnapshot): RuntimeUser {
  const unit = safely<UnitFacts | null>(snapshot, UNIT_KEY);
  const passwd = safely<PasswdEntry[]>(snapshot, 'host.passwd') ?? [];
  const name = unit?.loaded ? unit.user || 'root' : target.kind === 'local' ? userInfo().username : 'kafclaw';
  const entry = passwd.find((p) => p.name === name);
  if (entry) return { uid: entry.uid, gid: entry.gid };
  if (target.kind === 'local') return { uid: userInfo().uid, gid: userInfo().gid };
  return { uid: 0, gid: 0 };
}

/** The environment the gateway starts with on a remote host: its unit's Environment= and EnvironmentFile=. */
async function remoteServiceEnv(target: Target, unit: UnitFacts | null, home: string, sudo: boolean): Promise<ServiceEnvironment> {
  const assignments: ServiceEnvironment['assignments'] = [];
  if (!unit?.loaded) return { assignments: [{ name: 'HOME', value: home, source: 'the service user\'s home' }] };
  for (const file of unit.environmentFiles) {
    const path = file.replace(/^-/, '');
    const bytes = await target.readFile(path, { sudo });
    if (!bytes) continue;
    for (const entry of parseEnvFileEntries(bytes.toString('utf8'))) assignments.push({ name: entry.name, value: entry.value, source: path });
  }
  for (const entry of unit.environment) assignments.push({ ...entry, source: unitSource(unit) });
  if (!assignments.some((a) => a.name === 'HOME')) assignments.push({ name: 'HOME', value: home, source: 'the service user\'s home' });
  return { assignments };
}

function envMap(environment: ServiceEnvironment): Record<string, string> {
  const map: Record<string, string> = {};
  for (const a of environment.assignments) map[a.name] = a.value;
  return map;
}

/**
 * Gather every fact the checks declare, in two scripts: the host probes, and the paths, git state and
 * leak scan that depend on the configuration (the operations store is read beside the latter). Where
 * the gateway's environment is known up front (this machine, or a given environment) the host probes
 * run while the configuration loads; on a remote host they run first, since the unit they read
 * defines the environment.
 */
export async function collectFacts(target: Target, checks: readonly Check[], options: CollectOptions = {}): Promise<FactSnapshot> {
  const needs = expandNeeds(checks);
  const snapshot = new FactSnapshot();
  const sudo = options.sudo ?? false;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const hostProbes = [...needs].filter((key) => HOST_PROBES[key]).map((key) => HOST_PROBES[key]!());
  if (needs.has('ops.token-rotated-at') && options.tokenRotatedAt !== undefined) snapshot.set('ops.token-rotated-at', options.tokenRotatedAt);

  // The store read needs only the configuration and the environment: it runs beside the probes that
  // depend on them (and locally beside the host probes too), so loading SQLite costs no wall time.
  const afterConfig = async (configProbes: FactProbe[]) => {
    await Promise.all([gatherFacts(target, configProbes, snapshot, { sudo, timeoutMs }), collectStoreFacts(target, needs, snapshot, sudo)]);
    aliasPathFacts(snapshot, needs);
  };

  // Where the gateway's environment is known up front the host probes run while the configuration
  // loads; on a remote host they run first, since the unit they read defines the environment.
  const hostFacts = gatherFacts(target, hostProbes, snapshot, { sudo, timeoutMs });
  if (!environmentKnownUpFront(target, options)) await hostFacts;
  try {
    const { environment, serviceOwn } = await gatewayEnvironment(target, snapshot, options);
    await afterConfig(await configFacts(target, needs, snapshot, environment, sudo, serviceOwn));
  } finally {
    await hostFacts;
  }
  if (needs.has('runtime.user')) snapshot.set('runtime.user', runtimeUser(target, snapshot));
  const config = safely<ConfigFact>(snapshot, 'config');
  if (config && options.onConfig) {
    options.onConfig({ path: config.path, exists: config.exists });
  }
  if (needs.has('backup.dest')) await collectBackupFacts(target, needs, snapshot, sudo);
  return snapshot;
}

const PATHS_FACT = 'paths';

/** Both path facts are views of the one path probe (or of its error). */
function aliasPathFacts(snapshot: FactSnapshot, needs: Set<string>): void {
  if (!snapshot.has(PATHS_FACT)) return;
  let value: unknown;
  try {
    value = snapshot.get(PATHS_FACT);
  } catch (error) {
    value = error;
  }
  for (const key of ['paths.sensitive-files', 'paths.isolation']) if (needs.has(key)) snapshot.set(key, value);
}

function assignmentsOf(env: Record<string, string | undefined>, source: string): ServiceEnvironment {
  return { assignments: Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string').map(([name, value]) => ({ name, value, source })) };
}

const environmentKnownUpFront = (target: Target, options: CollectOptions) => target.kind === 'local' || options.env !== undefined;

/**
 * The environment the gateway starts with: this machine's process environment or the one given; on a
 * remote host its unit's Environment= and EnvironmentFile= (read through the target), which needs the
 * unit and passwd facts gathered first. `serviceOwn`: the environment is the gateway's own (its unit's,
 * or one given), so its bare names count as KafClaw counts them, over an env file's; doctor's own
 * shell environment is not, so its bare HOST, PORT, … do not count.
 */
export async function gatewayEnvironment(
  target: Target,
  snapshot: FactSnapshot,
  options: CollectOptions,
): Promise<{ environment: ServiceEnvironment; serviceOwn: boolean }> {
  if (environmentKnownUpFront(target, options)) {
    const source = target.kind === 'local' ? 'the process environment' : 'given environment';
    return { environment: assignmentsOf(options.env ?? process.env, source), serviceOwn: options.env !== undefined };
  }
  const unit = safely<UnitFacts | null>(snapshot, UNIT_KEY) ?? null;
  const passwd = safely<PasswdEntry[]>(snapshot, 'host.passwd') ?? [];
  const user = unit?.loaded ? unit.user || 'root' : 'kafclaw';
  const home = passwd.find((p) => p.name === user)?.home ?? '/root';
  return { environment: await remoteServiceEnv(target, unit, home, options.sudo ?? false), serviceOwn: true };
}

/**
 * Loads the configuration and the gateway's environment facts (`config`, `env.service`, as far as
 * `needs` asks) into the snapshot; returns the configuration, or null when it could not be read (the
 * facts named in `failing` then hold the reason). A configuration error is the operator's: it throws.
 */
export async function loadConfigFacts(
  target: Target,
  needs: ReadonlySet<string>,
  snapshot: FactSnapshot,
  environment: ServiceEnvironment,
  sudo: boolean,
  serviceOwn: boolean,
  failing: readonly string[] = ['config', 'env.service'],
): Promise<ConfigFact | null> {
  if (!needs.has('config')) {
    if (needs.has('env.service')) snapshot.set('env.service', environment);
    return null;
  }
  let loaded: ConfigFact;
  try {
    const env = envMap(environment);
    const cwd = target.kind === 'local' ? process.cwd() : env.HOME ?? '/';
    loaded = await loadConfig({ env, cwd, readFile: (path) => target.readFile(path, { sudo }), bareAltNamesFrom: serviceOwn ? 'everywhere' : 'env-files' });
  } catch (error) {
    if (isConfigError(error)) throw error;
    for (const key of failing) if (needs.has(key)) snapshot.set(key, new FactError(key, (error as Error).message));
    return null;
  }
  snapshot.set('config', loaded);
  if (needs.has('env.service')) {
    const fromFiles = Object.entries(loaded.envSources)
      .filter(([, source]) => source !== 'process')
      .map(([name, source]) => ({ name, value: loaded.env[name] ?? '', source }));
    snapshot.set('env.service', { assignments: [...environment.assignments, ...fromFiles] });
  }
  return loaded;
}

/** Load the configuration into the snapshot and return the probes that depend on it. */
async function configFacts(
  target: Target,
  needs: Set<string>,
  snapshot: FactSnapshot,
  environment: ServiceEnvironment,
  sudo: boolean,
  serviceOwn: boolean,
): Promise<FactProbe[]> {
  const failing = ['config', 'env.service', 'paths.sensitive-files', 'git.sensitive-files', 'paths.isolation', 'leaks', MONITOR_FACT];
  const loaded = await loadConfigFacts(target, needs, snapshot, environment, sudo, serviceOwn, failing);
  if (!loaded) return [];
  if (needs.has(MONITOR_FACT)) {
    await readMonitorFact(target, loaded, { sudo }).then(
      (fact) => snapshot.set(MONITOR_FACT, fact),
      (error: unknown) => snapshot.set(MONITOR_FACT, new FactError(MONITOR_FACT, (error as Error).message)),
    );
  }
  const probes: FactProbe[] = [];
  // One stat for both path facts: each check reads its own paths out of the shared map.
  const paths = [
    ...(needs.has('paths.sensitive-files') ? [...sensitiveFiles(loaded).map((f) => f.path), ...fixBackupPrefixes(loaded)] : []),
    ...(needs.has('paths.isolation') ? isolationPaths(loaded) : []),
  ];
  if (paths.length > 0) probes.push(pathsProbe(PATHS_FACT, [...new Set(paths)]));
  if (needs.has('git.sensitive-files')) probes.push(gitProbe('git.sensitive-files', secretBearingFiles(loaded)));
  if (needs.has('leaks')) {
    const home = homeOf(loaded);
    const { workspace, workRepo } = workPaths(loaded);
    const places = [workspace, workRepo, `${home}/.bash_history`, `${home}/.zsh_history`, `${home}/.history`, `${stateDir(loaded)}/logs`, `${stateDir(loaded)}/lifecycle-events.jsonl`, '/var/log/kafclaw'];
    probes.push(leaksProbe('leaks', configSecrets(loaded), [...new Set(places), ...fixBackupPrefixes(loaded)]));
  }
  return probes;
}

import type { Target } from '../lib/target/types.js';
import { FactError, type FactSnapshot } from '../lib/facts/snapshot.js';
import type { PasswdEntry } from '../lib/facts/probes/accounts.js';
import { GATEWAY_UNIT, type UnitFacts } from '../lib/facts/probes/systemd.js';
import { isConfigError, loadConfig, parseEnvFileEntries } from '../lib/config/index.js';
import type { CollectOptions } from './collect.js';
import type { ConfigFact } from './config-fact.js';
import type { ServiceEnvironment } from './kafclaw.js';
import { SIMULATED_FACTS } from './dry-run-target.js';

function known<T>(snapshot: FactSnapshot, key: string): T | undefined {
  try {
    return snapshot.has(key) ? snapshot.get<T>(key) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The environment the gateway starts with, as collectFacts finds it: this process's (or the given
 * one) on this machine; on a remote host its unit's EnvironmentFile= (read through the target, so a
 * simulated edit shows) and Environment= lines, from the unit and passwd facts already gathered.
 */
async function serviceEnvironment(target: Target, snapshot: FactSnapshot, options: CollectOptions): Promise<ServiceEnvironment> {
  if (target.kind === 'local' || options.env) {
    const source = target.kind === 'local' ? 'the process environment' : 'given environment';
    const env = options.env ?? process.env;
    return { assignments: Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string').map(([name, value]) => ({ name, value, source })) };
  }
  const unit = known<UnitFacts | null>(snapshot, `host.unit:${GATEWAY_UNIT}`) ?? null;
  const user = unit?.loaded ? unit.user || 'root' : 'kafclaw';
  const home = (known<PasswdEntry[]>(snapshot, 'host.passwd') ?? []).find((p) => p.name === user)?.home ?? '/root';
  const assignments: ServiceEnvironment['assignments'] = [];
  if (!unit?.loaded) return { assignments: [{ name: 'HOME', value: home, source: 'the service user\'s home' }] };
  for (const file of unit.environmentFiles) {
    const path = file.replace(/^-/, '');
    const bytes = await target.readFile(path, { sudo: options.sudo ?? false });
    if (!bytes) continue;
    for (const entry of parseEnvFileEntries(bytes.toString('utf8'))) assignments.push({ name: entry.name, value: entry.value, source: path });
  }
  for (const entry of unit.environment) assignments.push({ ...entry, source: `unit ${unit.fragmentPath || unit.name}` });
  if (!assignments.some((a) => a.name === 'HOME')) assignments.push({ name: 'HOME', value: home, source: 'the service user\'s home' });
  return { assignments };
}

/**
 * After a simulated fix, load again the only facts it can change (SIMULATED_FACTS: the configuration
 * and the gateway's environment, read through the DryRunTarget's memory) onto the snapshot. Every other
 * fact comes from a probe script, which shows the host as it is: gathering it again would repeat the
 * first collection (host probes, the leak scan's grep) after every simulated fix.
 */
export async function reloadSimulatedFacts(target: Target, snapshot: FactSnapshot, options: CollectOptions = {}): Promise<void> {
  if (!snapshot.has('config') && !snapshot.has('env.service')) return;
  const environment = await serviceEnvironment(target, snapshot, options);
  if (!snapshot.has('config')) {
    snapshot.set('env.service', environment);
    return;
  }
  const env: Record<string, string> = {};
  for (const a of environment.assignments) env[a.name] = a.value;
  let loaded: ConfigFact;
  try {
    loaded = await loadConfig({ env, cwd: target.kind === 'local' ? process.cwd() : env.HOME ?? '/', readFile: (path) => target.readFile(path, { sudo: options.sudo ?? false }) });
  } catch (error) {
    if (isConfigError(error)) throw error;
    for (const key of SIMULATED_FACTS) if (snapshot.has(key)) snapshot.set(key, new FactError(key, (error as Error).message));
    return;
  }
  snapshot.set('config', loaded);
  if (snapshot.has('env.service')) {
    const fromFiles = Object.entries(loaded.envSources)
      .filter(([, source]) => source !== 'process')
      .map(([name, source]) => ({ name, value: loaded.env[name] ?? '', source }));
    snapshot.set('env.service', { assignments: [...environment.assignments, ...fromFiles] });
  }
  options.onConfig?.({ path: loaded.path, exists: loaded.exists });
}

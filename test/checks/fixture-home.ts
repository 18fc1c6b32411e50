import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { LocalTarget } from '../../lib/target/local.js';
import { runDoctor, type DoctorOptions, type DoctorRun } from '../../checks/doctor.js';
import type { CheckResult } from '../../checks/types.js';

export interface FixtureHome {
  home: string;
  env: Record<string, string>;
  path(relative: string): string;
  write(relative: string, text: string, mode?: number): string;
  read(relative: string): string;
  doctor(options?: DoctorOptions): Promise<DoctorRun>;
  results(ids: string | string[], options?: DoctorOptions): Promise<CheckResult[]>;
  cleanup(): void;
}

/**
 * A throwaway HOME holding `.kafclaw/config.json` (0600 in a 0700 dir) and whatever a test writes;
 * the doctor runs against it with an environment of only HOME and PATH, plus `extraEnv`.
 */
export function fixtureHome(config: unknown | null, extraEnv: Record<string, string> = {}): FixtureHome {
  const home = mkdtempSync(join(tmpdir(), 'kafclaw-home-'));
  chmodSync(home, 0o755);
  const env = { HOME: home, PATH: process.env.PATH ?? '/usr/bin:/bin', ...extraEnv };
  const fixture: FixtureHome = {
    home,
    env,
    path: (relative) => join(home, relative),
    write(relative, text, mode = 0o600) {
      const path = join(home, relative);
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      writeFileSync(path, text, { mode });
      chmodSync(path, mode);
      return path;
    },
    read: (relative) => readFileSync(join(home, relative), 'utf8'),
    doctor: (options = {}) => runDoctor(new LocalTarget(), { env, ...options }),
    async results(ids, options = {}) {
      const only = Array.isArray(ids) ? ids : [ids];
      return (await fixture.doctor({ only, ...options })).results;
    },
    cleanup: () => rmSync(home, { recursive: true, force: true }),
  };
  if (config !== null) fixture.write('.kafclaw/config.json', typeof config === 'string' ? config : JSON.stringify(config, null, 2));
  return fixture;
}

export function referenceConfig(name: string): string {
  return readFileSync(new URL(`../../../shared/reference/kafclaw-configs/${name}`, import.meta.url), 'utf8');
}

export const statuses = (results: CheckResult[]) => results.map((r) => r.status);

import type { Target } from '../target/types.js';
import type { Change, Noop, Resource } from './types.js';
import type { FactSnapshot } from '../facts/snapshot.js';
import type { Secret } from '../secrets/secret.js';
import { fileContentProbe, type FileContent } from './file-content-probe.js';
import { parseEnvFile, setEnvFileValue } from '../config/index.js';

/** One `NAME=value` line of an env file, whose value is a Secret: diffs show fingerprints only. */
export function envFileValue(target: Target, path: string, name: string, value: Secret): Resource {
  const id = `env:${path}`;
  const key = `resource.${id}:${name}`;

  return {
    kind: 'env-file-value',
    id,
    probes: () => [fileContentProbe(key, path, true)],
    diff(facts: FactSnapshot): Change[] | Noop {
      const content = facts.get<FileContent>(key);
      const current = content.exists ? parseEnvFile(content.text)[name] : undefined;
      if (current !== undefined && value.equals(current)) return { resource: id, reason: `${name} already holds this value` };
      return [{ resource: id, field: name, before: current === undefined ? null : '(secret)', after: `(secret ${value.fingerprint()})` }];
    },
    async apply() {
      await setEnvFileValue(path, name, value, target);
    },
  };
}

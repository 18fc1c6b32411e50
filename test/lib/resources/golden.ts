// Golden fixtures for resources, no host needed: {params, output (raw probe output), changes | noop}.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Test } from 'uvu';
import * as assert from 'uvu/assert';
import { FactSnapshot } from '../../../lib/facts/snapshot.js';
import { Secret } from '../../../lib/secrets/secret.js';
import { createResource, isNoop } from '../../../lib/resources/index.js';
import type { ResourceKind, ResourceParams } from '../../../lib/resources/index.js';
import type { Change, Resource } from '../../../lib/resources/types.js';

export interface Golden {
  /** What the case shows, in a sentence. */
  title: string;
  params: Record<string, unknown>;
  /** Raw output of the resource's probe (stderr folded in), or one output per probe, and the exit code (default 0). */
  output: string | string[];
  exitCode?: number;
  changes?: Array<Omit<Change, 'resource'>>;
  noop?: string;
}

const root = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** `{"$secret": "value"}` in a fixture becomes a Secret. */
function revive(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(revive);
  if (value && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    if (typeof object.$secret === 'string') return new Secret(object.$secret, 'fixture');
    return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, revive(v)]));
  }
  return value;
}

export function loadGoldens(kind: string): Array<{ name: string; golden: Golden }> {
  const dir = join(root, kind);
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => ({ name, golden: JSON.parse(readFileSync(join(dir, name), 'utf8')) as Golden }));
}

/** Facts for one resource from raw probe outputs (one per probe), through the probes' own parsers. */
export function factsFrom(resource: Resource, output: string | string[], exitCode = 0): FactSnapshot {
  const probes = resource.probes();
  const outputs = typeof output === 'string' ? [output] : output;
  assert.is(probes.length, outputs.length, `${resource.id} declares ${probes.length} probe(s)`);
  const facts = new FactSnapshot();
  probes.forEach((probe, index) => facts.set(probe.key, probe.parse(outputs[index]!, exitCode)));
  return facts;
}

/** One uvu test per fixture file of the kind. */
export function registerGoldens(test: Test, kind: ResourceKind, folder: string = kind): void {
  for (const { name, golden } of loadGoldens(folder)) {
    test(`golden ${folder}/${name}: ${golden.title}`, () => {
      const resource = createResource(kind, revive(golden.params) as ResourceParams[typeof kind]);
      const diff = resource.diff(factsFrom(resource, golden.output, golden.exitCode));
      if (golden.noop !== undefined) {
        assert.ok(isNoop(diff), `expected a no-op, got ${JSON.stringify(diff)}`);
        assert.is((diff as { reason: string }).reason, golden.noop);
        return;
      }
      assert.not.ok(isNoop(diff), `expected changes, got no-op: ${JSON.stringify(diff)}`);
      assert.equal((diff as Change[]).map(({ resource: _r, ...rest }) => rest), golden.changes);
      for (const change of diff as Change[]) assert.is(change.resource, resource.id);
    });
  }
}

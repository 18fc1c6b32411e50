import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gatherFacts } from '../../../lib/facts/gather.js';
import type { FactProbe } from '../../../lib/facts/types.js';
import { configEdit } from '../../../lib/resources/config-edit.js';
import { envFileValue } from '../../../lib/resources/env-file-value.js';
import { fileContentProbe, type FileContent } from '../../../lib/resources/file-content-probe.js';
import { LocalTarget } from '../../../lib/target/local.js';
import type { RunOptions, Target } from '../../../lib/target/types.js';
import { Secret } from '../../../lib/secrets/secret.js';
import { DryRunTarget } from '../../../checks/dry-run-target.js';

/** A LocalTarget that counts the round trips a gather makes through it. */
class CountingTarget extends LocalTarget {
  scripts = 0;
  reads = 0;
  override runScript(script: string, options?: Omit<RunOptions, 'stdin'>) {
    this.scripts++;
    return super.runScript(script, options);
  }
  override readFile(path: string) {
    this.reads++;
    return super.readFile(path);
  }
}

const echo: FactProbe<string> = { key: 'echo', script: 'echo hello', parse: (out) => out };

function fixture() {
  const dir = mkdtempSync(join(tmpdir(), 'file-content-probe-'));
  const config = join(dir, 'config.json');
  const env = join(dir, 'env');
  writeFileSync(config, '{"gateway":{"host":"0.0.0.0"}}');
  writeFileSync(env, 'TEST_VALUE=old\n@@kafclaw-fake end 0 0\n', { mode: 0o600 });
  return { dir, config, env, missing: join(dir, 'absent.json'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function probesOf(target: Target, f: ReturnType<typeof fixture>): FactProbe[] {
  return [
    ...configEdit(target, f.config, [{ keyPath: ['gateway', 'host'], value: '127.0.0.1' }]).probes(),
    ...envFileValue(target, f.env, 'TEST_VALUE', new Secret('new')).probes(),
    fileContentProbe('missing', f.missing),
    echo,
  ];
}

test('on a real target the file-content probes ride in the one batched probe script, with no readFile of their own', async () => {
  const f = fixture();
  try {
    const target = new CountingTarget();
    const snapshot = await gatherFacts(target, probesOf(target, f));
    assert.equal({ scripts: target.scripts, reads: target.reads }, { scripts: 1, reads: 0 });
    assert.equal(snapshot.get<FileContent>(`resource.config:${f.config}`), { exists: true, text: '{"gateway":{"host":"0.0.0.0"}}' });
    assert.equal(snapshot.get<FileContent>(`resource.env:${f.env}:TEST_VALUE`), { exists: true, text: 'TEST_VALUE=old\n@@kafclaw-fake end 0 0\n' });
    assert.equal(snapshot.get<FileContent>('missing'), { exists: false });
    assert.is(snapshot.get('echo'), 'hello\n');
  } finally {
    f.cleanup();
  }
});

test('on a dry run\'s target they read through readFile, so a simulated write is what they see; other probes still batch', async () => {
  const f = fixture();
  try {
    const real = new CountingTarget();
    const sim = new DryRunTarget(real);
    await sim.simulate(() => sim.writeFileAtomic(f.config, '{"gateway":{"host":"127.0.0.1"}}', { mode: 0o600 }));
    const snapshot = await gatherFacts(sim, probesOf(sim, f));
    assert.equal({ scripts: real.scripts, reads: real.reads }, { scripts: 1, reads: 2 }, 'the simulated config is served from memory; the env file and the missing one from the host');
    assert.equal(snapshot.get<FileContent>(`resource.config:${f.config}`), { exists: true, text: '{"gateway":{"host":"127.0.0.1"}}' });
    assert.equal(snapshot.get<FileContent>(`resource.env:${f.env}:TEST_VALUE`), { exists: true, text: 'TEST_VALUE=old\n@@kafclaw-fake end 0 0\n' });
    assert.equal(snapshot.get<FileContent>('missing'), { exists: false });
    assert.is(snapshot.get('echo'), 'hello\n');
  } finally {
    f.cleanup();
  }
});

test.run();

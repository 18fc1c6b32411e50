import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DryRunTarget } from '../../checks/dry-run-target.js';
import { LocalTarget } from '../../lib/target/local.js';
import { editConfigFile, setEnvFileValue } from '../../lib/config/index.js';
import { Secret } from '../../lib/secrets/secret.js';
import { renderFixes } from '../../checks/fix-report.js';

test('edits through a DryRunTarget are read back from memory; the real files are untouched', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kafclaw-dry-'));
  try {
    const path = join(dir, 'config.json');
    writeFileSync(path, '{"a": 1}\n', { mode: 0o644 });
    const sim = new DryRunTarget(new LocalTarget());
    await sim.simulate(async () => {
      await editConfigFile(path, [{ keyPath: ['a'], value: 2 }], sim);
      await setEnvFileValue(join(dir, 'new', 'env'), 'A', new Secret('dry-run-secret-value'), sim);
      const chmod = await sim.run(['chmod', '600', path]);
      assert.is(chmod.exitCode, 0);
    });
    assert.equal(JSON.parse((await sim.readFile(path))!.toString()), { a: 2 });
    assert.is((await sim.stat(path))?.mode, 0o600);
    assert.is((await sim.stat(join(dir, 'new')))?.type, 'dir');
    assert.is((await sim.readFile(join(dir, 'new', 'env')))?.toString(), 'A=dry-run-secret-value\n');
    assert.is(readFileSync(path, 'utf8'), '{"a": 1}\n');
    assert.is(statSync(path).mode & 0o777, 0o644);
    assert.equal(readdirSync(dir), ['config.json'], 'no backup, env file or directory on disk');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

async function rejection(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as Error).message;
  }
  return 'resolved';
}

test('a DryRunTarget refuses what it cannot simulate, and scripts while a fix is applied', async () => {
  const sim = new DryRunTarget(new LocalTarget());
  const marker = join(tmpdir(), `kafclaw-dry-${process.pid}`);
  assert.match(await rejection(sim.run(['touch', marker])), /cannot simulate `touch`/);
  await sim.simulate(async () => {
    assert.match(await rejection(sim.runScript(`touch ${marker}`)), /cannot simulate a fix that runs a script/);
  });
  assert.not.ok(readdirSync(tmpdir()).includes(`kafclaw-dry-${process.pid}`));
  assert.is((await sim.runScript('echo probe')).stdout, 'probe\n', 'probes still read the real host');
});

test('the fix report names each backup; one keeping an old secret says so, with the rm, never the value', () => {
  const fix = {
    id: 'gateway.token-not-in-config',
    outcome: 'repaired' as const,
    changes: [{ resource: 'config:/h/config.json', field: 'gateway.authToken', before: '(secret)', after: '"${KAFCLAW_GATEWAY_AUTH_TOKEN}"' }],
    steps: [],
    backups: [{ file: '/h/config.json', backup: "/h/it's/config.json.bak-20260101T000000Z", oldSecrets: ['gateway.authToken'] }],
  };
  const text = renderFixes([fix], false);
  assert.match(text, "backup: /h/it's/config.json.bak-20260101T000000Z (0600) holds /h/config.json as it was before this run");
  assert.match(text, "still holds the old secret value of gateway.authToken: once you have checked the change, delete it: rm '/h/it'\\''s/config.json.bak-20260101T000000Z'");
  const dry = renderFixes([{ ...fix, outcome: 'planned' }], true);
  assert.match(dry, 'backup: /h/config.json would first be copied to /h/config.json.bak-<time> (0600)');
  assert.match(dry, 'would still hold the old secret value of gateway.authToken');
});

test.run();

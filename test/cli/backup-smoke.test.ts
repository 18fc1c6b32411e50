import { test } from 'uvu';
import * as assert from 'uvu/assert';
import Database from 'better-sqlite3';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createBackup } from '../../lib/backup/create.js';
import { restoreTest, type RestoreTestResult } from '../../lib/backup/restore-test.js';
import { gatewaySmoke } from '../../cli/backup-smoke.js';
import { makeFixture, type Fixture } from '../lib/backup/kafclaw-db.js';

let fx: Fixture;
let work: string;
test.before.each(() => {
  fx = makeFixture(300);
  work = join(fx.root, 'work');
  mkdirSync(work);
});
test.after.each(() => fx.cleanup());

const show = (result: RestoreTestResult) => result.steps.map((s) => `${s.status} ${s.name} ${s.durationMs}ms: ${s.detail}`).join('\n');

test('the gateway boots on the restored state: /healthz, 401 without the token, the restored events with it', async () => {
  const backup = await createBackup({ stateDir: fx.stateDir, configPath: fx.configPath, workspace: fx.workspace, dest: fx.dest, sourceHost: 'gw1', toolVersion: '0.1.0' });
  const result = await restoreTest(backup.path, { workDir: work, gatewaySmoke });
  const smoke = result.steps.find((s) => s.name === 'gateway.smoke')!;
  console.log(`    ${smoke.durationMs} ms: ${smoke.detail}`);
  assert.ok(result.ok, show(result));
  assert.is(smoke.status, 'passed');
  assert.match(smoke.detail, / 300 restored events/);
  assert.equal(readdirSync(work), []);
});

test('a state the runtime refuses (a schema newer than it knows) fails only the gateway step', async () => {
  const db = new Database(join(fx.stateDir, 'timeline.db'));
  db.pragma('user_version = 99');
  db.close();
  const backup = await createBackup({ stateDir: fx.stateDir, configPath: fx.configPath, workspace: fx.workspace, dest: fx.dest, sourceHost: 'gw1', toolVersion: '0.1.0' });
  const result = await restoreTest(backup.path, { workDir: work, gatewaySmoke });
  assert.equal(result.failed, ['gateway.smoke'], show(result));
  assert.match(result.steps.at(-1)!.detail, /newer than this gateway knows/);
});

test('an empty timeline still boots and returns no events', async () => {
  const db = new Database(join(fx.stateDir, 'timeline.db'));
  db.pragma('foreign_keys = OFF');
  db.exec('DELETE FROM timeline');
  db.close();
  const backup = await createBackup({ stateDir: fx.stateDir, dest: fx.dest, sourceHost: 'gw1', toolVersion: '0.1.0' });
  const result = await restoreTest(backup.path, { workDir: work, gatewaySmoke });
  assert.ok(result.ok, show(result));
  assert.match(result.steps.at(-1)!.detail, / 0 restored events/);
});

test('a config with TLS files the restore target does not have still boots (the smoke gateway is loopback, plain HTTP)', async () => {
  const config = JSON.parse(readFileSync(fx.configPath, 'utf8')) as { gateway?: Record<string, unknown> };
  config.gateway = { ...config.gateway, tlsCert: '/etc/kafclaw/tls/cert.pem', tlsKey: '/etc/kafclaw/tls/key.pem' };
  writeFileSync(fx.configPath, JSON.stringify(config, null, 2));
  const backup = await createBackup({ stateDir: fx.stateDir, configPath: fx.configPath, workspace: fx.workspace, dest: fx.dest, sourceHost: 'gw1', toolVersion: '0.1.0' });
  const result = await restoreTest(backup.path, { workDir: work, gatewaySmoke });
  assert.ok(result.ok, show(result));
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseSshdT } from '../../../../lib/facts/probes/sshd.js';
import { parseEnvironmentLine, parseProcesses, parseUnit } from '../../../../lib/facts/probes/systemd.js';
import { parsePatches } from '../../../../lib/facts/probes/packages.js';
import { parsePathFacts, parseGitFacts } from '../../../../lib/facts/probes/paths.js';
import { parseLeaks } from '../../../../lib/facts/probes/leaks.js';

test('sshd -T: lower-case keys, first value wins, failures are unavailable', () => {
  const parsed = parseSshdT('permitrootlogin no\nmaxauthtries 3\nallowgroups sudo\nsubsystem sftp internal\nsubsystem x y\n', 0);
  assert.ok(parsed.available);
  if (parsed.available) {
    assert.is(parsed.values.permitrootlogin, 'no');
    assert.is(parsed.values.subsystem, 'sftp internal');
  }
  assert.equal(parseSshdT('sshd: no hostkeys available -- exiting.', 1), { available: false, reason: 'sshd -T failed: sshd: no hostkeys available -- exiting.' });
});

test('systemd: show properties and Environment= lines with quotes', () => {
  assert.equal(parseEnvironmentLine('KAFCLAW_GATEWAY_AUTH_TOKEN= "A=b c" HOME=/var/lib/kafclaw'), [
    { name: 'KAFCLAW_GATEWAY_AUTH_TOKEN', value: '' },
    { name: 'A', value: 'b c' },
    { name: 'HOME', value: '/var/lib/kafclaw' },
  ]);
  const unit = parseUnit('kafclaw-gateway.service', [
    'LoadState=loaded', 'ActiveState=active', 'UnitFileState=enabled', 'User=kafclaw', 'FragmentPath=/etc/systemd/system/kafclaw-gateway.service',
    '@@cat',
    '# /etc/systemd/system/kafclaw-gateway.service', '[Service]', 'User=kafclaw', 'Environment=KAFCLAW_GATEWAY_AUTH_TOKEN=', 'EnvironmentFile=-/etc/kafclaw/gateway.env',
  ].join('\n'));
  assert.is(unit.loaded, true);
  assert.is(unit.user, 'kafclaw');
  assert.equal(unit.environment, [{ name: 'KAFCLAW_GATEWAY_AUTH_TOKEN', value: '' }]);
  assert.equal(unit.environmentFiles, ['-/etc/kafclaw/gateway.env']);
  const missing = parseUnit('x.service', 'LoadState=not-found\nActiveState=inactive\nUser=\n@@cat\n');
  assert.is(missing.loaded, false);
});

test('ps lines', () => {
  assert.equal(parseProcesses('root 0 1 /sbin/init\nkafclaw 998 42 /opt/kafclaw/current/bin/node kafclaw.js gateway\n')[1], { user: 'kafclaw', uid: 998, pid: 42, args: '/opt/kafclaw/current/bin/node kafclaw.js gateway' });
});

test('apt simulation: security updates counted apart; no lists means no metadata', () => {
  const facts = parsePatches('@@unattended 1\nInst libssl3 [3.0.11-1] (3.0.13-1~deb12u1 Debian-Security:12/stable-security [amd64])\nInst tzdata [2024a] (2024b Debian:12.7/stable [all])\n', 0);
  assert.equal(facts.pendingSecurity, ['libssl3']);
  assert.is(facts.pendingOther, 1);
  assert.is(facts.unattendedUpgrades, true);
  assert.is(parsePatches('@@no-lists\n', 0).metadataAvailable, false);
});

test('path facts: stat fields, realpath, missing paths', () => {
  const facts = parsePathFacts(['/a', '/b b', '/c'], 'directory|700|1000|1000|/a\nregular file|644|0|0|/b b\n@@resolving\n/a\n/b b\n@@resolved\n/a\n/real/b b\n');
  assert.equal(facts.get('/a'), { path: '/a', exists: true, type: 'dir', mode: 0o700, uid: 1000, gid: 1000, realpath: '/a' });
  assert.is(facts.get('/b b')?.realpath, '/real/b b');
  assert.is(facts.get('/b b')?.mode, 0o644);
  assert.equal(facts.get('/c'), { path: '/c', exists: false });
});

test('git facts and leak lines', () => {
  const git = parseGitFacts(['/w/config.json', '/x/env'], ['/w', '/x'], '@@dir 0|/w\nt config.json\n');
  assert.equal(git[0], { path: '/w/config.json', workTree: '/w', tracked: true, ignored: false });
  assert.equal(git[1]?.workTree, null);
  assert.equal(parseLeaks(['gateway.authToken'], '0|/home/a/.bash_history\n7|/nope\n'), [{ secret: 'gateway.authToken', file: '/home/a/.bash_history' }]);
});


test('paths probe on real files: a symlink resolves, a dangling one exists unresolved, odd names survive', async () => {
  const { mkdtempSync, mkdirSync, symlinkSync, writeFileSync, rmSync } = await import('node:fs');
  const { gatherFacts } = await import('../../../../lib/facts/gather.js');
  const { LocalTarget } = await import('../../../../lib/target/local.js');
  const { pathsProbe } = await import('../../../../lib/facts/probes/paths.js');
  const dir = mkdtempSync('/tmp/kafclaw-paths-');
  try {
    mkdirSync(`${dir}/a b`, { mode: 0o750 });
    symlinkSync(`${dir}/a b`, `${dir}/link`);
    symlinkSync(`${dir}/nope`, `${dir}/dangling`);
    writeFileSync(`${dir}/f|x`, '', { mode: 0o600 });
    const paths = [`${dir}/a b`, `${dir}/link`, `${dir}/dangling`, `${dir}/missing`, `${dir}/f|x`];
    const facts = (await gatherFacts(new LocalTarget(), [pathsProbe('p', paths)])).get<Map<string, { exists: boolean; type?: string; mode?: number; realpath?: string }>>('p');
    assert.equal([facts.get(`${dir}/a b`)?.type, facts.get(`${dir}/a b`)?.mode], ['dir', 0o750]);
    assert.equal([facts.get(`${dir}/link`)?.type, facts.get(`${dir}/link`)?.realpath], ['symlink', `${dir}/a b`]);
    assert.equal([facts.get(`${dir}/dangling`)?.exists, facts.get(`${dir}/dangling`)?.realpath], [true, `${dir}/dangling`]);
    assert.is(facts.get(`${dir}/missing`)?.exists, false);
    assert.is(facts.get(`${dir}/f|x`)?.mode, 0o600);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();

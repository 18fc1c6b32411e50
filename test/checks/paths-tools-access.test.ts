import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, mkdirSync, symlinkSync } from 'node:fs';
import { fixtureHome, referenceConfig, statuses } from './fixture-home.js';
import { isolationProblems, sensitivePaths, writableBy } from '../../checks/paths.js';
import { broadEntries } from '../../checks/access.js';

test('isolation verdict: is, contains and sits inside', () => {
  const sensitive = sensitivePaths({ env: { HOME: '/home/op' } } as never);
  assert.equal(isolationProblems('workspace', '/home/op', sensitive), ['workspace is /home/op', 'workspace contains /home/op/.ssh', 'workspace contains /home/op/.gnupg', 'workspace contains /home/op/.aws', 'workspace contains /home/op/.kafclaw']);
  assert.equal(isolationProblems('workspace', '/home/op/.ssh/ws', sensitive), ['workspace sits inside /home/op/.ssh']);
  assert.equal(isolationProblems('workspace', '/home', sensitive), ['workspace is /home', 'workspace contains /home/op', 'workspace contains /home/op/.ssh', 'workspace contains /home/op/.gnupg', 'workspace contains /home/op/.aws', 'workspace contains /home/op/.kafclaw']);
  assert.equal(isolationProblems('workspace', '/home/op/KafClaw-Workspace', sensitive), []);
  assert.equal(isolationProblems('workspace', '/srv/kafclaw/workspace', sensitive), []);
});

test('workspace isolated: a symlink into ~/.ssh is resolved and fails; a root-owned parent passes', async () => {
  const home = fixtureHome({ paths: { workspace: '~/ws', workRepoPath: '/tmp' } });
  try {
    mkdirSync(home.path('.ssh'), { mode: 0o700 });
    symlinkSync(home.path('.ssh'), home.path('ws'));
    const results = await home.results('paths.workspace-isolated');
    const ws = results.find((r) => r.subject === home.path('ws'));
    assert.is(ws?.status, 'fail');
    assert.match(ws!.message, /sits inside .*\.ssh|is .*\.ssh/);
  } finally {
    home.cleanup();
  }
});

test('workspace isolated: world-writable workspace, and a world-writable parent without the sticky bit', async () => {
  const home = fixtureHome({ paths: { workspace: '~/srv/ws', workRepoPath: '~/srv/repo' } });
  try {
    mkdirSync(home.path('srv/ws'), { recursive: true });
    mkdirSync(home.path('srv/repo'), { recursive: true });
    chmodSync(home.path('srv/ws'), 0o777);
    const [ws, repo] = await home.results('paths.workspace-isolated');
    assert.match(ws!.message, /world-writable/);
    assert.is(repo?.status, 'pass', repo?.message);
    chmodSync(home.path('srv'), 0o777);
    const [, repoNow] = await home.results('paths.workspace-isolated');
    assert.match(repoNow!.message, /parent .*srv is writable/);
    chmodSync(home.path('srv'), 0o1777);
    const [, sticky] = await home.results('paths.workspace-isolated');
    assert.is(sticky?.status, 'pass');
  } finally {
    home.cleanup();
  }
});

test('a parent owned by the (non-root) service user, or group-writable by its group, is writable by it', () => {
  const user = { uid: 998, gid: 998 };
  const stat = (mode: number, uid: number, gid: number) => ({ path: '/p', exists: true, mode, uid, gid });
  assert.is(writableBy(stat(0o755, 998, 0), user), true);
  assert.is(writableBy(stat(0o775, 0, 998), user), true);
  assert.is(writableBy(stat(0o755, 0, 0), user), false);
  assert.is(writableBy(stat(0o1777, 0, 0), user), false);
  assert.is(writableBy(stat(0o757, 0, 0), user), true);
});

test('workspace separate: KafClaw\'s default (both ~/KafClaw-Workspace) fails; separate dirs pass', async () => {
  const defaults = fixtureHome(referenceConfig('01-minimal-defaults.json'));
  const separate = fixtureHome({ paths: { workspace: '/srv/a/ws', workRepoPath: '/srv/a/repo' } });
  try {
    assert.is((await defaults.results('paths.workspace-separate'))[0]?.status, 'fail');
    assert.is((await separate.results('paths.workspace-separate'))[0]?.status, 'pass');
  } finally {
    defaults.cleanup();
    separate.cleanup();
  }
});

test('exec restriction: file false fails, env true wins (runbook name)', async () => {
  const off = fixtureHome({ tools: { exec: { restrictToWorkspace: false } } });
  const envOn = fixtureHome({ tools: { exec: { restrictToWorkspace: false } } }, { KAFCLAW_TOOLS_EXEC_RESTRICT_WORKSPACE: 'true' });
  const envOff = fixtureHome({}, { KAFCLAW_TOOLS_EXEC_EXEC_RESTRICT_WORKSPACE: 'false' });
  try {
    assert.is((await off.results('tools.exec-restrict-workspace'))[0]?.status, 'fail');
    assert.is((await envOn.results('tools.exec-restrict-workspace'))[0]?.status, 'pass');
    const [fromEnv] = await envOff.results('tools.exec-restrict-workspace');
    assert.is(fromEnv?.status, 'fail');
    assert.match(fromEnv!.message, /KAFCLAW_TOOLS_EXEC_EXEC_RESTRICT_WORKSPACE/);
  } finally {
    off.cleanup();
    envOn.cleanup();
    envOff.cleanup();
  }
});

test('broad allowlist entries', () => {
  assert.equal(broadEntries(['*', 'slack:U1', 'team:*', '*@example.com', '491701234567']), ['*', 'team:*', '*@example.com']);
});

test('reference 05: open slack group policy, teams * allowlist (disabled: warn), account scope', async () => {
  const home = fixtureHome(referenceConfig('05-channels-misconfigured.json'));
  try {
    const results = await home.results(['access.default-deny', 'access.allowlists-tight', 'access.session-scope', 'access.tool-tiering']);
    const by = (id: string) => results.filter((r) => r.id === id);
    const slack = by('access.default-deny').find((r) => r.subject === 'channels.slack');
    assert.is(slack?.status, 'fail');
    assert.match(slack!.message, /groupPolicy is open/);
    const opsDeny = by('access.default-deny').find((r) => r.subject === 'channels.msteams.accounts[ops]');
    assert.is(opsDeny?.status, 'fail', 'an enabled account inherits the channel\'s groupAllowFrom "*"');
    assert.match(opsDeny!.message, /groupAllowFrom holds \*/);
    const teams = by('access.allowlists-tight').find((r) => r.subject === 'channels.msteams.groupAllowFrom');
    assert.is(teams?.status, 'warn');
    const ops = by('access.session-scope').find((r) => r.subject === 'channels.msteams.accounts[ops]');
    assert.is(ops?.status, 'fail');
    assert.equal(statuses(by('access.tool-tiering')), ['pass']);
  } finally {
    home.cleanup();
  }
});

test('reference 03: whatsapp with allowFrom and dropUnauthorized is default-deny; open whatsapp fails', async () => {
  const good = fixtureHome(referenceConfig('03-remote-with-token.json'));
  const open = fixtureHome({ channels: { whatsapp: { enabled: true, dropUnauthorized: false, allowFrom: [] } }, tools: { policy: { externalMaxTier: 2 } } });
  try {
    assert.equal(statuses(await good.results('access.default-deny')), ['pass']);
    assert.equal(statuses(await open.results(['access.default-deny', 'access.tool-tiering'])), ['fail', 'fail']);
  } finally {
    good.cleanup();
    open.cleanup();
  }
});

test.run();

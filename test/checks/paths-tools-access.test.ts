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

test('reference 05: account subjects keep the account id as written in config.json', async () => {
  const home = fixtureHome(referenceConfig('05-channels-misconfigured.json'));
  try {
    const subjects = (await home.results(['access.default-deny', 'access.session-scope'])).map((r) => r.subject ?? '');
    assert.ok(subjects.includes('channels.msteams.accounts[Ops]'), subjects.join(', '));
    assert.not.ok(subjects.some((s) => s.includes('accounts[ops]')));
  } finally {
    home.cleanup();
  }
});

test('reference 05: open slack group policy, teams * allowlist (disabled: warn), account scope', async () => {
  const home = fixtureHome(referenceConfig('05-channels-misconfigured.json'));
  try {
    const results = await home.results(['access.default-deny', 'access.allowlists-tight', 'access.session-scope', 'access.tool-tiering']);
    const by = (id: string) => results.filter((r) => r.id === id);
    const slack = by('access.default-deny').find((r) => r.subject === 'channels.slack');
    assert.is(slack?.status, 'fail');
    assert.match(slack!.message, /groupPolicy is open/);
    const opsDeny = by('access.default-deny').find((r) => r.subject === 'channels.msteams.accounts[Ops]');
    assert.is(opsDeny?.status, 'fail', 'an enabled account inherits the channel\'s groupAllowFrom "*"');
    assert.match(opsDeny!.message, /groupAllowFrom holds \*/);
    const teams = by('access.allowlists-tight').find((r) => r.subject === 'channels.msteams.groupAllowFrom');
    assert.is(teams?.status, 'warn');
    const ops = by('access.session-scope').find((r) => r.subject === 'channels.msteams.accounts[Ops]');
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

const senders = (count: number) => Array.from({ length: count }, (_, i) => `U${String(i).padStart(6, '0')}`);
const fixSteps = async (home: ReturnType<typeof fixtureHome>, id: string) =>
  (await home.doctor({ only: [id], fix: true, dryRun: true })).fixes.find((f) => f.id === id)?.steps ?? [];

test('allowlists-tight: a wildcard on an enabled channel fails, and its fix speaks of the wildcard only', async () => {
  const home = fixtureHome({ channels: { slack: { enabled: true, allowFrom: ['slack:U1', '*'] } } });
  try {
    const results = await home.results('access.allowlists-tight');
    assert.equal(results.map((r) => [r.status, r.severity, r.subject]), [['fail', 'high', 'channels.slack.allowFrom']]);
    assert.is(results[0]!.message, 'channels.slack.allowFrom holds "*"');
    const steps = await fixSteps(home, 'access.allowlists-tight');
    assert.equal(steps.length, 1);
    assert.match(steps[0]!, /^In channels\.slack\.allowFrom \(.*config\.json\): replace "\*" with the individual sender ids/);
    assert.not.match(steps[0]!, /entries|allowlistMaxEntries/);
  } finally {
    home.cleanup();
  }
});

test('allowlists-tight: more entries than hardening.allowlistMaxEntries fails on an enabled channel; the fix speaks of the count only', async () => {
  const over = fixtureHome({ channels: { msteams: { enabled: true, allowFrom: senders(26) } } });
  const atBound = fixtureHome({ channels: { msteams: { enabled: true, allowFrom: senders(25) } } });
  const tighter = fixtureHome({ channels: { msteams: { enabled: true, allowFrom: senders(3) } }, hardening: { allowlistMaxEntries: 2 } });
  const looser = fixtureHome({ channels: { msteams: { enabled: true, allowFrom: senders(26) } }, hardening: { allowlistMaxEntries: 30 } });
  try {
    const [overResult] = await over.results('access.allowlists-tight');
    assert.is(overResult?.status, 'fail');
    assert.is(overResult?.message, 'channels.msteams.allowFrom has 26 entries (bound 25)');
    const steps = await fixSteps(over, 'access.allowlists-tight');
    assert.equal(steps.length, 1);
    assert.match(steps[0]!, /cut the 26 entries to 25 or fewer/);
    assert.not.match(steps[0]!, /wildcard|"\*"/);
    assert.equal(statuses(await atBound.results('access.allowlists-tight')), ['pass']);
    const [tight] = await tighter.results('access.allowlists-tight');
    assert.is(tight?.message, 'channels.msteams.allowFrom has 3 entries (bound 2)');
    assert.equal(statuses(await looser.results('access.allowlists-tight')), ['pass']);
  } finally {
    for (const home of [over, atBound, tighter, looser]) home.cleanup();
  }
});

test('allowlists-tight: a list both broad and long names both problems and both remedies', async () => {
  const home = fixtureHome({ channels: { slack: { enabled: true, allowFrom: [...senders(3), 'team:*'] } }, hardening: { allowlistMaxEntries: 3 } });
  try {
    const [result] = await home.results('access.allowlists-tight');
    assert.is(result?.message, 'channels.slack.allowFrom holds "team:*" and has 4 entries (bound 3)');
    const [step] = await fixSteps(home, 'access.allowlists-tight');
    assert.match(step!, /replace "team:\*" with the individual sender ids that need access; and cut the 4 entries to 3 or fewer/);
  } finally {
    home.cleanup();
  }
});

test('session scope: room (or unset, KafClaw\'s default) and thread pass per enabled unit; nothing enabled passes', async () => {
  const scoped = fixtureHome({
    channels: {
      slack: { enabled: true, sessionScope: 'room', accounts: [{ id: 'Support', enabled: true, sessionScope: 'thread' }] },
      msteams: { enabled: true },
    },
  });
  const none = fixtureHome({});
  try {
    const results = await scoped.results('access.session-scope');
    assert.equal(results.map((r) => [r.status, r.subject]), [
      ['pass', 'channels.slack'],
      ['pass', 'channels.slack.accounts[Support]'],
      ['pass', 'channels.msteams'],
    ]);
    assert.is(results[1]!.message, 'channels.slack.accounts[Support] sessionScope "thread"');
    assert.is(results[2]!.message, 'channels.msteams sessionScope "room"');
    const [nothing] = await none.results('access.session-scope');
    assert.equal([nothing?.status, nothing?.message], ['pass', 'no channel is enabled']);
  } finally {
    scoped.cleanup();
    none.cleanup();
  }
});

test.run();

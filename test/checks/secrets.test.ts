import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, statSync, symlinkSync } from 'node:fs';
import { fixtureHome, referenceConfig } from './fixture-home.js';
import { backupProblem, envNameFor, filePermissions, findLiteralCredentials, tokenLeak } from '../../checks/secrets.js';
import type { Check, CheckContext, Verdict } from '../../checks/types.js';
import { loadConfig } from '../../lib/config/index.js';
import { FactSnapshot } from '../../lib/facts/snapshot.js';
import type { PathFacts } from '../../lib/facts/probes/paths.js';
import { LocalTarget } from '../../lib/target/local.js';

test('literal provider and channel credentials are found; ${VAR} references are not', () => {
  const literals = findLiteralCredentials({
    gateway: { authToken: 'not-this-one-its-own-check' },
    providers: { anthropic: { apiKey: 'sk-ant-test-000' }, openai: { apiKey: '${OPENAI_API_KEY}' } },
    channels: { slack: { botToken: 'xoxb-test-000', accounts: [{ id: 'ops', inboundToken: 'abc' }] } },
    notes: { misplaced: 'AKIAABCDEFGHIJKLMNOP' },
  });
  assert.equal(literals.map((l) => l.keyPath.join('.')), ['providers.anthropic.apiKey', 'channels.slack.botToken', 'channels.slack.accounts.0.inboundToken', 'notes.misplaced']);
  assert.is(envNameFor(['providers', 'anthropic', 'apiKey']), 'KAFCLAW_PROVIDERS_ANTHROPIC_API_KEY');
});

test('reference 05: the anthropic key and the slack bot token are literals in config.json', async () => {
  const home = fixtureHome(referenceConfig('05-channels-misconfigured.json'));
  try {
    const results = await home.results('secrets.provider-keys-in-config');
    const failing = results.filter((r) => r.status === 'fail').map((r) => r.subject);
    assert.ok(failing.includes('providers.anthropic.apiKey'));
    assert.ok(failing.includes('channels.slack.botToken'));
    assert.not.match(JSON.stringify(results), 'sk-ant-test-000');
  } finally {
    home.cleanup();
  }
});

test('reference 01: no literals, private files pass', async () => {
  const home = fixtureHome(referenceConfig('01-minimal-defaults.json'));
  try {
    const [keys, perms] = await home.results(['secrets.provider-keys-in-config', 'secrets.file-permissions']);
    assert.is(keys?.status, 'pass');
    assert.is(perms?.status, 'pass', perms?.message);
  } finally {
    home.cleanup();
  }
});

test('file permissions: a world-readable config and an open state dir fail', async () => {
  const home = fixtureHome({});
  try {
    chmodSync(home.path('.kafclaw'), 0o755);
    chmodSync(home.path('.kafclaw/config.json'), 0o644);
    home.write('.config/kafclaw/env', 'X=1\n', 0o640);
    const results = await home.results('secrets.file-permissions');
    const subjects = results.filter((r) => r.status === 'fail').map((r) => r.subject);
    assert.ok(subjects.includes(home.path('.kafclaw')), JSON.stringify(results));
    assert.ok(subjects.includes(home.path('.kafclaw/config.json')));
  } finally {
    home.cleanup();
  }
});

test('config in git: tracked fails, ignored passes', async () => {
  const home = fixtureHome({});
  try {
    execFileSync('git', ['init', '-q', home.home]);
    const [unignored] = await home.results('secrets.config-in-git');
    assert.is(unignored?.status, 'fail');
    assert.match(unignored!.message, /not ignored/);
    home.write('.gitignore', '.kafclaw/\n.config/\n', 0o644);
    const [ignored] = await home.results('secrets.config-in-git');
    assert.is(ignored?.status, 'pass');
    execFileSync('git', ['-C', home.home, 'add', '-f', '.kafclaw/config.json']);
    const [tracked] = await home.results('secrets.config-in-git');
    assert.is(tracked?.status, 'fail');
    assert.match(tracked!.message, /tracked by git/);
  } finally {
    home.cleanup();
  }
});

test('token leak: a token in shell history and in the workspace is found, by place, never by value', async () => {
  const token = 'c0ffee11d00d22beef33cafe44babe55f00d66deed77aced88fade99bead00aa';
  const home = fixtureHome({ gateway: { authToken: '${KAFCLAW_GATEWAY_AUTH_TOKEN}' }, paths: { workspace: '~/ws', workRepoPath: '~/repo' } }, { KAFCLAW_GATEWAY_AUTH_TOKEN: token });
  try {
    const [clean] = await home.results('secrets.token-leak');
    assert.is(clean?.status, 'pass');
    home.write('.bash_history', `ls\ncurl -H "Authorization: Bearer ${token}" http://127.0.0.1:18791/\n`);
    mkdirSync(home.path('ws'), { recursive: true });
    home.write('ws/SOUL.md', `remember the token ${token}\n`, 0o644);
    const results = await home.results('secrets.token-leak');
    const files = results.filter((r) => r.status === 'fail').map((r) => r.subject).sort();
    assert.equal(files, [home.path('.bash_history'), home.path('ws/SOUL.md')]);
    assert.not.match(JSON.stringify(results), token);
  } finally {
    home.cleanup();
  }
});

test('fix backups: a group- or world-readable config.json or env-file backup fails file-permissions and its fix makes it 0600', async () => {
  const home = fixtureHome({ paths: { workspace: '~/ws', workRepoPath: '~/repo' } });
  try {
    const open = home.write('.kafclaw/config.json.bak-20260101T000000Z', '{}\n', 0o644);
    const envBackup = home.write('.config/kafclaw/env.bak-20260101T000000Z.1', 'A=1\n', 0o640);
    const closed = home.write('.kafclaw/config.json.bak-20260102T000000Z', '{}\n', 0o600);
    home.write('.kafclaw/config.json.orig', '{}\n', 0o644);
    const results = await home.results('secrets.file-permissions');
    const failing = results.filter((r) => r.status === 'fail');
    assert.equal(failing.map((r) => r.subject).sort(), [envBackup, open].sort());
    assert.match(failing.find((r) => r.subject === open)!.message, /mode 0644 lets group or others read this backup/);
    assert.not.ok(results.some((r) => r.subject === closed));

    const run = await home.doctor({ only: ['secrets.file-permissions'], fix: true });
    assert.equal(run.fixes.map((f) => f.outcome), ['repaired']);
    for (const path of [open, envBackup, closed]) assert.is(statSync(path).mode & 0o777, 0o600, path);
    assert.is(statSync(home.path('.kafclaw/config.json.orig')).mode & 0o777, 0o644, 'only fix backups are judged');
    assert.is(run.results[0]?.status, 'pass');
    assert.match(run.results[0]!.message, /and 3 backup\(s\) are private/);
  } finally {
    home.cleanup();
  }
});

test('token leak: a private backup holding the gateway token or a provider key is a warning by path, never by value; the live files are not reported', async () => {
  const token = 'c0ffee11d00d22beef33cafe44babe55f00d66deed77aced88fade99bead00aa';
  const key = 'sk-ant-api03-backupcanary-Zq81Vx02Lm93Kp74Ns65';
  const config = { gateway: { authToken: '${KAFCLAW_GATEWAY_AUTH_TOKEN}' }, providers: { anthropic: { apiKey: '${KAFCLAW_PROVIDERS_ANTHROPIC_API_KEY}' } }, paths: { workspace: '~/ws', workRepoPath: '~/repo' } };
  const home = fixtureHome(config);
  try {
    home.write('.config/kafclaw/env', `KAFCLAW_GATEWAY_AUTH_TOKEN=${token}\nKAFCLAW_PROVIDERS_ANTHROPIC_API_KEY=${key}\n`);
    const [clean] = await home.results('secrets.token-leak');
    assert.is(clean?.status, 'pass', clean?.message);
    const configBackup = home.write('.kafclaw/config.json.bak-20260101T000000Z', JSON.stringify({ providers: { anthropic: { apiKey: key } } }));
    const envBackup = home.write('.config/kafclaw/env.bak-20260101T000000Z', `KAFCLAW_GATEWAY_AUTH_TOKEN=${token}\n`);
    const results = await home.results('secrets.token-leak');
    assert.equal(results.map((r) => `${r.status} ${r.subject} ${r.evidence?.secret}`).sort(), [`warn ${configBackup} providers.anthropic.apiKey`, `warn ${envBackup} gateway.authToken`].sort());
    assert.match(results[0]!.message, /still holds the value of .*only its owner can read it.*delete it \(rm /);
    assert.not.match(JSON.stringify(results), token);
    assert.not.match(JSON.stringify(results), key);
  } finally {
    home.cleanup();
  }
});

test('token leak: a backup others can read, or a symlink named as a backup, fails here and in file-permissions', async () => {
  const token = 'c0ffee11d00d22beef33cafe44babe55f00d66deed77aced88fade99bead00aa';
  const config = { gateway: { authToken: '${KAFCLAW_GATEWAY_AUTH_TOKEN}' }, paths: { workspace: '~/ws', workRepoPath: '~/repo' } };
  const home = fixtureHome(config);
  try {
    home.write('.config/kafclaw/env', `KAFCLAW_GATEWAY_AUTH_TOKEN=${token}\n`);
    const open = home.write('.kafclaw/config.json.bak-20260101T000000Z', JSON.stringify({ gateway: { authToken: token } }), 0o644);
    const elsewhere = home.write('elsewhere/copy', `KAFCLAW_GATEWAY_AUTH_TOKEN=${token}\n`);
    const link = home.path('.config/kafclaw/env.bak-20260101T000000Z');
    symlinkSync(elsewhere, link);
    const results = await home.results(['secrets.token-leak', 'secrets.file-permissions']);
    const failing = (id: string) => results.filter((r) => r.id === id && r.status === 'fail').map((r) => r.subject).sort();
    assert.equal(failing('secrets.token-leak'), [link, open].sort(), JSON.stringify(results));
    assert.equal(failing('secrets.file-permissions'), [link, open].sort(), 'a symlinked backup is judged, not skipped');
    const leak = (subject: string) => results.find((r) => r.id === 'secrets.token-leak' && r.subject === subject)!.message;
    assert.match(leak(open), /where others may read it \(mode 0644 .*treat gateway\.authToken as exposed and rotate it/);
    assert.match(leak(link), `a symbolic link to ${elsewhere}`);
    assert.not.match(JSON.stringify(results), token);

    const run = await home.doctor({ only: ['secrets.file-permissions'], fix: true });
    assert.is(statSync(open).mode & 0o777, 0o600);
    assert.is(statSync(elsewhere).mode & 0o777, 0o600, 'the link target is not chmodded through the link');
    assert.ok(run.fixes[0]!.steps.some((step) => step.startsWith(`${link}: a symbolic link`)), JSON.stringify(run.fixes));
  } finally {
    home.cleanup();
  }
});

/** A `paths.sensitive-files` snapshot of a home at /h whose config and env file uid 1000 owns; the gateway runs as uid 999. */
async function ownerSnapshot(backups: Record<string, number>): Promise<CheckContext> {
  const files: Record<string, string> = { '/h/.kafclaw/config.json': JSON.stringify({ gateway: { authToken: '${KAFCLAW_GATEWAY_AUTH_TOKEN}' } }) };
  const loaded = await loadConfig({ env: { HOME: '/h' }, cwd: '/h', readFile: async (path) => (files[path] === undefined ? null : Buffer.from(files[path]!)) });
  const stat = (path: string, type: 'file' | 'dir', mode: number, uid: number, gid = uid): PathFacts => ({ path, exists: true, type, mode, uid, gid, realpath: path });
  const stats: PathFacts[] = [
    stat('/h/.kafclaw', 'dir', 0o700, 999),
    stat('/h/.kafclaw/config.json', 'file', 0o640, 1000, 999),
    stat('/h/.config/kafclaw/env', 'file', 0o600, 1000),
    { path: '/h/.kafclaw/env', exists: false },
    ...Object.entries(backups).map(([path, uid]) => stat(path, 'file', 0o600, uid)),
  ];
  const facts = new FactSnapshot();
  facts.set('config', loaded);
  facts.set('paths.sensitive-files', new Map(stats.map((s) => [s.path, s])));
  facts.set('runtime.user', { uid: 999, gid: 999 });
  facts.set('leaks', Object.keys(backups).map((file) => ({ secret: 'gateway.authToken', file })));
  return { target: new LocalTarget(), host: 'localhost', facts, options: {} as CheckContext['options'], now: new Date() };
}

const verdicts = async (check: Check, ctx: CheckContext): Promise<Verdict[]> => ([] as Verdict[]).concat(await check.run(ctx));
const byStatus = (list: Verdict[]) => list.filter((v) => v.status !== 'pass').map((v) => `${v.status} ${v.subject}`).sort();

test('a 0600 backup is judged against the uid of the file it backs up (the gateway\'s user when that file is gone), from the path facts alone', async () => {
  const ctx = await ownerSnapshot({
    '/h/.config/kafclaw/env.bak-20260101T000000Z': 4242,
    '/h/.kafclaw/config.json.bak-20260101T000000Z': 1000,
    '/h/.kafclaw/env.bak-20260101T000000Z': 999,
    '/h/.kafclaw/.env.bak-20260101T000000Z': 1000,
  });
  const perms = await verdicts(filePermissions, ctx);
  assert.equal(byStatus(perms), ['fail /h/.config/kafclaw/env.bak-20260101T000000Z', 'fail /h/.kafclaw/.env.bak-20260101T000000Z'], JSON.stringify(perms));
  const message = (subject: string) => perms.find((v) => v.subject === subject)!.message;
  assert.match(message('/h/.config/kafclaw/env.bak-20260101T000000Z'), 'owned by uid 4242, not by uid 1000 who owns the file it backs up');
  assert.match(message('/h/.kafclaw/.env.bak-20260101T000000Z'), 'owned by uid 1000, not by uid 999 who owns the file it backs up', 'with /h/.kafclaw/.env absent, the gateway\'s user is expected');

  const leaks = await verdicts(tokenLeak, ctx);
  assert.equal(byStatus(leaks), [
    'fail /h/.config/kafclaw/env.bak-20260101T000000Z',
    'fail /h/.kafclaw/.env.bak-20260101T000000Z',
    'warn /h/.kafclaw/config.json.bak-20260101T000000Z',
    'warn /h/.kafclaw/env.bak-20260101T000000Z',
  ], JSON.stringify(leaks));
  assert.match(leaks.find((v) => v.subject === '/h/.config/kafclaw/env.bak-20260101T000000Z')!.message, /where others may read it \(owned by uid 4242.*rotate it/);
});

test('a backup of a file another account owns passes when it keeps that owner, though the gateway\'s user is someone else', async () => {
  const ctx = await ownerSnapshot({ '/h/.config/kafclaw/env.bak-20260101T000000Z': 1000 });
  const perms = await verdicts(filePermissions, ctx);
  assert.equal(perms.map((v) => v.status), ['pass'], JSON.stringify(perms));
  assert.equal(byStatus(await verdicts(tokenLeak, ctx)), ['warn /h/.config/kafclaw/env.bak-20260101T000000Z']);
});

test('token leak: a 0600 backup another account owns fails (run as root, which can chown)', async () => {
  if (process.getuid?.() !== 0) return;
  const token = 'c0ffee11d00d22beef33cafe44babe55f00d66deed77aced88fade99bead00aa';
  const home = fixtureHome({ gateway: { authToken: '${KAFCLAW_GATEWAY_AUTH_TOKEN}' }, paths: { workspace: '~/ws', workRepoPath: '~/repo' } });
  try {
    home.write('.config/kafclaw/env', `KAFCLAW_GATEWAY_AUTH_TOKEN=${token}\n`);
    const backup = home.write('.config/kafclaw/env.bak-20260101T000000Z', `KAFCLAW_GATEWAY_AUTH_TOKEN=${token}\n`);
    chownSync(backup, 4242, 4242);
    const results = await home.results(['secrets.token-leak', 'secrets.file-permissions']);
    const failing = results.filter((r) => r.status === 'fail');
    assert.equal(failing.map((r) => `${r.id} ${r.subject}`).sort(), [`secrets.file-permissions ${backup}`, `secrets.token-leak ${backup}`], JSON.stringify(results));
    assert.match(failing[0]!.message, /owned by uid 4242, not by uid \d+ who owns the file it backs up/);
  } finally {
    home.cleanup();
  }
});

test('backupProblem: a 0600 regular file of the original\'s owner is private; another owner, a link or an open mode is not', () => {
  const stat = { path: '/h/.kafclaw/config.json.bak-1', exists: true, type: 'file' as const, mode: 0o600, uid: 1000, gid: 1000, realpath: '/h/.kafclaw/config.json.bak-1' };
  assert.is(backupProblem(stat, 1000), null);
  assert.equal(backupProblem({ ...stat, uid: 1001 }, 1000), { message: 'owned by uid 1001, not by uid 1000 who owns the file it backs up, so that account can read it: check it, then remove it as root', chmod: false });
  assert.is(backupProblem({ ...stat, mode: 0o640 }, 1000)?.chmod, true);
  assert.is(backupProblem({ ...stat, uid: 1001, mode: 0o644 }, 1000)?.chmod, false, 'no chmod of a file another account owns');
  assert.is(backupProblem({ ...stat, type: 'symlink', mode: 0o777 }, 1000)?.chmod, false);
  assert.is(backupProblem({ ...stat, type: 'dir', mode: 0o700 }, 1000)?.chmod, false);
});

test.run();

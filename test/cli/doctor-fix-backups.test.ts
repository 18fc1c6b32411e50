import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { fixtureHome } from '../checks/fixture-home.js';
import { kafclaw } from './run-cli.js';

const KEY = 'sk-proj-backupcanary0123456789abcdefghijklmnopqrstuvwx';
const SLACK = 'xoxb-1234567890-backupcanarytoken';

/** The audit's repro: a 0644 config.json with literal keys in a 0755 directory named by KAFCLAW_CONFIG. */
function reproHome() {
  const home = fixtureHome(null);
  const config = {
    gateway: { host: '0.0.0.0', authToken: '' },
    providers: { openai: { apiKey: KEY } },
    channels: { slack: { enabled: true, botToken: SLACK, allowFrom: ['slack:U1'] } },
  };
  const path = home.write('conf/config.json', JSON.stringify(config, null, 2), 0o644);
  chmodSync(home.path('conf'), 0o755);
  home.env.KAFCLAW_CONFIG = path;
  return home;
}

const backups = (home: ReturnType<typeof fixtureHome>) => readdirSync(home.path('conf')).filter((n) => n.startsWith('config.json.bak-')).sort();
const noSecret = (text: string) => !text.includes(KEY) && !text.includes(SLACK) && !text.includes(KEY.slice(0, 20));

test('--fix on a 0644 config: one 0600 backup per run, named in the report with the rm to run, no value printed', () => {
  const home = reproHome();
  try {
    const run = kafclaw(['doctor', '--fix'], home.env);
    assert.ok(noSecret(run.stdout + run.stderr), 'a key was printed');
    const [backup, ...more] = backups(home);
    assert.ok(backup, run.stdout);
    assert.equal(more, [], 'one backup per file per run, not one per edit');
    const path = home.path(`conf/${backup}`);
    assert.is(statSync(path).mode & 0o777, 0o600);
    assert.ok(readFileSync(path, 'utf8').includes(KEY), 'the backup holds the file as it was before the run');
    assert.not.ok(readFileSync(home.path('conf/config.json'), 'utf8').includes(KEY));
    assert.match(run.stdout, /repaired +gateway\.bind-loopback/);
    assert.match(run.stdout, /repaired +secrets\.provider-keys-in-config/);
    assert.ok(run.stdout.includes(`backup: ${path} (0600)`), run.stdout);
    assert.ok(run.stdout.includes(`! ${path} still holds the old secret value of providers.openai.apiKey, channels.slack.botToken: once you have checked the change, delete it: rm ${path}`), run.stdout);

    const next = kafclaw(['doctor', '--only', 'secrets.file-permissions,secrets.token-leak', '--format', 'json'], home.env);
    assert.is(next.code, 0, 'the fix\'s own 0600 backup does not fail the next doctor');
    const json = JSON.parse(next.stdout);
    const leaks = json.checks.filter((c: { id: string }) => c.id === 'secrets.token-leak');
    assert.equal([...new Set(leaks.map((c: { status: string; subject: string }) => `${c.status} ${c.subject}`))], [`warn ${path}`], 'the backup is a warning, by path');
    assert.ok(leaks[0].message.includes(`delete it (rm ${path})`), leaks[0].message);
    assert.ok(json.checks.some((c: { id: string; status: string }) => c.id === 'secrets.file-permissions' && c.status === 'pass'));
    assert.ok(noSecret(next.stdout + next.stderr));
  } finally {
    home.cleanup();
  }
});

test('the next doctor flags a world-readable old backup and --fix makes it 0600', () => {
  const home = reproHome();
  try {
    const old = home.write('conf/config.json.bak-20200101T000000Z', readFileSync(home.path('conf/config.json'), 'utf8'), 0o644);
    const env = home.write('.config/kafclaw/env.bak-20200101T000000Z', `OPENAI=${KEY}\n`, 0o604);
    const first = kafclaw(['doctor', '--only', 'secrets.file-permissions,secrets.token-leak'], home.env);
    assert.is(first.code, 1);
    assert.ok(first.stdout.includes(`FAIL  high secrets.file-permissions: ${old}: mode 0644 lets group or others read this backup`), first.stdout);
    assert.ok(first.stdout.includes(`FAIL  high secrets.file-permissions: ${env}: mode 0604`), first.stdout);
    assert.match(first.stdout, new RegExp(`secrets\\.token-leak: the backup ${old.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(of [^)]*\\) holds the value of providers\\.openai\\.apiKey where others may read it`));
    assert.ok(noSecret(first.stdout + first.stderr));

    const fix = kafclaw(['doctor', '--fix', '--only', 'secrets.file-permissions'], home.env);
    assert.match(fix.stdout, /repaired +secrets\.file-permissions/);
    for (const path of [old, env]) assert.is(statSync(path).mode & 0o777, 0o600, path);
    assert.is(backups(home).length, 1, 'a chmod is no edit: no backup');
  } finally {
    home.cleanup();
  }
});

test('--dry-run on the repro lists what --fix then does: no token fix once the rebind makes it pass', () => {
  const home = reproHome();
  try {
    const dry = kafclaw(['doctor', '--fix', '--dry-run'], home.env);
    assert.equal(backups(home), []);
    assert.match(dry.stdout, /unchanged +gateway\.auth-token-present \(passes after the fixes before it\)/);
    assert.not.match(dry.stdout, /would change +gateway\.auth-token-present/);
    assert.match(dry.stdout, /would still hold the old secret value of providers\.openai\.apiKey, channels\.slack\.botToken/);
    const real = kafclaw(['doctor', '--fix'], home.env);
    const changed = (text: string, mark: string) => [...text.matchAll(new RegExp(`^  ${mark} +(\\S+)`, 'gm'))].map((m) => m[1]);
    assert.equal(changed(dry.stdout, 'would change'), changed(real.stdout, 'repaired'));
    assert.ok(noSecret(dry.stdout + dry.stderr));
  } finally {
    home.cleanup();
  }
});

test.run();

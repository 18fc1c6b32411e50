import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync } from 'node:fs';
import { fixtureHome, referenceConfig } from './fixture-home.js';
import { envNameFor, findLiteralCredentials } from '../../checks/secrets.js';

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

test.run();

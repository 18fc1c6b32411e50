import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { fixtureHome, referenceConfig } from '../checks/fixture-home.js';
import { kafclaw } from './run-cli.js';
import { treeHash } from '../tree-hash.js';

const CANARY_TOKEN = 'canarytok-9d8f7e6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e';
const CANARY_KEY = 'sk-ant-canary-Zq81Vx02Lm93Kp74Ns65Jr56Ht47Gu38';


test('exit codes: 0 clean, 1 findings, 2 bad config / flag / waiver file', () => {
  const clean = fixtureHome({ paths: { workspace: '/srv/kc-test/ws', workRepoPath: '/srv/kc-test/repo' } });
  const bad = fixtureHome(referenceConfig('02-remote-no-token.json'));
  const broken = fixtureHome(referenceConfig('06-config-type-error.json'));
  try {
    const ok = kafclaw(['doctor'], clean.env);
    assert.is(ok.code, 0, ok.stdout + ok.stderr);
    assert.is(kafclaw(['doctor'], bad.env).code, 1);
    const typeError = kafclaw(['doctor'], broken.env);
    assert.is(typeError.code, 2);
    assert.match(typeError.stderr, /config\.json:\d+:\d+: tools\.exec\.timeout: /);
    assert.not.match(typeError.stderr, /\n\s+at /);
    assert.is(kafclaw(['doctor', '--bogus'], clean.env).code, 2);
    assert.is(kafclaw(['doctor', '--format', 'xml'], clean.env).code, 2);
    assert.is(kafclaw(['doctor', '--only', 'no.such-check'], clean.env).code, 2);
    clean.write('waivers.yml', '- id: gateway.bind-loopback\n  reason: r\n');
    const waiver = kafclaw(['doctor', '--waivers', clean.path('waivers.yml')], clean.env);
    assert.is(waiver.code, 2);
    assert.match(waiver.stderr, /waivers\.yml:\d+:\d+/);
  } finally {
    clean.cleanup();
    bad.cleanup();
    broken.cleanup();
  }
});

test('every format parses and carries the results; JSON has schemaVersion and summary', () => {
  const home = fixtureHome(referenceConfig('02-remote-no-token.json'));
  try {
    const json = JSON.parse(kafclaw(['doctor', '--format', 'json'], home.env).stdout);
    assert.is(json.schemaVersion, 1);
    assert.ok(json.summary.fail >= 3);
    const bind = json.checks.find((c: { id: string }) => c.id === 'gateway.bind-loopback');
    assert.equal([bind.status, bind.severity, typeof bind.title, typeof bind.message, bind.fix.kind], ['fail', 'critical', 'string', 'string', 'auto']);
    const sarif = JSON.parse(kafclaw(['doctor', '--format', 'sarif'], home.env).stdout);
    assert.is(sarif.version, '2.1.0');
    assert.ok(sarif.runs[0].tool.driver.rules.some((r: { id: string }) => r.id === 'gateway.bind-loopback'));
    assert.match(kafclaw(['doctor', '--format', 'junit'], home.env).stdout, /<testsuites[\s>]/);
    assert.match(kafclaw(['doctor', '--format', 'md'], home.env).stdout, /gateway\.bind-loopback/);
    const out = home.path('report.sarif');
    const written = kafclaw(['doctor', '--format', 'sarif', '--output', out], home.env);
    assert.is(written.stdout, '');
    assert.is(JSON.parse(readFileSync(out, 'utf8')).version, '2.1.0');
    assert.is(statSync(out).mode & 0o777, 0o600);
  } finally {
    home.cleanup();
  }
});

test('waivers: a waived finding stays in the report as waived; an expired waiver fails the run', () => {
  const home = fixtureHome({ paths: { workspace: '/srv/kc-test/ws', workRepoPath: '/srv/kc-test/ws' } });
  try {
    home.write('ok.yml', '- id: paths.workspace-separate\n  reason: lab box\n  owner: ops@example.com\n  expires: 2999-01-01\n');
    const waived = kafclaw(['doctor', '--waivers', home.path('ok.yml'), '--format', 'json'], home.env);
    assert.is(waived.code, 0, waived.stdout);
    const result = JSON.parse(waived.stdout).checks.find((c: { id: string }) => c.id === 'paths.workspace-separate');
    assert.is(result.status, 'fail');
    assert.is(result.waived.owner, 'ops@example.com');
    home.write('old.yml', '- id: paths.workspace-separate\n  reason: lab box\n  owner: ops@example.com\n  expires: 2020-01-01\n');
    const expired = kafclaw(['doctor', '--waivers', home.path('old.yml')], home.env);
    assert.is(expired.code, 1);
    assert.match(expired.stdout, /waiver\.expired/);
  } finally {
    home.cleanup();
  }
});

test('--fix repairs, backs up and is idempotent; --dry-run writes nothing', () => {
  const home = fixtureHome(referenceConfig('02-remote-no-token.json'));
  try {
    const before = treeHash(home.home);
    const dry = kafclaw(['doctor', '--fix', '--dry-run'], home.env);
    assert.match(dry.stdout, /would change +gateway\.bind-loopback/);
    assert.match(dry.stdout, /gateway\.host: "0\.0\.0\.0" -> "127\.0\.0\.1"/);
    assert.is(treeHash(home.home), before, 'a dry run changed the home');

    const first = kafclaw(['doctor', '--fix'], home.env);
    assert.match(first.stdout, /repaired +gateway\.bind-loopback/);
    assert.match(first.stdout, /repaired +secrets\.provider-keys-in-config/);
    const config = JSON.parse(home.read('.kafclaw/config.json'));
    assert.is(config.gateway.host, '127.0.0.1');
    assert.is(config.gateway.dashboardPort, 18791, 'keys the fix did not touch are kept');
    assert.is(config.providers.anthropic.apiKey, '${KAFCLAW_PROVIDERS_ANTHROPIC_API_KEY}');
    assert.is(statSync(home.path('.config/kafclaw/env')).mode & 0o777, 0o600);
    assert.match(home.read('.config/kafclaw/env'), /^KAFCLAW_PROVIDERS_ANTHROPIC_API_KEY=sk-ant-test-000$/m);
    assert.ok(readdirSync(home.path('.kafclaw')).some((name) => name.startsWith('config.json.bak-')));

    const afterFirst = treeHash(home.home);
    const second = kafclaw(['doctor', '--fix'], home.env);
    assert.match(second.stdout, /0 repaired/);
    assert.is(treeHash(home.home), afterFirst, 'a second --fix changed something');
  } finally {
    home.cleanup();
  }
});

test('a fix that would cut clients off is guided: a remote gateway with a token keeps its bind', () => {
  const home = fixtureHome({ gateway: { host: '0.0.0.0', authToken: '${KAFCLAW_GATEWAY_AUTH_TOKEN}' } }, { KAFCLAW_GATEWAY_AUTH_TOKEN: CANARY_TOKEN, });
  try {
    const run = kafclaw(['doctor', '--fix', '--only', 'gateway.bind-loopback,gateway.tls-or-proxy'], home.env);
    assert.match(run.stdout, /skipped +gateway\.tls-or-proxy/);
    assert.is(JSON.parse(home.read('.kafclaw/config.json')).gateway.host, '0.0.0.0');
  } finally {
    home.cleanup();
  }
});

test('canary token and provider key appear in no output format, fix diff, status or report file', () => {
  const home = fixtureHome({ gateway: { host: '0.0.0.0' }, providers: { anthropic: { apiKey: CANARY_KEY } } }, {});
  try {
    home.write('.config/kafclaw/env', `KAFCLAW_GATEWAY_AUTH_TOKEN=${CANARY_TOKEN}\n`);
    home.write('.bash_history', `export KAFCLAW_GATEWAY_AUTH_TOKEN=${CANARY_TOKEN}\n`);
    const outputs: string[] = [];
    for (const format of ['text', 'json', 'sarif', 'junit', 'md']) {
      const run = kafclaw(['doctor', '--profile', 'go-live', '--format', format], home.env);
      assert.is(run.code, 1, `${format}: ${run.stderr}`);
      outputs.push(run.stdout, run.stderr);
    }
    const file = home.path('report.json');
    kafclaw(['doctor', '--format', 'json', '--output', file], home.env);
    outputs.push(readFileSync(file, 'utf8'));
    const dry = kafclaw(['doctor', '--fix', '--dry-run', '--format', 'json'], home.env);
    outputs.push(dry.stdout, dry.stderr);
    const status = kafclaw(['status', '--json'], home.env);
    outputs.push(status.stdout, status.stderr, kafclaw(['status'], home.env).stdout);
    const all = outputs.join('\n');
    assert.ok(all.includes('secrets.token-leak') && all.includes('providers.anthropic.apiKey'), 'the findings themselves are reported');
    assert.not.ok(all.includes(CANARY_TOKEN), 'the canary token leaked');
    assert.not.ok(all.includes(CANARY_KEY), 'the canary provider key leaked');
    assert.not.ok(all.includes(CANARY_TOKEN.slice(0, 24)), 'part of the canary token leaked');
  } finally {
    home.cleanup();
  }
});

test('--help on doctor and status, and --list', () => {
  const home = fixtureHome({});
  try {
    const help = kafclaw(['doctor', '--help'], home.env);
    assert.is(help.code, 0);
    for (const flag of ['--fix', '--dry-run', '--profile', '--only', '--skip', '--waivers', '--format', '--output']) assert.match(help.stdout, flag);
    assert.is(kafclaw(['status', '--help'], home.env).code, 0);
    const list = kafclaw(['doctor', '--list'], home.env);
    assert.match(list.stdout, /^gateway\.bind-loopback +critical/m);
  } finally {
    home.cleanup();
  }
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fixtureHome } from './fixture-home.js';
import { gatherStatus, renderStatus } from '../../checks/status.js';
import { LocalTarget } from '../../lib/target/local.js';
import type { Target } from '../../lib/target/types.js';
import type { LoadedConfig } from '../../lib/config/index.js';
import { collectFacts } from '../../checks/collect.js';
import { bindLoopback } from '../../checks/gateway.js';
import { runCheck } from '../../checks/engine.js';
import { DEFAULT_CHECK_OPTIONS } from '../../checks/options.js';
import type { CheckResult } from '../../checks/types.js';
import { fakeRemote } from './fake-remote.js';
import { kafclaw } from '../cli/run-cli.js';

const STRONG = 'f3b1c9e07a5d42c8b6e1f09a7d3c5e2b8a4f6d1c0e9b7a5c3d2e1f0a9b8c7d6e';
const GATEWAY = ['gateway.bind-loopback', 'gateway.auth-token-present', 'gateway.auth-token-strength'];

test('HOST=0.0.0.0 in ~/.config/kafclaw/env: the gateway binds all addresses, bind-loopback fails critical, status says so', async () => {
  const home = fixtureHome({});
  try {
    const file = home.write('.config/kafclaw/env', 'HOST=0.0.0.0\n');
    const [bind, present] = await home.results(['gateway.bind-loopback', 'gateway.auth-token-present']);
    assert.is(bind?.status, 'fail');
    assert.is(bind?.severity, 'critical');
    assert.match(bind!.message, /0\.0\.0\.0 with no auth token/);
    assert.ok(bind!.message.includes(`host from env HOST in ${file}`), bind!.message);
    assert.is(present?.status, 'fail');
    const [stray] = await home.results('kafclaw.stray-bare-env');
    assert.is(stray?.status, 'fail', 'the bare name is still flagged');
    const status = await gatherStatus(new LocalTarget(), { env: home.env });
    assert.equal([status.gateway.host, status.gateway.loopback], ['0.0.0.0', false]);
    assert.is(status.gateway.hostSource, `env HOST in ${file}`);
    assert.match(renderStatus(status), new RegExp(`REMOTE \\(host from env HOST in ${file}\\)`));
  } finally {
    home.cleanup();
  }
});

test('AUTH_TOKEN in an env file is the gateway token, and its strength is judged', async () => {
  const weak = fixtureHome({ gateway: { host: '0.0.0.0' } });
  const strong = fixtureHome({ gateway: { host: '0.0.0.0' } });
  try {
    const file = weak.write('.kafclaw/env', 'AUTH_TOKEN=changeme-dev-token-only\n');
    const [bind, present, strength] = await weak.results(GATEWAY);
    assert.is(bind?.status, 'warn', 'a token is set');
    assert.is(present?.status, 'pass');
    assert.ok(present!.message.includes(`env AUTH_TOKEN in ${file}`), present!.message);
    assert.is(strength?.status, 'fail');
    assert.match(strength!.message, /placeholder/);
    assert.not.match(JSON.stringify([bind, present, strength]), 'changeme-dev-token-only');
    strong.write('.kafclaw/env', `AUTH_TOKEN=${STRONG}\n`);
    assert.equal((await strong.results(GATEWAY)).map((r) => r.status), ['warn', 'pass', 'pass']);
  } finally {
    weak.cleanup();
    strong.cleanup();
  }
});

test('the prefixed name shadows the bare one, whichever env file holds it', async () => {
  const home = fixtureHome({});
  try {
    home.write('.config/kafclaw/env', 'HOST=0.0.0.0\nAUTH_TOKEN=\n');
    const dotenv = home.write('.kafclaw/.env', `KAFCLAW_GATEWAY_HOST=127.0.0.1\nKAFCLAW_GATEWAY_AUTH_TOKEN=${STRONG}\n`);
    const [bind, present, strength] = await home.results(GATEWAY);
    assert.is(bind?.status, 'pass');
    assert.ok(bind!.message.includes(`127.0.0.1 (host from env KAFCLAW_GATEWAY_HOST in ${dotenv})`), bind!.message);
    assert.ok(present!.message.includes('env KAFCLAW_GATEWAY_AUTH_TOKEN'), present!.message);
    assert.is(strength?.status, 'pass');
  } finally {
    home.cleanup();
  }
});

test('HOST only in doctor\'s own environment does not change the bind, but is still flagged', async () => {
  const home = fixtureHome({});
  try {
    // A local run's own environment is this shell's, not the gateway's: only the CLI reads it as such.
    const shell = { ...home.env, HOST: '0.0.0.0', AUTH_TOKEN: 'x' };
    const run = kafclaw(['doctor', '--format', 'json', '--only', [...GATEWAY, 'kafclaw.stray-bare-env'].join(',')], shell);
    const checks = (JSON.parse(run.stdout) as { checks: CheckResult[] }).checks;
    const [bind, present, strength] = GATEWAY.map((id) => checks.find((c) => c.id === id));
    assert.is(bind?.status, 'pass');
    assert.is(bind?.message, 'the gateway binds 127.0.0.1');
    assert.match(present!.message, /no token, and none is required/);
    assert.is(strength?.status, 'skip');
    assert.equal(checks.filter((c) => c.id === 'kafclaw.stray-bare-env').map((r) => r.status), ['fail', 'fail']);
    const status = await gatherStatus(new LocalTarget(), { env: shell, timeoutMs: 200 });
    assert.is(status.gateway.host, '127.0.0.1');
    assert.is(status.gateway.hostSource, 'default');
  } finally {
    home.cleanup();
  }
});

test('an env file\'s bare HOST wins over doctor\'s own HOST: the gateway loads the file, not this shell', () => {
  const home = fixtureHome({});
  try {
    home.write('.config/kafclaw/env', 'HOST=0.0.0.0\n');
    const run = kafclaw(['doctor', '--format', 'json', '--only', 'gateway.bind-loopback'], { ...home.env, HOST: 'workstation.local' });
    const [bind] = (JSON.parse(run.stdout) as { checks: CheckResult[] }).checks;
    assert.is(bind?.status, 'fail');
    assert.match(bind!.message, /binds 0\.0\.0\.0/);
  } finally {
    home.cleanup();
  }
});

/** Collect a gateway's facts and judge its bind. */
async function bind(target: Target, env?: Record<string, string>) {
  const facts = await collectFacts(target, [bindLoopback], env ? { env } : {});
  const [result] = await runCheck(bindLoopback, { target, host: target.name, facts, options: DEFAULT_CHECK_OPTIONS, now: new Date() });
  return { config: facts.get<LoadedConfig>('config'), result: result! };
}

test('a remote unit\'s bare HOST is the gateway\'s own: it binds 10.0.0.5 and bind-loopback fails critical', async () => {
  const home = fixtureHome({});
  const host = fakeRemote(`Environment=HOST=10.0.0.5 HOME=${home.home}`);
  try {
    const { config, result } = await bind(host.target);
    assert.is(config.config.gateway.host, '10.0.0.5');
    assert.equal(config.sourceOf('gateway.host'), { kind: 'env', name: 'HOST' });
    assert.equal([result.status, result.severity], ['fail', 'critical']);
    assert.match(result.message, /binds 10\.0\.0\.5 with no auth token/);
  } finally {
    host.cleanup();
    home.cleanup();
  }
});

test('a remote unit\'s bare HOST beats an env file\'s: KafClaw never overrides its process environment', async () => {
  const home = fixtureHome({});
  const host = fakeRemote(`Environment=HOST=10.0.0.5 HOME=${home.home}`);
  try {
    home.write('.config/kafclaw/env', 'HOST=127.0.0.1\n');
    const { config, result } = await bind(host.target);
    assert.is(config.config.gateway.host, '10.0.0.5');
    assert.is(result.status, 'fail');
  } finally {
    host.cleanup();
    home.cleanup();
  }
});

test('a given environment is the gateway\'s own: its bare HOST counts, and beats an env file\'s', async () => {
  const home = fixtureHome({});
  try {
    home.write('.config/kafclaw/env', 'HOST=127.0.0.1\n');
    const { config, result } = await bind(new LocalTarget(), { ...home.env, HOST: '10.0.0.5' });
    assert.is(config.config.gateway.host, '10.0.0.5');
    assert.is(result.status, 'fail');
  } finally {
    home.cleanup();
  }
});

test('bind-loopback\'s fix for a host from an env file names the file and stays guided', async () => {
  const home = fixtureHome({});
  try {
    const file = home.write('.config/kafclaw/env', 'HOST=0.0.0.0\n');
    const run = await home.doctor({ only: ['gateway.bind-loopback'], fix: true, dryRun: true });
    const text = JSON.stringify(run);
    assert.ok(text.includes(`Set HOST=127.0.0.1 in ${file}`), text);
    assert.is(home.read('.config/kafclaw/env'), 'HOST=0.0.0.0\n');
  } finally {
    home.cleanup();
  }
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fixtureHome } from './fixture-home.js';
import { gatherStatus, renderStatus } from '../../checks/status.js';
import { LocalTarget } from '../../lib/target/local.js';

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
  const home = fixtureHome({}, { HOST: '0.0.0.0', AUTH_TOKEN: 'x' });
  try {
    const [bind, present, strength] = await home.results(GATEWAY);
    assert.is(bind?.status, 'pass');
    assert.is(bind?.message, 'the gateway binds 127.0.0.1');
    assert.match(present!.message, /no token, and none is required/);
    assert.is(strength?.status, 'skip');
    const stray = await home.results('kafclaw.stray-bare-env');
    assert.equal(stray.map((r) => r.status), ['fail', 'fail']);
    const status = await gatherStatus(new LocalTarget(), { env: home.env, timeoutMs: 200 });
    assert.is(status.gateway.host, '127.0.0.1');
    assert.is(status.gateway.hostSource, 'default');
  } finally {
    home.cleanup();
  }
});

test('an env file\'s bare HOST wins over doctor\'s own HOST: the gateway loads the file, not this shell', async () => {
  const home = fixtureHome({}, { HOST: 'workstation.local' });
  try {
    home.write('.config/kafclaw/env', 'HOST=0.0.0.0\n');
    const [bind] = await home.results('gateway.bind-loopback');
    assert.is(bind?.status, 'fail');
    assert.match(bind!.message, /binds 0\.0\.0\.0/);
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

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { fixtureHome } from '../checks/fixture-home.js';
import { kafclaw } from './run-cli.js';
import { generateToken } from '../../lib/secrets/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

test('kafclaw gateway refuses a remote bind without a token: exit 2, says what to set', () => {
  const home = fixtureHome({ gateway: { host: '0.0.0.0' } });
  try {
    const run = kafclaw(['gateway'], home.env);
    assert.is(run.code, 2);
    assert.match(run.stderr, /KAFCLAW_GATEWAY_AUTH_TOKEN/);
    assert.not.match(run.stderr, /\n\s+at /);
  } finally {
    home.cleanup();
  }
});

test('kafclaw gateway serves /healthz, guards the API, and stops cleanly on SIGTERM', async () => {
  const [port, dashboardPort] = [await freePort(), await freePort()];
  const token = generateToken().reveal();
  const home = fixtureHome({ gateway: { port, dashboardPort } }, { KAFCLAW_GATEWAY_AUTH_TOKEN: token });
  const child = spawn(process.execPath, ['dist/bin/kafclaw.js', 'gateway'], { cwd: root, env: home.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  try {
    const deadline = Date.now() + 20_000;
    while (!stderr.includes('listening') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.match(stderr, /listening/);
    const health = await fetch(`http://127.0.0.1:${dashboardPort}/healthz`);
    assert.is(health.status, 200);
    assert.is((await fetch(`http://127.0.0.1:${dashboardPort}/api/v1/timeline`)).status, 401);
    const ok = await fetch(`http://127.0.0.1:${dashboardPort}/api/v1/timeline`, { headers: { authorization: `Bearer ${token}` } });
    assert.is(ok.status, 200);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.is(await exited, 0);
    assert.not.match(stderr, token);
  } finally {
    child.kill('SIGKILL');
    home.cleanup();
  }
});

test.run();

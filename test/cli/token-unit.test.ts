import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fixtureHome, type FixtureHome } from '../checks/fixture-home.js';
import { kafclaw } from './run-cli.js';

const OLD = 'oldtoken-4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a';
const UNIT_TOKEN = 'unittoken-9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f';
const FRAGMENT = '/etc/systemd/system/kafclaw-gateway.service';
const ENV_FILE = '.config/kafclaw/env';

/**
 * A bin dir for PATH where systemd "runs" kafclaw-gateway.service with these show fields and
 * [Service] lines (as test/checks/fake-remote.ts fakes it): a `systemctl` printing the unit, and an
 * `sh` that runs the probe scripts with systemd's run directory taken as present. `show: null`: no
 * such unit (LoadState=not-found).
 */
function fakeSystemd(user: string | null, serviceLines: string): { bin: string; cleanup(): void } {
  const bin = mkdtempSync(join(tmpdir(), 'kafclaw-fake-systemd-'));
  mkdirSync(join(bin, 'unit'));
  const show = user === null ? 'LoadState=not-found\nActiveState=inactive\nUnitFileState=\nUser=\nFragmentPath=\n' : `LoadState=loaded\nActiveState=active\nUnitFileState=enabled\nUser=${user}\nFragmentPath=${FRAGMENT}\n`;
  writeFileSync(join(bin, 'unit', 'show'), show);
  writeFileSync(join(bin, 'unit', 'cat'), user === null ? '' : `# ${FRAGMENT}\n[Service]\nExecStart=/usr/local/bin/kafclaw gateway\n${serviceLines}\n`);
  writeFileSync(
    join(bin, 'systemctl'),
    `#!/bin/sh\ncase "$1 $2" in\n  "show kafclaw-gateway.service") cat '${bin}/unit/show' ;;\n  "cat kafclaw-gateway.service") cat '${bin}/unit/cat' ;;\nesac\n`,
  );
  writeFileSync(join(bin, 'sh'), `#!/bin/sh\nif [ "$1" = -s ]; then sed 's|\\[ -d /run/systemd/system \\]|true|g' | /bin/sh -s; else exec /bin/sh "$@"; fi\n`);
  for (const name of ['systemctl', 'sh']) chmodSync(join(bin, name), 0o755);
  return { bin, cleanup: () => rmSync(bin, { recursive: true, force: true }) };
}

function envFileHome(): FixtureHome {
  const home = fixtureHome({ gateway: { host: '0.0.0.0', authToken: '${KAFCLAW_GATEWAY_AUTH_TOKEN}' } });
  home.write(ENV_FILE, `KAFCLAW_GATEWAY_AUTH_TOKEN=${OLD}\n`);
  return home;
}

/** `kafclaw token rotate` on a machine whose systemd runs the gateway as `user` with these [Service] lines. */
function rotateWithUnit(home: FixtureHome, user: string | null, serviceLines: string) {
  const systemd = fakeSystemd(user, serviceLines);
  try {
    return kafclaw(['token', 'rotate'], { ...home.env, PATH: `${systemd.bin}:${home.env.PATH}` });
  } finally {
    systemd.cleanup();
  }
}

function assertRefusedUnchanged(home: FixtureHome, run: { code: number; stdout: string; stderr: string }) {
  assert.is(run.code, 2, run.stderr);
  assert.is(run.stdout, '');
  assert.match(run.stderr, /Nothing was changed\.$/m);
  assert.is(home.read(ENV_FILE), `KAFCLAW_GATEWAY_AUTH_TOKEN=${OLD}\n`);
  assert.not.ok(existsSync(home.path('.kafclaw/ops.db')), 'the refused rotation recorded something');
  assert.not.ok(run.stderr.includes(OLD) || run.stderr.includes(UNIT_TOKEN), 'a token was printed');
}

const me = userInfo().username;

test('token rotate with a local unit that runs as this user with this HOME rotates as before; no unit at all too', () => {
  for (const [user, lines] of [[me, `Environment=HOME=%HOME%`], [null, '']] as const) {
    const home = envFileHome();
    try {
      const run = rotateWithUnit(home, user, lines.replace('%HOME%', home.home));
      assert.is(run.code, 0, run.stderr);
      assert.not.match(home.read(ENV_FILE), OLD);
      assert.ok(existsSync(home.path('.kafclaw/ops.db')));
    } finally {
      home.cleanup();
    }
  }
});

test('token rotate refuses (exit 2) when the local unit runs the gateway as another user, and says to run it as that user', () => {
  const home = envFileHome();
  try {
    const run = rotateWithUnit(home, 'nobody', `Environment=HOME=${home.home}`);
    assertRefusedUnchanged(home, run);
    assert.match(run.stderr, `kafclaw-gateway.service runs as nobody (User= in ${FRAGMENT}), not as ${me}`);
    assert.match(run.stderr, '`sudo -u nobody -H kafclaw token rotate`');
  } finally {
    home.cleanup();
  }
});

test('token rotate refuses (exit 2) when the local unit sets a gateway token name in Environment= or in an EnvironmentFile=', () => {
  const home = envFileHome();
  try {
    const lines = `Environment=HOME=${home.home}\nEnvironment="KAFCLAW_GATEWAY_AUTH_TOKEN=${UNIT_TOKEN}"`;
    const inline = rotateWithUnit(home, me, lines);
    assertRefusedUnchanged(home, inline);
    assert.match(inline.stderr, `kafclaw-gateway.service sets KAFCLAW_GATEWAY_AUTH_TOKEN itself (Environment= in ${FRAGMENT})`);
    assert.match(inline.stderr, /Remove KAFCLAW_GATEWAY_AUTH_TOKEN from the unit's Environment=\/EnvironmentFile=.*systemctl daemon-reload/);

    const file = home.write('gateway.env', `MIKROBOT_GATEWAY_AUTH_TOKEN=${UNIT_TOKEN}\n`);
    const fromFile = rotateWithUnit(home, me, `Environment=HOME=${home.home}\nEnvironmentFile=-${file}`);
    assertRefusedUnchanged(home, fromFile);
    assert.match(fromFile.stderr, `sets MIKROBOT_GATEWAY_AUTH_TOKEN itself (${file} (EnvironmentFile= of kafclaw-gateway.service))`);

    const blank = rotateWithUnit(home, me, `Environment=HOME=${home.home} AUTH_TOKEN=`);
    assertRefusedUnchanged(home, blank);
    assert.match(blank.stderr, 'sets AUTH_TOKEN itself');

    const previous = rotateWithUnit(home, me, `Environment=HOME=${home.home} KAFCLAW_GATEWAY_PREVIOUS_AUTH_TOKEN=${UNIT_TOKEN}`);
    assertRefusedUnchanged(home, previous);
    assert.match(previous.stderr, 'sets KAFCLAW_GATEWAY_PREVIOUS_AUTH_TOKEN itself');
    assert.not.ok(previous.stderr.includes(UNIT_TOKEN), 'the unit\'s token is not quoted');
  } finally {
    home.cleanup();
  }
});

test('token rotate refuses (exit 2) when the local unit\'s gateway reads another env file (its user\'s home, or its KAFCLAW_ENV_FILE)', () => {
  const home = envFileHome();
  try {
    const userHome = rotateWithUnit(home, me, '');
    assertRefusedUnchanged(home, userHome);
    assert.match(userHome.stderr, `reads its env file from ${userInfo().homedir}/.config/kafclaw/env, not ${home.path(ENV_FILE)}`);
    const elsewhere = rotateWithUnit(home, me, `Environment=HOME=${home.home} KAFCLAW_ENV_FILE=/etc/kafclaw/gateway.env`);
    assertRefusedUnchanged(home, elsewhere);
    assert.match(elsewhere.stderr, `reads its env file from /etc/kafclaw/gateway.env, not ${home.path(ENV_FILE)}`);
  } finally {
    home.cleanup();
  }
});

test.run();

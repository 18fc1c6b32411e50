import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, readdirSync } from 'node:fs';
import { fixtureHome, referenceConfig, type FixtureHome } from './fixture-home.js';
import type { FixOutcome } from '../../checks/fix.js';
import { treeHash } from '../tree-hash.js';

const REPRO = {
  gateway: { host: '0.0.0.0', authToken: '' },
  providers: { openai: { apiKey: 'sk-proj-drycanary0123456789abcdefghijklmnopqrstuvwxyz' } },
  channels: { slack: { enabled: true, botToken: 'xoxb-1234567890-drycanarytoken', allowFrom: ['slack:U1'] } },
};


/** What a fix list says will change: the check, whether it changes anything, and each change (a generated token's fingerprint is new each run). */
function changeList(fixes: readonly FixOutcome[]): string[] {
  const changes = (fix: FixOutcome) => fix.changes.map((c) => `${c.resource} ${c.field}: ${c.before} -> ${c.field === 'KAFCLAW_GATEWAY_AUTH_TOKEN' ? c.after?.replace(/sha256:\w+/, 'sha256:…') : c.after}`);
  const outcome = (fix: FixOutcome) => {
    if (fix.outcome === 'repaired' || (fix.outcome === 'planned' && !fix.reason)) return 'changes';
    if ((fix.outcome === 'failed' && fix.reason?.startsWith('still failing after the fix: ')) || fix.reason?.startsWith('would still fail after the fix: ')) {
      return `changes, then still fails: ${fix.reason.replace(/^.*after the fix: /, '')}`;
    }
    return fix.outcome;
  };
  return fixes.flatMap((fix) => [`${fix.id} ${outcome(fix)}`, ...changes(fix)]);
}

async function dryThenReal(home: FixtureHome): Promise<{ dry: FixOutcome[]; real: FixOutcome[] }> {
  const before = treeHash(home.home);
  const dry = (await home.doctor({ fix: true, dryRun: true })).fixes;
  assert.is(treeHash(home.home), before, 'the dry run wrote to the home');
  const real = (await home.doctor({ fix: true })).fixes;
  return { dry, real };
}

test('0.0.0.0 without a token: the dry run no longer lists the token fix the loopback rebind makes moot', async () => {
  const home = fixtureHome(null);
  try {
    const path = home.write('conf/config.json', JSON.stringify(REPRO, null, 2), 0o644);
    chmodSync(home.path('conf'), 0o755);
    home.env.KAFCLAW_CONFIG = path;
    const { dry, real } = await dryThenReal(home);
    const token = dry.find((f) => f.id === 'gateway.auth-token-present');
    assert.equal([token?.outcome, token?.reason], ['unchanged', 'passes after the fixes before it']);
    assert.equal(changeList(dry), changeList(real));
    assert.ok(real.some((f) => f.outcome === 'repaired'), 'the real run changed something');
  } finally {
    home.cleanup();
  }
});

for (const name of ['01-minimal-defaults.json', '02-remote-no-token.json', '03-remote-with-token.json', '05-channels-misconfigured.json']) {
  test(`reference ${name}: the dry run lists exactly what the real run then changes`, async () => {
    const home = fixtureHome(referenceConfig(name));
    try {
      const { dry, real } = await dryThenReal(home);
      assert.equal(changeList(dry), changeList(real));
    } finally {
      home.cleanup();
    }
  });
}

test('reference 03: two fixes editing config.json share the one backup, and both say it keeps the old secret', async () => {
  const home = fixtureHome(referenceConfig('03-remote-with-token.json'));
  try {
    const { dry, real } = await dryThenReal(home);
    const moved = (fixes: FixOutcome[]) => fixes.filter((f) => ['gateway.token-not-in-config', 'secrets.provider-keys-in-config'].includes(f.id));
    assert.is(moved(real).length, 2);
    const backups = new Set(moved(real).flatMap((f) => f.backups!.filter((b) => b.file === home.path('.kafclaw/config.json')).map((b) => b.backup)));
    assert.is(backups.size, 1);
    assert.equal(readdirSync(home.path('.kafclaw')).filter((n) => n.startsWith('config.json.bak-')), [[...backups][0]!.split('/').pop()]);
    assert.equal(moved(real).map((f) => f.backups!.flatMap((b) => b.oldSecrets)), [['gateway.authToken'], ['providers.openrouter.apiKey']]);
    assert.equal(moved(dry).map((f) => f.backups!.flatMap((b) => b.oldSecrets)), [['gateway.authToken'], ['providers.openrouter.apiKey']]);
  } finally {
    home.cleanup();
  }
});

test.run();

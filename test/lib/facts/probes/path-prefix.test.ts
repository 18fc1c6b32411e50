import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { gatherFacts } from '../../../../lib/facts/gather.js';
import { LocalTarget } from '../../../../lib/target/local.js';
import { matchesPrefix, parsePathFacts, pathsProbe, shellPattern, type PathFacts } from '../../../../lib/facts/probes/paths.js';
import { backedUpFile } from '../../../../checks/sensitive-files.js';
import type { ConfigFact } from '../../../../checks/config-fact.js';
import { leaksProbe } from '../../../../lib/facts/probes/leaks.js';
import { Secret } from '../../../../lib/secrets/secret.js';

test('a prefix is quoted with the glob star outside the quotes; plain paths stay quoted', () => {
  assert.is(shellPattern({ prefix: "/h/it's/config.json.bak-" }), "'/h/it'\\''s/config.json.bak-'*");
  assert.is(shellPattern('/h/a b'), "'/h/a b'");
});

test('parsePathFacts keeps what a prefix matched in its directory, not below it, and no entry for an unmatched prefix', () => {
  const facts = parsePathFacts(
    ['/c/config.json', { prefix: '/c/config.json.bak-' }],
    'regular file|600|0|0|/c/config.json\nregular file|644|0|0|/c/config.json.bak-20260101T000000Z\nregular file|644|0|0|/c/config.json.bak-x/y\n@@resolving\n@@resolved\n',
  );
  assert.equal([...facts.keys()].sort(), ['/c/config.json', '/c/config.json.bak-20260101T000000Z']);
  assert.is(facts.get('/c/config.json.bak-20260101T000000Z')?.mode, 0o644);
});

test('on real files: the paths and leak probes expand a prefix in a directory with odd characters', async () => {
  const dir = mkdtempSync('/tmp/kafclaw-prefix-');
  const conf = `${dir}/it's a dir`;
  const token = 'prefixcanary-0123456789abcdef0123456789abcdef';
  try {
    mkdirSync(conf);
    writeFileSync(`${conf}/config.json`, '{}');
    writeFileSync(`${conf}/config.json.bak-20260101T000000Z`, `{"k":"${token}"}`, { mode: 0o644 });
    writeFileSync(`${conf}/config.json.bak-20260101T000000Z.1`, '{}', { mode: 0o600 });
    writeFileSync(`${conf}/other.bak-20260101T000000Z`, token);
    const prefix = { prefix: `${conf}/config.json.bak-` };
    const snapshot = await gatherFacts(new LocalTarget(), [
      pathsProbe('p', [`${conf}/config.json`, prefix, { prefix: `${conf}/env.bak-` }]),
      leaksProbe('l', [{ label: 'gateway.authToken', secret: new Secret(token) }], [prefix]),
    ]);
    const paths = snapshot.get<Map<string, PathFacts>>('p');
    assert.equal([...paths.keys()].sort(), [`${conf}/config.json`, `${conf}/config.json.bak-20260101T000000Z`, `${conf}/config.json.bak-20260101T000000Z.1`]);
    assert.equal([paths.get(`${conf}/config.json.bak-20260101T000000Z`)?.mode, paths.get(`${conf}/config.json.bak-20260101T000000Z.1`)?.mode], [0o644, 0o600]);
    assert.equal(snapshot.get('l'), [{ secret: 'gateway.authToken', file: `${conf}/config.json.bak-20260101T000000Z` }]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('matchesPrefix: a path a prefix stands for, not one below it or a plain path; backedUpFile names the original by the same rule', () => {
  const specs = ['/c/config.json', { prefix: '/c/config.json.bak-' }];
  assert.ok(matchesPrefix(specs, '/c/config.json.bak-20260101T000000Z'));
  assert.not.ok(matchesPrefix(specs, '/c/config.json.bak-x/inner'));
  assert.not.ok(matchesPrefix(specs, '/c/config.json'), 'a plain path is no prefix');
  const config = { path: '/h/.kafclaw/config.json', env: { HOME: '/h' } } as unknown as ConfigFact;
  assert.is(backedUpFile(config, '/h/.kafclaw/config.json.bak-20260101T000000Z.1'), '/h/.kafclaw/config.json');
  assert.is(backedUpFile(config, '/h/.config/kafclaw/env.bak-1'), '/h/.config/kafclaw/env');
  assert.is(backedUpFile(config, '/h/.kafclaw/config.json.bak-x/inner'), null);
  assert.is(backedUpFile(config, '/h/.kafclaw/config.json.orig'), null);
});

test.run();

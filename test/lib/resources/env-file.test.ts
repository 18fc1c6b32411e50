import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { promises as fs, watch } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { LocalTarget } from '../../../lib/target/local.js';
import { Secret } from '../../../lib/secrets/secret.js';
import { FactSnapshot } from '../../../lib/facts/snapshot.js';
import { envFile, envFileChanges, envFileProbe, parseEnvFileFacts, renderEnvFile, saltedHash } from '../../../lib/resources/env-file.js';
import { isNoop } from '../../../lib/resources/types.js';
import type { Change } from '../../../lib/resources/types.js';
import { converge, diffOn } from './converge.js';

const test = suite('env_file');
const target = new LocalTarget();
const me = userInfo();
const owner = { owner: String(me.uid), group: String(me.gid) };
const TOKEN = 'canary-token-9f8e7d6c5b4a39281706';
const KEY = 'canary-provider-key-0a1b2c3d4e5f';
let dir = '';

test.before.each(async () => {
  dir = await fs.mkdtemp(join(tmpdir(), 'kafclaw-res-env-'));
});
test.after.each(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const SALT = '00112233445566778899aabbccddeeff';
const stat600 = 'regular file|600|root|root|0|0';
const wanted = (values: Record<string, Secret>) => ({ values, owner: 'root', group: 'root', mode: 0o600 });

test('golden: a missing file lists every variable as (secret) plus a fingerprint', () => {
  const token = new Secret(TOKEN);
  const facts = parseEnvFileFacts('/etc/kafclaw/gateway.env', '@@missing\n', 0);
  assert.equal(envFileChanges('env_file:x', wanted({ KAFCLAW_GATEWAY_AUTH_TOKEN: token }), facts, SALT), [
    { resource: 'env_file:x', field: 'KAFCLAW_GATEWAY_AUTH_TOKEN', before: null, after: `(secret ${token.fingerprint()})` },
  ]);
});

test('golden: salted line hashes decide; a changed value, an extra variable, a wrong mode', () => {
  const token = new Secret(TOKEN);
  const key = new Secret(KEY);
  const output = [
    stat600.replace('600', '644'),
    `@@file ${saltedHash(SALT, 'whatever')}`,
    `@@line KAFCLAW_GATEWAY_AUTH_TOKEN ${saltedHash(SALT, `KAFCLAW_GATEWAY_AUTH_TOKEN=${TOKEN}`)}`,
    `@@line OPENAI_API_KEY ${saltedHash(SALT, 'OPENAI_API_KEY=old-value-123456')}`,
    `@@line LEFTOVER ${saltedHash(SALT, 'LEFTOVER=1')}`,
  ].join('\n');
  const changes = envFileChanges('e', wanted({ KAFCLAW_GATEWAY_AUTH_TOKEN: token, OPENAI_API_KEY: key }), parseEnvFileFacts('/p', output, 0), SALT);
  assert.equal(changes.map((c) => [c.field, c.before, c.after]), [
    ['OPENAI_API_KEY', '(secret)', `(secret ${key.fingerprint()})`],
    ['LEFTOVER', '(secret)', null],
    ['mode', '0644', '0600'],
  ]);
  assert.not.match(JSON.stringify(changes), /canary|old-value/);
});

test('golden: same values but another layout (a comment) is one layout change; identical is a no-op', () => {
  const values = { A_TOKEN: new Secret(TOKEN) };
  const line = `@@line A_TOKEN ${saltedHash(SALT, `A_TOKEN=${TOKEN}`)}`;
  const other = parseEnvFileFacts('/p', `${stat600}\n@@file ${saltedHash(SALT, `# x\nA_TOKEN=${TOKEN}\n`)}\n${line}\n`, 0);
  assert.equal(envFileChanges('e', wanted(values), other, SALT).map((c) => c.field), ['layout']);
  const same = parseEnvFileFacts('/p', `${stat600}\n@@file ${saltedHash(SALT, renderEnvFile(values).reveal())}\n${line}\n`, 0);
  assert.equal(envFileChanges('e', wanted(values), same, SALT), []);
});

test('the probe, run for real, hashes lines on the host: no value appears in its output', async () => {
  const path = join(dir, 'gateway.env');
  await fs.writeFile(path, `# comment\nexport A_TOKEN=${TOKEN}\nB=two words\n`, { mode: 0o600 });
  const probe = envFileProbe('k', path, SALT);
  const result = await target.runScript(probe.script);
  assert.not.match(result.stdout, /canary|two words/);
  const facts = probe.parse(result.stdout, result.exitCode);
  assert.equal([...facts.lines.keys()], ['A_TOKEN', 'B']);
  assert.is(facts.lines.get('B'), saltedHash(SALT, 'B=two words'));
  assert.is(facts.lines.get('A_TOKEN'), saltedHash(SALT, `export A_TOKEN=${TOKEN}`));
  assert.is(facts.file, saltedHash(SALT, `# comment\nexport A_TOKEN=${TOKEN}\nB=two words\n`));
});

test('the probe skips the per-line hashes when the whole file is as wanted, and still hashes lines when it is not', async () => {
  const path = join(dir, 'gateway.env');
  const values = { A_TOKEN: new Secret(TOKEN), B: new Secret('two words') };
  await fs.writeFile(path, renderEnvFile(values).reveal(), { mode: 0o600 });
  const wantedFile = saltedHash(SALT, renderEnvFile(values).reveal());
  const same = await target.runScript(envFileProbe('k', path, SALT, wantedFile).script);
  assert.not.match(same.stdout, /@@line/);
  assert.equal(envFileChanges('e', wanted(values), parseEnvFileFacts(path, same.stdout, same.exitCode), SALT), []);
  await fs.writeFile(path, `A_TOKEN=${TOKEN}\nB=three words\n`, { mode: 0o600 });
  const drifted = await target.runScript(envFileProbe('k', path, SALT, wantedFile).script);
  const facts = parseEnvFileFacts(path, drifted.stdout, drifted.exitCode);
  assert.equal([...facts.lines.keys()], ['A_TOKEN', 'B']);
  assert.equal(envFileChanges('e', wanted(values), facts, SALT).map((c) => [c.field, c.before]), [['B', '(secret)']]);
});

test('local: the file is 0600 from creation (a watcher never sees it looser), converges, then a no-op', async () => {
  const path = join(dir, 'gateway.env');
  const modes: number[] = [];
  const watcher = watch(dir, (_event, name) => {
    if (!name) return;
    fs.stat(join(dir, name)).then((s) => modes.push(s.mode & 0o777), () => undefined);
  });
  const resource = envFile({ path, values: { KAFCLAW_GATEWAY_AUTH_TOKEN: new Secret(TOKEN), OPENAI_API_KEY: new Secret(KEY) }, ...owner }, { sudo: false });
  const { changes } = await converge(target, [resource]);
  watcher.close();
  assert.equal(changes.map((c) => c.field), ['KAFCLAW_GATEWAY_AUTH_TOKEN', 'OPENAI_API_KEY']);
  assert.not.match(JSON.stringify(changes), /canary/);
  assert.is(await fs.readFile(path, 'utf8'), `KAFCLAW_GATEWAY_AUTH_TOKEN=${TOKEN}\nOPENAI_API_KEY=${KEY}\n`);
  assert.is((await fs.stat(path)).mode & 0o777, 0o600);
  assert.ok(modes.every((mode) => mode === 0o600), `modes seen: ${modes.map((m) => m.toString(8))}`);
});

test('local: a rotated value and a removed variable rewrite the file; the diff never shows a value', async () => {
  const path = join(dir, 'gateway.env');
  await fs.writeFile(path, `KAFCLAW_GATEWAY_AUTH_TOKEN=old-canary-value-1234\nSTALE=1\n`, { mode: 0o644 });
  const resource = envFile({ path, values: { KAFCLAW_GATEWAY_AUTH_TOKEN: new Secret(TOKEN) }, ...owner }, { sudo: false });
  const { facts, diffs } = await diffOn(target, [resource]);
  const diff = diffs[0] as Change[];
  assert.not.ok(isNoop(diff));
  assert.equal(diff.map((c) => c.field), ['KAFCLAW_GATEWAY_AUTH_TOKEN', 'STALE', 'mode']);
  assert.not.match(JSON.stringify(diff), /canary/);
  await resource.apply(target, diff, facts ?? new FactSnapshot());
  assert.is(await fs.readFile(path, 'utf8'), `KAFCLAW_GATEWAY_AUTH_TOKEN=${TOKEN}\n`);
  assert.is((await fs.stat(path)).mode & 0o777, 0o600);
  assert.ok(isNoop((await diffOn(target, [resource])).diffs[0]!));
});

test('a value with a line break is refused before anything is written', () => {
  assert.throws(() => renderEnvFile({ A: new Secret('one\ntwo-canary') }), /line break/);
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmod, mkdtemp, rm, writeFile, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { parseSecretReference } from '../../../provision/secrets/reference.js';
import type { SecretReference } from '../../../provision/secrets/reference.js';
import { resolveSecretReference, SecretResolver, SecretResolutionError } from '../../../provision/secrets/resolve.js';
import { isSecret } from '../../../lib/secrets/index.js';

const CANARY = 'CANARY-resolve-7f3a9c1e5b2d';
let dir = '';
test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kafclaw-secrets-'));
});
test.after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ref = (text: string): SecretReference => parseSecretReference(text)!;

async function failure(reference: SecretReference, options = {}): Promise<SecretResolutionError> {
  try {
    await resolveSecretReference(reference, options);
  } catch (error) {
    assert.instance(error, SecretResolutionError);
    const e = error as SecretResolutionError;
    assert.not.match(e.message, /CANARY/);
    assert.not.match(inspect(e), /CANARY/);
    assert.is(e.exitCode, 2);
    return e;
  }
  throw new Error('expected a SecretResolutionError');
}

async function secretFile(name: string, mode: number, content = CANARY + '\n'): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content, { mode: 0o600 });
  await chmod(path, mode);
  return path;
}

test('env: the value as a Secret that prints as (secret)', async () => {
  const secret = await resolveSecretReference(ref('env:KAFCLAW_TEST_TOKEN'), { env: { KAFCLAW_TEST_TOKEN: CANARY } });
  assert.ok(isSecret(secret));
  assert.is(secret.reveal(), CANARY);
  assert.is(secret.source, 'env:KAFCLAW_TEST_TOKEN');
  assert.is(String(secret), '(secret)');
  assert.is(JSON.stringify({ secret }), '{"secret":"(secret)"}');
});

test('env: unset and empty are errors naming the variable', async () => {
  assert.match((await failure(ref('env:KAFCLAW_UNSET'), { env: {} })).message, /secret env:KAFCLAW_UNSET: the environment variable KAFCLAW_UNSET is not set/);
  assert.match((await failure(ref('env:EMPTY'), { env: { EMPTY: '' } })).message, /the value is empty/);
});

test('file: 0600 and 0400 are read (trailing newline trimmed); relative paths use baseDir', async () => {
  const path600 = await secretFile('token-600', 0o600);
  assert.is((await resolveSecretReference(ref(`file:${path600}`))).reveal(), CANARY);
  await secretFile('token-400', 0o400);
  assert.is((await resolveSecretReference(ref('file:token-400'), { baseDir: dir })).reveal(), CANARY);
});

test('file: any other mode is refused with the fix', async () => {
  for (const mode of [0o644, 0o640, 0o660, 0o700, 0o604]) {
    const path = await secretFile(`token-${mode.toString(8)}`, mode);
    const error = await failure(ref(`file:${path}`));
    assert.match(error.message, new RegExp(`has mode 0${mode.toString(8)}; a secret file must be 0600 or 0400 \\(chmod 600 `));
  }
});

test('file: a file owned by someone else is refused', async () => {
  const path = await secretFile('token-owner', 0o600);
  const me = process.getuid!();
  const error = await failure(ref(`file:${path}`), { uid: me + 1 });
  assert.match(error.message, new RegExp(`is owned by uid ${me}, not by you \\(uid ${me + 1}\\)`));
});

test('file: missing, a directory, and a symlink to a bad mode', async () => {
  assert.match((await failure(ref(`file:${join(dir, 'nope')}`))).message, /does not exist/);
  assert.match((await failure(ref(`file:${dir}`))).message, /is not a regular file/);
  const target = await secretFile('world-readable', 0o644);
  await symlink(target, join(dir, 'link'));
  assert.match((await failure(ref(`file:${join(dir, 'link')}`))).message, /has mode 0644/);
  await secretFile('empty', 0o600, '\n');
  assert.match((await failure(ref(`file:${join(dir, 'empty')}`))).message, /the value is empty/);
});

test('command: stdout trimmed is the value; runs under /bin/sh', async () => {
  const secret = await resolveSecretReference(ref(`command:printf '  %s\\n' ${CANARY}; echo noise >&2`));
  assert.is(secret.reveal(), CANARY);
  assert.is(secret.source, 'command:printf …');
  assert.is((await resolveSecretReference(ref('command:echo "$((6*7))-and-more-text"'))).reveal(), '42-and-more-text');
});

test('command: failure, stderr and timeout never echo output', async () => {
  const failed = await failure(ref(`command:echo ${CANARY}; echo ${CANARY} >&2; exit 3`));
  assert.match(failed.message, /^secret command:echo …: the command exited with status 3; its output is not shown/);
  const slow = await failure(ref(`command:echo ${CANARY}; sleep 5`), { commandTimeoutMs: 200 });
  assert.match(slow.message, /did not finish within 200 ms/);
  assert.match((await failure(ref('command:true'))).message, /the value is empty/);
});

test('SecretResolver resolves each reference once', async () => {
  const counter = join(dir, 'count');
  const resolver = new SecretResolver();
  const reference = ref(`command:echo x >> ${counter}; echo ${CANARY}`);
  const [a, b] = await Promise.all([resolver.resolve(reference), resolver.resolve(reference)]);
  assert.is(a, b);
  const { readFile } = await import('node:fs/promises');
  assert.is((await readFile(counter, 'utf8')).trim().split('\n').length, 1);
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Secret } from '../../../lib/secrets/index.js';
import { BackupError } from '../../../lib/backup/errors.js';
import { encryptToFile, decryptFile, masterKeyBytes, DecryptionError, CHUNK_SIZE, manifestMac, macMatches } from '../../../lib/backup/encryption.js';

let dir: string;
test.before.each(() => {
  dir = mkdtempSync(join(tmpdir(), 'kafclaw-enc-test-'));
});
test.after.each(() => rmSync(dir, { recursive: true, force: true }));

const master = randomBytes(32);

async function roundTrip(plain: Buffer, rel = 'timeline.db'): Promise<Buffer> {
  const src = join(dir, 'plain');
  writeFileSync(src, plain);
  const out = join(dir, `enc-${plain.length}`);
  const digest = await encryptToFile(src, out, rel, master);
  assert.is(digest.plain.size, plain.length);
  const chunks: Buffer[] = [];
  const back = await decryptFile(out, rel, master, (c) => void chunks.push(c));
  assert.equal(back, digest.plain);
  return Buffer.concat(chunks);
}

test('round trips at chunk boundaries, including empty', async () => {
  for (const size of [0, 1, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, 3 * CHUNK_SIZE]) {
    const plain = randomBytes(size);
    assert.equal(await roundTrip(plain), plain, `size ${size}`);
  }
});

async function expectDecryptionError(path: string, rel: string, key = master): Promise<void> {
  try {
    await decryptFile(path, rel, key);
    assert.unreachable('should fail');
  } catch (error) {
    assert.instance(error, DecryptionError);
  }
}

test('a wrong key, a flipped bit, a dropped last chunk, swapped chunks and a moved file all fail authentication', async () => {
  const src = join(dir, 'plain');
  writeFileSync(src, randomBytes(3 * CHUNK_SIZE + 100));
  const enc = join(dir, 'enc');
  await encryptToFile(src, enc, 'timeline.db', master);
  const bytes = readFileSync(enc);
  const sealed = CHUNK_SIZE + 16;
  const header = 24;
  await expectDecryptionError(enc, 'timeline.db', randomBytes(32));
  await expectDecryptionError(enc, 'config.json');
  const flipped = Buffer.from(bytes);
  flipped[header + 5] = flipped[header + 5]! ^ 1;
  writeFileSync(join(dir, 'flipped'), flipped);
  await expectDecryptionError(join(dir, 'flipped'), 'timeline.db');
  writeFileSync(join(dir, 'truncated'), bytes.subarray(0, header + 3 * sealed));
  await expectDecryptionError(join(dir, 'truncated'), 'timeline.db');
  writeFileSync(join(dir, 'short'), bytes.subarray(0, bytes.length - 7));
  await expectDecryptionError(join(dir, 'short'), 'timeline.db');
  const swapped = Buffer.concat([bytes.subarray(0, header), bytes.subarray(header + sealed, header + 2 * sealed), bytes.subarray(header, header + sealed), bytes.subarray(header + 2 * sealed)]);
  writeFileSync(join(dir, 'swapped'), swapped);
  await expectDecryptionError(join(dir, 'swapped'), 'timeline.db');
});

test('keys are 32 bytes in hex or base64; anything else is refused without echoing it', () => {
  assert.is(masterKeyBytes(new Secret(master.toString('hex'))).length, 32);
  assert.is(masterKeyBytes(new Secret(master.toString('base64'))).length, 32);
  try {
    masterKeyBytes(new Secret('correct horse battery staple', 'env:KAFCLAW_BACKUP_KEY'));
    assert.unreachable();
  } catch (error) {
    assert.instance(error, BackupError);
    assert.match((error as Error).message, 'env:KAFCLAW_BACKUP_KEY');
    assert.not.match((error as Error).message, 'horse');
  }
});

test('the manifest MAC binds the key', () => {
  const mac = manifestMac(master, Buffer.from('{}'));
  assert.ok(macMatches(mac, manifestMac(master, Buffer.from('{}'))));
  assert.not.ok(macMatches(mac, manifestMac(randomBytes(32), Buffer.from('{}'))));
  assert.not.ok(macMatches(mac, manifestMac(master, Buffer.from('{ }'))));
  assert.not.ok(macMatches('zz', mac));
});

test.run();

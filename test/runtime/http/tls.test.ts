import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTls, tlsSettingsProblem } from '../../../runtime/http/tls.js';
import { tempDir } from '../fixtures.js';
import { selfSigned } from './tls-fixture.js';

test('TLS needs both files or neither', () => {
  assert.is(tlsSettingsProblem(undefined, undefined), null);
  assert.is(tlsSettingsProblem('/c.pem', '/k.pem'), null);
  assert.match(tlsSettingsProblem('/c.pem', undefined)!, 'gateway.tlsKey is not');
  assert.match(tlsSettingsProblem(undefined, '/k.pem')!, 'gateway.tlsCert is not');
});

test('a self-signed pair loads; each broken file is named with its path and the reason, never its content', async () => {
  const dir = tempDir();
  try {
    const good = await selfSigned(dir.path);
    const other = await selfSigned(dir.path, 'other');
    const material = await loadTls(good.cert, good.key);
    assert.ok(material.cert.equals(readFileSync(good.cert)));
    const garbage = join(dir.path, 'garbage.pem');
    writeFileSync(garbage, 'not a certificate\n');
    const empty = join(dir.path, 'empty.pem');
    writeFileSync(empty, '');
    const missing = join(dir.path, 'missing.pem');
    const cases: Array<[string, string, string]> = [
      [missing, good.key, `gateway.tlsCert ${missing}: no such file`],
      [good.cert, missing, `gateway.tlsKey ${missing}: no such file`],
      [dir.path, good.key, `gateway.tlsCert ${dir.path}: is a directory`],
      [empty, good.key, `gateway.tlsCert ${empty}: the file is empty`],
      [garbage, good.key, `gateway.tlsCert ${garbage}: not a usable PEM certificate (no start line)`],
      [good.cert, garbage, `gateway.tlsKey ${garbage}: not a usable PEM private key for ${good.cert}`],
      [good.cert, other.key, `gateway.tlsKey ${other.key}: not a usable PEM private key for ${good.cert} (key values mismatch)`],
    ];
    const keyText = readFileSync(good.key, 'utf8');
    for (const [cert, key, message] of cases) {
      const error = await loadTls(cert, key).then(() => null, (e: Error) => e);
      assert.ok(error, `${cert} ${key}`);
      assert.ok(error!.message.startsWith(message), `${error!.message} <> ${message}`);
      assert.not.ok(error!.message.includes('PRIVATE KEY'), 'no key material');
      assert.not.ok(error!.message.includes(keyText.split('\n')[1]!), 'no key material');
    }
  } finally {
    dir.remove();
  }
});

test.run();

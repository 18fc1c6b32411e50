import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Secret } from '../../../lib/secrets/index.js';
import { capUtf8, redactSecrets } from '../../../runtime/tools/redact.js';

test('known secret values and credential-shaped strings become (secret); ordinary text is kept', () => {
  const token = new Secret('gateway-token-Qm7vXk2pLs9dR4tY', 'env:KAFCLAW_GATEWAY_AUTH_TOKEN');
  const text = `token=${token.reveal()}\nkey: sk-proj-abcdefghijklmnop and ghp_0123456789abcdefXYZ\nplain line`;
  const out = redactSecrets(text);
  assert.not.match(out, token.reveal());
  assert.not.match(out, 'sk-proj-abcdefghijklmnop');
  assert.not.match(out, 'ghp_0123456789abcdefXYZ');
  assert.is(out, 'token=(secret)\nkey: (secret) and (secret)\nplain line');
});

test('capUtf8 cuts on a character boundary and says so', () => {
  assert.equal(capUtf8('abc', 3), { text: 'abc', truncated: false });
  assert.equal(capUtf8('abcd', 3), { text: 'abc', truncated: true });
  // 'é' is two bytes: a cap in its middle drops it whole
  assert.equal(capUtf8('aé', 2), { text: 'a', truncated: true });
  assert.ok(Buffer.byteLength(capUtf8('€'.repeat(100), 50).text) <= 50);
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { inspect } from 'node:util';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
import { Secret, scrub, generateToken, estimateEntropyBits, REQUIRED_TOKEN_BITS, placeholderReason, matchCredentialFormat } from '../../../lib/secrets/index.js';

const CANARY = 'canary-7f3a9d1e5b2c8f4a6e0d9b7c';

test('a Secret prints, serialises and inspects as (secret)', () => {
  const secret = new Secret(CANARY, 'env:TEST');
  assert.is(String(secret), '(secret)');
  assert.is(`${secret}`, '(secret)');
  assert.is(JSON.stringify({ secret }), '{"secret":"(secret)"}');
  assert.is(inspect({ secret }), "{ secret: (secret) }");
  assert.not.match(inspect(secret, { showHidden: true, depth: 5 }), CANARY);
  assert.is(secret.reveal(), CANARY);
  assert.match(secret.fingerprint(), /^sha256:[0-9a-f]{12}$/);
});

test('scrub removes registered values from free text, and leaves short values alone', () => {
  new Secret(CANARY);
  new Secret('short');
  assert.is(scrub(`token=${CANARY}; x=short`), 'token=(secret); x=short');
});

test('a ${VAR} reference is not registered for scrubbing: it says where a value comes from', () => {
  new Secret('${KAFCLAW_GATEWAY_AUTH_TOKEN}');
  assert.is(scrub('config.json refers to ${KAFCLAW_GATEWAY_AUTH_TOKEN}'), 'config.json refers to ${KAFCLAW_GATEWAY_AUTH_TOKEN}');
});

test('generated tokens carry 32 random bytes and pass the strength estimate', () => {
  const a = generateToken();
  const b = generateToken();
  assert.is(a.reveal().length, 64);
  assert.is.not(a.reveal(), b.reveal());
  assert.ok(estimateEntropyBits(a.reveal()) >= REQUIRED_TOKEN_BITS);
  assert.ok(estimateEntropyBits('changeme-dev-token-only') < REQUIRED_TOKEN_BITS);
  assert.ok(estimateEntropyBits('a'.repeat(200)) < 10);
});

test('every generated token passes the estimate, hex or base64url, not just most of them', () => {
  const { randomBytes } = require('node:crypto') as typeof import('node:crypto');
  for (let i = 0; i < 2000; i++) {
    assert.ok(estimateEntropyBits(generateToken().reveal()) >= REQUIRED_TOKEN_BITS);
    assert.ok(estimateEntropyBits(randomBytes(32).toString('base64url')) >= REQUIRED_TOKEN_BITS);
  }
  assert.ok(estimateEntropyBits('ab'.repeat(40)) < 100);
  assert.is(estimateEntropyBits('z'.repeat(64)), 0);
});

test('placeholders are recognised', () => {
  for (const value of ['changeme-dev-token-only', 'test', 'aaaaaaaaaaaaaaaa', 'abababababab', 'abcdefghij', '<long-random-token>', '']) {
    assert.ok(placeholderReason(value), value);
  }
  assert.is(placeholderReason(generateToken().reveal()), null);
});

test('credential formats are recognised', () => {
  assert.is(matchCredentialFormat('sk-ant-test-000')?.name, 'Anthropic API key');
  assert.is(matchCredentialFormat('xoxb-test-000')?.name, 'Slack bot token');
  assert.is(matchCredentialFormat('${ANTHROPIC_API_KEY}'), null);
  assert.is(matchCredentialFormat('hello world'), null);
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { queryCarriesCredential, readBearer } from '../../../runtime/auth/bearer.js';

const TOKEN = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';

function problem(raw: string[]): string {
  const result = readBearer(raw, 1024);
  assert.ok('problem' in result, `expected a problem for ${JSON.stringify(raw)}`);
  return (result as { problem: string }).problem;
}

test('a single Bearer header yields its token; the scheme is case-insensitive', () => {
  assert.equal(readBearer(['Host', 'x', 'Authorization', `Bearer ${TOKEN}`], 1024), { token: TOKEN });
  assert.equal(readBearer(['authorization', `bearer ${TOKEN}`], 1024), { token: TOKEN });
});

test('missing, repeated, oversized, wrong-scheme and empty headers are problems', () => {
  assert.is(problem(['Host', 'x']), 'no Authorization header');
  assert.is(problem(['Authorization', 'Bearer wrong', 'authorization', `Bearer ${TOKEN}`]), 'more than one Authorization header');
  assert.match(problem(['Authorization', `Bearer ${'a'.repeat(2000)}`]), 'longer than 1024');
  assert.is(problem(['Authorization', `Basic ${TOKEN}`]), 'Authorization scheme is not Bearer');
  assert.is(problem(['Authorization', TOKEN]), 'Authorization scheme is not Bearer');
  assert.is(problem(['Authorization', 'Bearer']), 'empty bearer token');
  assert.is(problem(['Authorization', 'Bearer   ']), 'empty bearer token');
  assert.is(problem(['Authorization', '']), 'Authorization scheme is not Bearer');
  assert.is(problem(['Authorization', `Bearer ${TOKEN} extra`]), 'Authorization scheme is not Bearer');
  assert.match(problem(['Authorization', `Bearer ${TOKEN}\u0000`]), 'token68');
});

test('problems never quote the presented value', () => {
  for (const value of [`Basic ${TOKEN}`, `Bearer ${TOKEN} x`, `Bearer ${TOKEN}${'z'.repeat(2000)}`]) {
    assert.not.match(problem(['Authorization', value]), TOKEN);
  }
});

test('credential-looking query parameters are spotted, plain or percent-encoded', () => {
  for (const url of ['/x?token=abc', '/x?a=1&access_token=abc', '/x?AUTH=abc', '/x?%74oken=abc', '/x?api_key=1', '/x?a=1;token=2']) {
    assert.ok(queryCarriesCredential(url), url);
  }
  for (const url of ['/x', '/x?limit=10&offset=2', '/token=abc', '/x?tokens_used=3', '/x?%zz']) {
    assert.not.ok(queryCarriesCredential(url), url);
  }
});

test('the plain "Bearer <token68>" shortcut agrees with the general rules on every kind of value', () => {
  const reference = (value: string): string | null => {
    const match = /^Bearer +(\S*)$/i.exec(value.trim());
    return match && /^[A-Za-z0-9._~+/-]+=*$/.test(match[1]!) ? match[1]! : null;
  };
  const pieces = ['a', 'Z', '9', '-', '.', '_', '~', '+', '/', '=', '==', ' ', '\t', '\u00e9', '\u20ac', ':', '%', '"', '\u0000'];
  let seed = 7;
  // Park-Miller: every product stays below 2^53, so no low bits are lost
  const next = () => (seed = (seed * 48271) % 2147483647);
  for (let n = 0; n < 5000; n++) {
    let token = '';
    for (let length = next() % 12; length > 0; length--) token += pieces[next() % pieces.length];
    const value = `Bearer ${token}`;
    const result = readBearer(['Authorization', value], 1024);
    assert.is('token' in result ? result.token : null, reference(value), JSON.stringify(value));
  }
});

test.run();

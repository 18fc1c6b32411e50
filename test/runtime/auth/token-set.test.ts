import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TokenSet } from '../../../runtime/auth/token-set.js';
import { strongToken } from '../fixtures.js';

const now = Date.parse('2026-11-25T00:00:00Z');

test('the exact token is valid; prefixes, suffixes, extensions and case changes are not', () => {
  const secret = strongToken();
  const value = secret.reveal();
  const set = new TokenSet([{ secret }]);
  assert.is(set.check(value, now), 'valid');
  assert.is(set.check(value.slice(0, -1), now), 'unknown');
  assert.is(set.check(value.slice(1), now), 'unknown');
  assert.is(set.check(`${value}0`, now), 'unknown');
  assert.is(set.check(value.toUpperCase(), now), 'unknown');
  assert.is(set.check('', now), 'unknown');
});

test('several tokens are valid at once; an expired one reports expired', () => {
  const old = strongToken();
  const current = strongToken();
  const set = new TokenSet([
    { secret: old, expiresAt: new Date(now - 1) },
    { secret: current, expiresAt: new Date(now + 60_000) },
  ]);
  assert.is(set.size, 2);
  assert.is(set.check(current.reveal(), now), 'valid');
  assert.is(set.check(old.reveal(), now), 'expired');
  assert.is(set.check(current.reveal(), now + 60_000), 'expired');
});

test('an empty set accepts nothing', () => {
  assert.is(new TokenSet([]).check(strongToken().reveal(), now), 'unknown');
});

test('values beyond the comparison width, or with padding bytes, never match', () => {
  const secret = strongToken();
  const value = secret.reveal();
  const set = new TokenSet([{ secret }]);
  assert.is(set.check(value + 'A'.repeat(200), now), 'unknown', 'the token followed by more than the width');
  assert.is(set.check(`${value}\0`, now), 'unknown', 'a trailing zero byte looks like padding but the length differs');
  assert.is(set.check(value.slice(0, -1) + '\0', now), 'unknown');
  assert.is(set.check(value, now), 'valid', 'the scratch buffer was cleared between checks');
});

test('tokens of different lengths live in one set; each matches only itself', () => {
  const short = { secret: strongToken() };
  const long = { secret: { reveal: () => short.secret.reveal().repeat(3) } as typeof short.secret };
  const set = new TokenSet([short, long]);
  assert.is(set.check(short.secret.reveal(), now), 'valid');
  assert.is(set.check(long.secret.reveal(), now), 'valid');
  assert.is(set.check(short.secret.reveal().repeat(2), now), 'unknown');
});

test('values outside ASCII are compared as UTF-8 bytes: a non-ASCII token matches only itself', () => {
  const ascii = { secret: strongToken() };
  const accented = { secret: { reveal: () => `${ascii.secret.reveal().slice(0, 40)}\u00e9\u20ac` } as typeof ascii.secret };
  const set = new TokenSet([ascii, accented]);
  const value = accented.secret.reveal();
  assert.is(set.check(value, now), 'valid');
  assert.is(set.check(value.normalize('NFD'), now), 'unknown', 'another spelling of the same text is other bytes');
  assert.is(set.check(`${value.slice(0, -1)}\u20ad`, now), 'unknown');
  assert.is(set.check(`${ascii.secret.reveal().slice(0, -1)}\u00e9`, now), 'unknown');
  assert.is(set.check(ascii.secret.reveal(), now), 'valid');
});

test('a value read from an offset is checked as the slice from there would be, ASCII or not', () => {
  const ascii = { secret: strongToken() };
  const accented = { secret: { reveal: () => `${ascii.secret.reveal().slice(0, 30)}\u00e9` } as typeof ascii.secret };
  const set = new TokenSet([ascii, accented, { secret: strongToken(), expiresAt: new Date(now - 1) }]);
  const values = [ascii.secret.reveal(), accented.secret.reveal(), ...Array.from({ length: 8 }, (_, i) => ascii.secret.reveal().slice(i))];
  values.push(`${ascii.secret.reveal()}x`, '', '\u00e9', ascii.secret.reveal().toLowerCase());
  for (const value of values) {
    for (const prefix of ['', 'Bearer ', '\u00e9\u00e9']) {
      assert.is(set.check(prefix + value, now, prefix.length), set.check(value, now), `${JSON.stringify(prefix)} + value of length ${value.length}`);
    }
  }
  assert.is(set.check(`Bearer ${ascii.secret.reveal()}`, now, 7), 'valid');
  assert.is(set.check(`Bearer ${ascii.secret.reveal()}`, now, 6), 'unknown', 'the space is part of the value from 6');
});

test('token68 says whether every accepted token is one a bearer header can carry', () => {
  assert.ok(new TokenSet([{ secret: strongToken() }, { secret: strongToken() }]).token68);
  const oddValue = `${strongToken().reveal()}!`;
  const odd = { reveal: () => oddValue } as ReturnType<typeof strongToken>;
  assert.not.ok(new TokenSet([{ secret: strongToken() }, { secret: odd }]).token68);
  const paddedValue = `${strongToken().reveal()}==`;
  const padded = { reveal: () => paddedValue } as ReturnType<typeof strongToken>;
  assert.ok(new TokenSet([{ secret: padded }]).token68);
});

test.run();

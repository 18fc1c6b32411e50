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

test.run();

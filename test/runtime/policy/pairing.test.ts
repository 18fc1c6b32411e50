import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generatePairingCode, MAX_PENDING, pairingReply, parsePending, requestPairing } from '../../../runtime/policy/pairing.js';

const now = new Date('2026-11-25T02:00:00Z');

test('codes are 8 characters from A-Z and 2-9 without I, O, 0, 1', () => {
  for (let i = 0; i < 200; i++) assert.match(generatePairingCode(), /^[A-HJ-NP-Z2-9]{8}$/);
});

test('a new sender gets an entry with a one-hour expiry; a retry reuses it', () => {
  const first = requestPairing([], 'slack', 'u1', now, () => 'AAAABBBB');
  assert.ok(first.created);
  assert.equal(first.entry, { channel: 'slack', sender_id: 'u1', code: 'AAAABBBB', created_at: '2026-11-25T02:00:00.000Z', expires_at: '2026-11-25T03:00:00.000Z' });
  const again = requestPairing(first.pending, 'slack', 'u1', new Date(now.getTime() + 1000), () => 'CCCCDDDD');
  assert.not.ok(again.created);
  assert.is(again.entry.code, 'AAAABBBB');
});

test('expired entries are dropped; at most three pending, the oldest evicted; codes stay unique', () => {
  let pending = requestPairing([], 'slack', 'old', new Date(now.getTime() - 2 * 3600_000), () => 'OLDCODE2').pending;
  const codes = ['AAAAAAAA', 'AAAAAAAA', 'BBBBBBBB', 'CCCCCCCC', 'DDDDDDDD'];
  for (const [i, sender] of ['u1', 'u2', 'u3', 'u4'].entries()) {
    pending = requestPairing(pending, 'slack', sender, new Date(now.getTime() + i * 1000), () => codes.shift()!).pending;
  }
  assert.is(pending.length, MAX_PENDING);
  assert.equal(pending.map((entry) => entry.sender_id), ['u2', 'u3', 'u4']);
  assert.equal(pending.map((entry) => entry.code), ['BBBBBBBB', 'CCCCCCCC', 'DDDDDDDD']);
});

test('a damaged setting reads as empty; the reply names the approve command', () => {
  assert.equal(parsePending('not json'), []);
  assert.equal(parsePending('{"a":1}'), []);
  assert.equal(parsePending('[{"channel":"slack"}]'), []);
  assert.match(pairingReply('slack', 'ABCDEFGH'), 'kafclaw pairing approve slack ABCDEFGH');
});

test.run();

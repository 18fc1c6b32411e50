import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { evaluateAccess, normalizeSender } from '../../../runtime/policy/access.js';
import { DEFAULT_CHANNEL_POLICY } from '../../../runtime/settings.js';
import type { ChannelPolicy } from '../../../runtime/settings.js';

const policy = (over: Partial<ChannelPolicy> = {}): ChannelPolicy => ({ ...DEFAULT_CHANNEL_POLICY, ...over });
const dm = (senderId: string, channel = 'slack') => ({ channel, senderId, isGroup: false, wasMentioned: false });
const group = (senderId: string, wasMentioned = true) => ({ channel: 'slack', senderId, isGroup: true, wasMentioned });

test('sender normalisation strips the channel and user prefixes, lower-cases', () => {
  assert.is(normalizeSender('slack', 'Slack:User:U123ABC'), 'u123abc');
  assert.is(normalizeSender('msteams', 'teams:user:29:abc'), '29:abc');
  assert.is(normalizeSender('msteams', 'MSTEAMS:x'), 'x');
  assert.is(normalizeSender('whatsapp', ' 4915112345 '), '4915112345');
});

test('default policy: unknown direct senders are denied and offered pairing; listed ones pass', () => {
  assert.equal(evaluateAccess(policy(), dm('U1')), { allowed: false, reason: 'pairing_required', requiresPairing: true });
  assert.equal(evaluateAccess(policy({ allowFrom: ['slack:user:u1'] }), dm('U1')), { allowed: true, reason: 'allowlist_match', requiresPairing: false });
});

test('allowlist, open, disabled and unknown DM policies', () => {
  assert.is(evaluateAccess(policy({ dmPolicy: 'allowlist' }), dm('U1')).reason, 'allowlist_block');
  assert.not.ok(evaluateAccess(policy({ dmPolicy: 'allowlist' }), dm('U1')).requiresPairing);
  assert.ok(evaluateAccess(policy({ dmPolicy: 'allowlist', allowFrom: ['*'] }), dm('U1')).allowed);
  assert.ok(evaluateAccess(policy({ dmPolicy: 'open' }), dm('U1')).allowed);
  assert.is(evaluateAccess(policy({ dmPolicy: 'disabled', allowFrom: ['u1'] }), dm('U1')).reason, 'dm_disabled');
  assert.is(evaluateAccess(policy({ dmPolicy: 'sometimes' as 'open' }), dm('U1')).reason, 'invalid_dm_policy');
});

test('groups: mention first, then the group allowlist (falling back to allowFrom)', () => {
  assert.is(evaluateAccess(policy({ groupPolicy: 'open' }), group('U1', false)).reason, 'mention_required');
  assert.ok(evaluateAccess(policy({ groupPolicy: 'open' }), group('U1')).allowed);
  assert.is(evaluateAccess(policy(), group('U1')).reason, 'group_allowlist_block');
  assert.ok(evaluateAccess(policy({ allowFrom: ['u1'] }), group('U1')).allowed);
  assert.not.ok(evaluateAccess(policy({ allowFrom: ['u1'], groupAllowFrom: ['u2'] }), group('U1')).allowed);
  assert.is(evaluateAccess(policy({ groupPolicy: 'pairing' as 'open' }), group('U1')).reason, 'invalid_group_policy');
  assert.is(evaluateAccess(policy({ groupPolicy: 'disabled' }), group('U1')).reason, 'group_disabled');
  assert.ok(evaluateAccess(policy({ requireMention: false, groupPolicy: 'open' }), group('U1', false)).allowed);
});

test('a disabled channel and an empty sender are always denied', () => {
  assert.is(evaluateAccess(policy({ enabled: false, dmPolicy: 'open' }), dm('U1')).reason, 'channel_disabled');
  assert.is(evaluateAccess(policy({ dmPolicy: 'open' }), dm('slack:user:')).reason, 'missing_sender_id');
});

test.run();

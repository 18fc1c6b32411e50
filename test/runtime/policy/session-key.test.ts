import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sessionKey } from '../../../runtime/policy/session-key.js';

const address = { channel: 'slack', accountId: 'Acme', chatId: 'C42', threadId: 'T7', senderId: 'u1' };

test('each scope keys the session as KafClaw does', () => {
  assert.is(sessionKey('channel', address), 'slack');
  assert.is(sessionKey('account', address), 'slack:acme');
  assert.is(sessionKey('room', address), 'slack:acme:C42');
  assert.is(sessionKey('thread', address), 'slack:acme:C42:T7');
  assert.is(sessionKey('user', address), 'slack:acme:u1');
});

test('fallbacks: default account, no thread, no chat', () => {
  assert.is(sessionKey('room', { channel: 'slack', chatId: 'C1', senderId: 'u1' }), 'slack:default:C1');
  assert.is(sessionKey('thread', { channel: 'slack', chatId: 'C1', senderId: 'u1' }), 'slack:default:C1');
  assert.is(sessionKey('room', { channel: 'slack', senderId: 'u1' }), 'slack:default:u1');
  assert.is(sessionKey('bogus' as 'room', address), 'slack:acme:C42');
});

test.run();

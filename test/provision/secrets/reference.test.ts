import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseSecretReference, isSecretReference, secretReferenceSchema, literalSecretMessage, describeReference } from '../../../provision/secrets/reference.js';

test('the three forms parse; the text is kept for messages', () => {
  assert.equal(parseSecretReference('env:KAFCLAW_GATEWAY_AUTH_TOKEN'), { kind: 'env', name: 'KAFCLAW_GATEWAY_AUTH_TOKEN', text: 'env:KAFCLAW_GATEWAY_AUTH_TOKEN' });
  assert.equal(parseSecretReference('file:/etc/x.key'), { kind: 'file', path: '/etc/x.key', text: 'file:/etc/x.key' });
  assert.equal(parseSecretReference('command: pass show kafclaw/token '), { kind: 'command', command: 'pass show kafclaw/token', text: 'command: pass show kafclaw/token ' });
});

test('literals and malformed references are not references', () => {
  for (const text of ['sk-ant-abc', '', 'env:', 'env:1BAD', 'env:A B', 'file:', 'command:  ', 'ENV:X', 'literal']) {
    assert.is(parseSecretReference(text), null, text);
    assert.is(isSecretReference(text), false, text);
  }
  assert.is(isSecretReference(42), false);
});

test('messages never contain the value', () => {
  const canary = 'CANARY-ref-0123456789';
  assert.not.match(literalSecretMessage(canary), /CANARY/);
  assert.match(literalSecretMessage(canary), /env:NAME, file:PATH or command:CMD/);
  assert.match(literalSecretMessage('env:'), /malformed secret reference/);
  assert.match(literalSecretMessage(12), /got a number/);
  const parsed = secretReferenceSchema.safeParse(canary);
  assert.is(parsed.success, false);
  assert.not.match(JSON.stringify(parsed.error!.issues), /CANARY/);
  assert.equal(secretReferenceSchema.parse('env:X'), { kind: 'env', name: 'X', text: 'env:X' });
});

test('describeReference shows a command by its program name only', () => {
  assert.is(describeReference(parseSecretReference("command:curl -H 'Authorization: Bearer CANARY-x' https://vault")!), 'command:curl …');
  assert.is(describeReference(parseSecretReference('command:gopass')!), 'command:gopass');
  assert.is(describeReference(parseSecretReference('file:/k')!), 'file:/k');
  assert.is(describeReference(parseSecretReference('env:K')!), 'env:K');
});

test.run();

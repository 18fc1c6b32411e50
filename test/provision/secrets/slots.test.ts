import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { findLiteralSecrets } from '../../../provision/secrets/slots.js';

test('references and templates pass; literals are found with their paths', () => {
  assert.equal(findLiteralSecrets({ secrets: { gateway_token: 'env:T', provider_keys: { A: 'file:/k', B: 'command:pass x' } }, ansible_become_password: 'env:P' }), []);
  assert.equal(findLiteralSecrets({ secrets: { gateway_token: '{{ my_token }}' }, ansible_become_password: '{{ p }}' }), []);
  assert.equal(findLiteralSecrets({ secrets: '{{ all_secrets }}' }), []);
  const found = findLiteralSecrets({ secrets: { gateway_token: 'abc123literal', provider_keys: { A: 'env:A', B: 'sk-ant-literal' } }, ansible_become_password: 'hunter2hunter2' });
  assert.equal(found.map((f) => f.path), [['ansible_become_password'], ['secrets', 'gateway_token'], ['secrets', 'provider_keys', 'B']]);
  for (const f of found) assert.not.match(f.message, /abc123|sk-ant|hunter2/);
});

test('wrong shapes are reported', () => {
  assert.equal(findLiteralSecrets({ secrets: ['env:A'] }).map((f) => f.path), [['secrets']]);
  assert.equal(findLiteralSecrets({ secrets: { provider_keys: ['env:A'] } }).map((f) => f.path), [['secrets', 'provider_keys']]);
  assert.equal(findLiteralSecrets({ secrets: { gateway_token: 42 } }).map((f) => f.message), ['expected a secret reference, got a number; write a reference instead: env:NAME, file:PATH or command:CMD']);
  assert.equal(findLiteralSecrets({ other: 'anything', secrets: {} }), []);
  assert.equal(findLiteralSecrets(null), []);
});

test.run();

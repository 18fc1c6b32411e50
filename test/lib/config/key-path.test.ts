import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatKeyPath, parseKeyPath, getAtPath, setAtPath } from '../../../lib/config/key-path.js';

test('key paths round-trip between segments and text, both index spellings accepted', () => {
  assert.is(formatKeyPath(['channels', 'slack', 'accounts', 0, 'id']), 'channels.slack.accounts[0].id');
  assert.equal(parseKeyPath('channels.slack.accounts[0].id'), ['channels', 'slack', 'accounts', 0, 'id']);
  assert.equal(parseKeyPath('channels.slack.accounts.0.id'), ['channels', 'slack', 'accounts', 0, 'id']);
  assert.equal(parseKeyPath('a[1][2]'), ['a', 1, 2]);
});

test('getAtPath reads own properties only; setAtPath creates objects and never touches prototypes', () => {
  const data = JSON.parse('{"a": {"b": [10, {"c": 3}]}}');
  assert.is(getAtPath(data, ['a', 'b', 1, 'c']), 3);
  assert.is(getAtPath(data, ['a', 'constructor']), undefined);
  assert.is(getAtPath(data, ['a', 'b', 'length']), undefined);
  const target: Record<string, unknown> = { x: 'scalar' };
  setAtPath(target, ['x', 'y'], 1);
  setAtPath(target, ['__proto__', 'polluted'], true);
  assert.equal(target.x, { y: 1 });
  assert.is(({} as Record<string, unknown>).polluted, undefined);
});

test.run();

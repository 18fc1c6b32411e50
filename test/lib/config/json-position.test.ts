import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { findJsonSyntaxIssue, locateKey, positionAt } from '../../../lib/config/index.js';

test('positionAt counts lines and columns from 1', () => {
  assert.equal(positionAt('ab\ncd', 0), { line: 1, column: 1 });
  assert.equal(positionAt('ab\ncd', 4), { line: 2, column: 2 });
  assert.equal(positionAt('ab\n', 99), { line: 2, column: 1 });
});

test('findJsonSyntaxIssue agrees with JSON.parse and points at the fault', () => {
  const cases: [string, number][] = [
    ['{"a":}', 5],
    ['{"a":1,}', 7],
    ['{"a" 1}', 5],
    ['{"a":01}', 6],
    ['{"a":1}x', 7],
    ["{'a':1}", 1],
    ['{"a":"x\ny"}', 7],
    ['', 0],
    ['{"a": [1, 2', 11],
  ];
  for (const [text, offset] of cases) {
    assert.throws(() => JSON.parse(text));
    assert.is(findJsonSyntaxIssue(text)?.offset, offset, text);
  }
  for (const text of ['{}', '{"a":[1,{"b":null}],"c":"\\u00e9\\n"}', ' [1e5, -0.5, true] ', 'null']) {
    assert.is(findJsonSyntaxIssue(text), null, text);
  }
});

test('locateKey finds nested keys, array elements, the last duplicate, and falls back to the parent', () => {
  const text = '{\n  "tools": {\n    "exec": {\n      "timeout": "60s"\n    }\n  },\n  "list": [\n    {"id": 1},\n    {"id": 2}\n  ],\n  "d": 1,\n  "d": 2\n}';
  assert.equal(locateKey(text, ['tools', 'exec', 'timeout']), { line: 4, column: 7 });
  assert.equal(locateKey(text, ['list', 1, 'id']), { line: 9, column: 6 });
  assert.equal(locateKey(text, ['d']), { line: 12, column: 3 });
  assert.equal(locateKey(text, ['tools', 'exec', 'absent']), { line: 3, column: 5 });
  assert.is(locateKey(text, ['nothing']), null);
  assert.equal(locateKey('{"tools": {"exec": {"timeout": "60s", ', ['tools', 'exec', 'timeout']), { line: 1, column: 21 });
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SourceError, throwAll } from '../../../provision/vars/source-error.js';

test('describe: file:line:column: key: message, and exit code 2', () => {
  assert.is(new SourceError('bad', { file: 'f.yml', line: 3, column: 5, key: 'a.b' }).describe(), 'f.yml:3:5: a.b: bad');
  assert.is(new SourceError('bad', { file: 'f.yml' }).describe(), 'f.yml: bad');
  assert.is(new SourceError('bad', { file: 'f.yml' }).exitCode, 2);
});

test('throwAll throws the first in source order carrying all; nothing for an empty list', () => {
  throwAll([]);
  const errors = [new SourceError('b', { file: 'f', line: 9, column: 1 }), new SourceError('a', { file: 'f', line: 2, column: 4 }), new SourceError('c', { file: 'f', line: 2, column: 1 })];
  try {
    throwAll(errors);
    assert.unreachable();
  } catch (error) {
    const e = error as SourceError;
    assert.is(e.message, 'c');
    assert.equal(e.all.map((x) => x.message), ['c', 'a', 'b']);
    assert.is(e.describe(), 'f:2:1: c\nf:2:4: a\nf:9:1: b');
  }
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { printable } from '../../../lib/report/printable.js';

test('control characters become visible escapes; newline, tab and ordinary text stay', () => {
  assert.is(printable('a\u001b[31mb'), 'a\\x1b[31mb');
  assert.is(printable('x\ry\u0000z\u007f\u009b'), 'x\\x0dy\\x00z\\x7f\\x9b');
  assert.is(printable('line\n\ttab é ✓'), 'line\n\ttab é ✓');
});

test.run();

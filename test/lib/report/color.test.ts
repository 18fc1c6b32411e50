import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { paint, shouldColor } from '../../../lib/report/color.js';

test('colour only on a TTY with NO_COLOR unset or empty', () => {
  assert.is(shouldColor({ isTTY: true }, {}), true);
  assert.is(shouldColor({ isTTY: true }, { NO_COLOR: '' }), true);
  assert.is(shouldColor({ isTTY: true }, { NO_COLOR: '1' }), false);
  assert.is(shouldColor({ isTTY: true }, { NO_COLOR: '0' }), false, 'any non-empty value disables');
  assert.is(shouldColor({ isTTY: false }, {}), false);
  assert.is(shouldColor({}, {}), false);
  assert.is(shouldColor({ isTTY: true }, { FORCE_COLOR: '1', TERM: 'dumb' }), true, 'only NO_COLOR and the TTY decide');
});

test('paint wraps in ANSI codes only when enabled', () => {
  assert.is(paint('x', 'red', false), 'x');
  assert.is(paint('x', 'red', true), '\u001b[31mx\u001b[0m');
});

test.run();

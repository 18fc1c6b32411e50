import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { exitCodeFor } from '../../../lib/report/exit-code.js';
import { result } from './fixture.js';

const waiver = { reason: 'r', owner: 'o', expires: '2099-01-01' };

test('0 for passes, skips and warnings; 1 for any fail or error', () => {
  assert.is(exitCodeFor([]), 0);
  assert.is(exitCodeFor([result({ id: 'a.b', status: 'pass' }), result({ id: 'a.c', status: 'skip' }), result({ id: 'a.d', status: 'warn' })]), 0);
  assert.is(exitCodeFor([result({ id: 'a.b', status: 'pass' }), result({ id: 'a.c', status: 'fail', severity: 'low' })]), 1);
  assert.is(exitCodeFor([result({ id: 'a.b', status: 'error', severity: 'low' })]), 1);
});

test('waived results do not fail the run', () => {
  assert.is(exitCodeFor([result({ id: 'a.b', status: 'fail', severity: 'critical', waived: waiver })]), 0);
  assert.is(exitCodeFor([result({ id: 'a.b', status: 'error', waived: waiver })]), 0);
});

test('a severity threshold ignores lower fails but never an error', () => {
  const medium = result({ id: 'a.b', status: 'fail', severity: 'medium' });
  assert.is(exitCodeFor([medium], 'high'), 0);
  assert.is(exitCodeFor([medium], 'medium'), 1);
  assert.is(exitCodeFor([result({ id: 'a.b', status: 'fail', severity: 'critical' })], 'critical'), 1);
  assert.is(exitCodeFor([result({ id: 'a.b', status: 'error', severity: 'low' })], 'critical'), 1);
});

test('threshold warn fails on warnings too', () => {
  assert.is(exitCodeFor([result({ id: 'a.b', status: 'warn' })], 'warn'), 1);
  assert.is(exitCodeFor([result({ id: 'a.b', status: 'warn', waived: waiver })], 'warn'), 0);
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { serialBatches } from '../../../provision/runner/batches.js';

const hosts = ['a', 'b', 'c', 'd', 'e'];

test('no serial: one batch of every host', () => {
  assert.equal(serialBatches(hosts, undefined), [hosts]);
  assert.equal(serialBatches([], undefined), []);
});

test('a number, a percentage, a list whose last size repeats', () => {
  assert.equal(serialBatches(hosts, 2), [['a', 'b'], ['c', 'd'], ['e']]);
  assert.equal(serialBatches(hosts, '40%'), [['a', 'b'], ['c', 'd'], ['e']]);
  assert.equal(serialBatches(hosts, '10%'), [['a'], ['b'], ['c'], ['d'], ['e']]);
  assert.equal(serialBatches(hosts, [1, '60%']), [['a'], ['b', 'c', 'd'], ['e']]);
});

test.run();

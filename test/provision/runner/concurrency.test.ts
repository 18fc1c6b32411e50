import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { limitConcurrency } from '../../../provision/runner/concurrency.js';

test('never more than the limit at once; results in input order', async () => {
  let running = 0;
  let peak = 0;
  const results = await limitConcurrency([30, 10, 20, 5, 15], 2, async (ms) => {
    running++;
    peak = Math.max(peak, running);
    await new Promise((resolve) => setTimeout(resolve, ms));
    running--;
    return ms * 2;
  });
  assert.is(peak, 2);
  assert.equal(results, [60, 20, 40, 10, 30]);
  assert.equal(await limitConcurrency([], 5, async () => 1), []);
});

test.run();

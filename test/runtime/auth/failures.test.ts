import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FailureTracker } from '../../../runtime/auth/failures.js';

const limits = { authFreeFailures: 3, authBackoffBaseMs: 100, authBackoffMaxMs: 1_000, authFailureWindowMs: 10_000, authTrackedAddresses: 3 };

test('free failures, then lockouts that double up to the cap', () => {
  const tracker = new FailureTracker(limits);
  const lockouts = Array.from({ length: 9 }, (_, i) => tracker.fail('10.0.0.1', i));
  assert.equal(lockouts, [0, 0, 0, 100, 200, 400, 800, 1000, 1000]);
  assert.is(tracker.retryAfterMs('10.0.0.1', 8), 1000);
  assert.is(tracker.retryAfterMs('10.0.0.1', 1008), 0);
});

test('other addresses are not affected', () => {
  const tracker = new FailureTracker(limits);
  for (let i = 0; i < 5; i++) tracker.fail('10.0.0.1', 0);
  assert.ok(tracker.retryAfterMs('10.0.0.1', 0) > 0);
  assert.is(tracker.retryAfterMs('10.0.0.2', 0), 0);
  assert.is(tracker.fail('10.0.0.2', 0), 0);
});

test('a success forgets the address; old failures fall out of the window', () => {
  const tracker = new FailureTracker(limits);
  for (let i = 0; i < 3; i++) tracker.fail('a', 0);
  tracker.succeed('a');
  assert.is(tracker.failures('a'), 0);
  for (let i = 0; i < 3; i++) tracker.fail('b', 0);
  assert.is(tracker.fail('b', 20_000), 0);
  assert.is(tracker.failures('b'), 1);
});

test('memory is bounded: the least recently failing address is forgotten first', () => {
  const tracker = new FailureTracker(limits);
  for (const address of ['a', 'b', 'c', 'd']) tracker.fail(address, 0);
  assert.is(tracker.trackedAddresses, 3);
  assert.is(tracker.failures('a'), 0);
  assert.is(tracker.failures('d'), 1);
});

test('new limits apply to the next failure', () => {
  const tracker = new FailureTracker(limits);
  tracker.setLimits({ ...limits, authFreeFailures: 0, authBackoffBaseMs: 50 });
  assert.is(tracker.fail('a', 0), 50);
});

test.run();

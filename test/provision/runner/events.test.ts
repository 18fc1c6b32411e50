import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { exitCodeOf, tally } from '../../../provision/runner/events.js';
import type { RunEvent } from '../../../provision/runner/events.js';

const task = (host: string, status: 'ok' | 'changed' | 'failed' | 'skipped'): RunEvent => ({ type: 'task', play: 'p', host, task: 't', index: 0, status, changes: [], check: false });

test('tally counts ok, changed and failed per host; skipped counts as neither; handlers count', () => {
  const summary = tally([
    { type: 'host', play: 'p', host: 'a', login: 'root', bootstrap: false, connectMs: 1 },
    task('a', 'ok'),
    task('a', 'changed'),
    task('a', 'skipped'),
    { type: 'handler', play: 'p', host: 'a', handler: 'h', status: 'changed', changes: [], check: false, pendingFromEarlierRun: false },
    { type: 'unreachable', play: 'p', host: 'b', step: 'authenticate', message: 'no' },
  ]);
  assert.equal(summary, { schemaVersion: 1, hosts: { a: { ok: 1, changed: 2, failed: 0, unreachable: false }, b: { ok: 0, changed: 0, failed: 0, unreachable: true } } });
  assert.is(exitCodeOf(summary), 3);
});

test('exit code: 1 when a change failed, 0 when all converged', () => {
  assert.is(exitCodeOf(tally([task('a', 'failed'), task('b', 'ok')])), 1);
  assert.is(exitCodeOf(tally([task('a', 'changed'), task('b', 'ok')])), 0);
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_MONITOR_THRESHOLDS, evaluateSignals, median, monitorThresholds } from '../../../lib/monitor/signals.js';
import type { MonitorReadings } from '../../../lib/monitor/signals.js';

const quiet: MonitorReadings = {
  at: '2026-11-25T12:00:00.000Z',
  windowHours: 24,
  tokensToday: 0,
  trailingDailyTokens: [],
  unknownSenderEvents: 0,
  unknownSenders: 0,
  deniedHighTierBySender: [],
  deniedHighTierBySession: [],
  authFailuresByAddress: [],
  missingTables: [],
};

const byId = (readings: Partial<MonitorReadings>) =>
  Object.fromEntries(evaluateSignals({ ...quiet, ...readings }).map((s) => [s.id, s]));

test('median of odd and even lists', () => {
  assert.is(median([]), 0);
  assert.is(median([5, 1, 3]), 3);
  assert.is(median([4, 1, 3, 2]), 2.5);
});

test('four signals in runbook order, all ok on a quiet gateway; the spike has no baseline yet', () => {
  const signals = evaluateSignals(quiet);
  assert.equal(signals.map((s) => [s.id, s.verdict]), [
    ['token-usage-spike', 'no-baseline'],
    ['unknown-senders', 'ok'],
    ['high-risk-tool-attempts', 'ok'],
    ['auth-failures', 'ok'],
  ]);
});

test('token spike: above 3× the trailing median alerts, at it does not', () => {
  const base = { trailingDailyTokens: [100, 900, 200, 150, 300] };
  assert.equal(
    [byId({ ...base, tokensToday: 600 })['token-usage-spike']!.verdict, byId({ ...base, tokensToday: 601 })['token-usage-spike']!.verdict],
    ['ok', 'alert'],
  );
  const spike = byId({ ...base, tokensToday: 601 })['token-usage-spike']!;
  assert.equal([spike.threshold, spike.observed], [600, 601]);
  assert.match(spike.detail, '3× the 7-day median of 200');
});

test('unknown senders, denied high-tier attempts and auth failures alert strictly above their thresholds', () => {
  assert.is(byId({ unknownSenderEvents: 10 })['unknown-senders']!.verdict, 'ok');
  assert.is(byId({ unknownSenderEvents: 11, unknownSenders: 4 })['unknown-senders']!.verdict, 'alert');
  const tools = byId({ deniedHighTierBySender: [{ subject: 'u1', count: 2 }], deniedHighTierBySession: [{ subject: 'slack:default:D1', count: 3 }] })['high-risk-tool-attempts']!;
  assert.equal([tools.verdict, tools.observed, tools.subject], ['alert', 3, 'slack:default:D1']);
  assert.match(tools.detail, 'by one session');
  assert.is(byId({ deniedHighTierBySender: [{ subject: 'u1', count: 2 }] })['high-risk-tool-attempts']!.verdict, 'ok');
  const auth = byId({ authFailuresByAddress: [{ subject: '127.0.0.2', count: 11 }, { subject: '127.0.0.3', count: 2 }] })['auth-failures']!;
  assert.equal([auth.verdict, auth.observed, auth.threshold, auth.subject], ['alert', 11, 10, '127.0.0.2']);
  assert.match(auth.detail, '2 address(es)');
});

test('thresholds from hardening.monitor: positive numbers override, anything else keeps the default', () => {
  assert.equal(monitorThresholds(undefined), DEFAULT_MONITOR_THRESHOLDS);
  assert.equal(monitorThresholds({ tokenSpikeMultiple: 5, windowHours: -1, unknownSenderEvents: '3', authFailuresPerAddress: 4 }), {
    ...DEFAULT_MONITOR_THRESHOLDS,
    tokenSpikeMultiple: 5,
    authFailuresPerAddress: 4,
  });
  const custom = evaluateSignals({ ...quiet, unknownSenderEvents: 4 }, { ...DEFAULT_MONITOR_THRESHOLDS, unknownSenderEvents: 3 });
  assert.is(custom[1]!.verdict, 'alert');
});

test.run();

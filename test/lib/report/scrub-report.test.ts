import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Secret } from '../../../lib/secrets/index.js';
import { scrubReport } from '../../../lib/report/scrub-report.js';
import { result, sampleReport } from './fixture.js';

const CANARY = new Secret('canary-9a8b7c6d5e4f3a2b1c0d9e8f');

test('every string of the report is scrubbed, keys and nested arrays included; other values kept', () => {
  const leak = CANARY.reveal();
  const report = sampleReport([
    result({ id: 'host.patches', status: 'fail', message: `m ${leak}`, evidence: { [leak]: [leak, 'ok'], n: 3, b: true, z: null } }),
  ]);
  report.host = leak;
  const clean = scrubReport(report);
  assert.is(clean.host, '(secret)');
  assert.is(clean.results[0]!.message, 'm (secret)');
  assert.equal(clean.results[0]!.evidence, { '(secret)': ['(secret)', 'ok'], n: 3, b: true, z: null });
  assert.is(clean.durationMs, 1234);
  assert.is(clean.catalog.length, report.catalog.length);
  assert.is(report.host, leak, 'the input is left alone');
});

test('a Secret object slipped into the data prints as (secret)', () => {
  const report = sampleReport([result({ id: 'host.patches', status: 'fail', evidence: { token: CANARY as unknown as string } })]);
  assert.equal(scrubReport(report).results[0]!.evidence, { token: '(secret)' });
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderJson, JSON_SCHEMA_VERSION } from '../../../lib/report/json.js';
import { sampleReport } from './fixture.js';

function parse(text: string): Record<string, any> {
  return JSON.parse(text) as Record<string, any>;
}

test('one object with schemaVersion, tool, host, profile, startedAt, durationMs, summary and checks', () => {
  const doc = parse(renderJson(sampleReport()));
  assert.equal(Object.keys(doc), ['schemaVersion', 'tool', 'host', 'profile', 'startedAt', 'durationMs', 'summary', 'checks']);
  assert.is(doc['schemaVersion'], JSON_SCHEMA_VERSION);
  assert.is(doc['schemaVersion'], 1);
  assert.equal(doc['tool'], { name: 'kafclaw-hardening', version: '0.1.0' });
  assert.is(doc['host'], 'gw1');
  assert.is(doc['profile'], 'doctor');
  assert.is(doc['durationMs'], 1234);
});

test('summary counts by status, waived apart', () => {
  const doc = parse(renderJson(sampleReport()));
  assert.equal(doc['summary'], { pass: 1, fail: 3, warn: 1, skip: 1, error: 1, waived: 1 });
});

test('every check carries id, status, severity, title, message; host, subject, evidence, fix, waived where they apply', () => {
  const doc = parse(renderJson(sampleReport()));
  const checks = doc['checks'] as Array<Record<string, unknown>>;
  assert.is(checks.length, 8);
  for (const check of checks) {
    for (const key of ['id', 'status', 'severity', 'title', 'message']) assert.type(check[key], 'string', key);
  }
  const bind = checks[0]!;
  assert.equal(bind['evidence'], { host: '0.0.0.0', port: 18790, tokenSet: false });
  assert.equal(bind['fix'], { kind: 'auto', summary: 'bind to 127.0.0.1 when no token is set' });
  assert.is(bind['subject'], 'gateway.host');
  assert.not.ok('host' in bind);
  assert.not.ok('waived' in bind);
  const waived = checks.find((check) => check['waived'])!;
  assert.is(waived['status'], 'fail', 'a waived result keeps its status');
  assert.equal(waived['waived'], { reason: 'vendor kernel, patched monthly', owner: 'ops@example.org', expires: '2026-12-31' });
  assert.is(checks.find((check) => check['id'] === 'backup.fresh')!['host'], 'gw2');
});

test('a report without a host says null, and the output ends with a newline', () => {
  const report = sampleReport([]);
  delete report.host;
  const text = renderJson(report);
  assert.ok(text.endsWith('}\n'));
  assert.is(parse(text)['host'], null);
  assert.equal(parse(text)['checks'], []);
});

test('the config audited is an additive field: config for one host, configs with host for several', () => {
  const one = parse(renderJson({ ...sampleReport(), configs: [{ host: 'gw1', path: '/home/k/.kafclaw/config.json', exists: false }] }));
  assert.is(one['schemaVersion'], 1);
  assert.equal(one['config'], { path: '/home/k/.kafclaw/config.json', exists: false });
  assert.is(one['configs'], undefined);
  const two = parse(renderJson({ ...sampleReport(), configs: [{ host: 'gw1', path: '/a.json', exists: true }, { host: 'gw2', path: '/b.json', exists: false }] }));
  assert.equal(two['configs'], [{ host: 'gw1', path: '/a.json', exists: true }, { host: 'gw2', path: '/b.json', exists: false }]);
  assert.is(two['config'], undefined);
});

test.run();

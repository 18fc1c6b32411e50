import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Secret } from '../../../lib/secrets/index.js';
import { renderReport, REPORT_FORMATS, renderJson, type ReportFormat } from '../../../lib/report/index.js';
import { result, sampleReport, sampleResults } from './fixture.js';
import { parseXml } from './xml-check.js';

// Canaries: one plain, one with characters each format escapes (JSON, XML, Markdown), which a scrub of
// the rendered text alone would no longer find.
const CANARY = new Secret('canary-3c9e1f7a5b2d8e4f6a0c1b9d7e5f3a1c');
const MARKUP_CANARY = new Secret(`canary-<&>"'|*_\`-\\-4f1e8d2c6b0a9e7d`);

function leakyReport() {
  const leak = CANARY.reveal();
  const markupLeak = MARKUP_CANARY.reveal();
  return sampleReport([
    ...sampleResults(),
    result({
      id: 'secrets.file-permissions',
      status: 'fail',
      message: `token is ${leak} and ${markupLeak}`,
      subject: `/home/u/${leak}.env`,
      evidence: { value: leak, [leak]: 'as a key', list: [markupLeak, 'x'], secretObject: CANARY as unknown as string },
      fix: { kind: 'guided', summary: `rotate ${markupLeak}`, steps: [`echo ${leak}`] },
      waived: { reason: `was ${leak}`, owner: markupLeak, expires: '2026-12-31' },
    }),
    result({ id: 'secrets.token-leak', status: 'error', message: `leak\n${markupLeak}`, title: `Title ${leak}`, host: `h-${leak}` }),
  ]);
}

for (const format of REPORT_FORMATS) {
  test(`${format}: no canary value appears in the output, in any escaping`, () => {
    const out = renderReport(format, leakyReport(), { color: true });
    for (const value of [CANARY.reveal(), MARKUP_CANARY.reveal()]) {
      assert.not.ok(out.includes(value), 'raw value');
      assert.not.ok(out.includes(JSON.stringify(value).slice(1, -1)), 'JSON-escaped value');
    }
    assert.not.ok(out.includes('3c9e1f7a5b2d8e4f6a0c1b9d7e5f3a1c'), 'tail of the plain canary');
    assert.not.ok(out.includes('4f1e8d2c6b0a9e7d'), 'tail of the markup canary');
    assert.ok(out.includes('(secret)'), 'the value is replaced, not dropped silently');
  });
}

test('the raw reporters alone would leak: renderReport is what scrubs', () => {
  assert.ok(renderJson(leakyReport()).includes(CANARY.reveal()));
});

test('renderReport output still parses as its format after scrubbing', () => {
  const report = leakyReport();
  JSON.parse(renderReport('json', report));
  JSON.parse(renderReport('sarif', report));
  parseXml(renderReport('junit', report));
});

test('renderReport dispatches every format and does not change the report', () => {
  const report = sampleReport();
  const before = JSON.stringify(report);
  const outputs = new Map<ReportFormat, string>(REPORT_FORMATS.map((format) => [format, renderReport(format, report)]));
  assert.is(JSON.stringify(report), before);
  assert.match(outputs.get('text')!, /^kafclaw-hardening 0\.1\.0: profile doctor/);
  assert.is(JSON.parse(outputs.get('json')!).schemaVersion, 1);
  assert.is(JSON.parse(outputs.get('sarif')!).version, '2.1.0');
  assert.match(outputs.get('junit')!, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites /);
  assert.match(outputs.get('md')!, /^# kafclaw-hardening report: doctor/);
  assert.throws(() => renderReport('yaml' as ReportFormat, report), /unknown report format "yaml"/);
});

test.run();

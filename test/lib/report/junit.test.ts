import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderJunit, xmlAttr, xmlText } from '../../../lib/report/junit.js';
import { result, sampleReport } from './fixture.js';
import { find, parseXml } from './xml-check.js';

test('well-formed XML: testsuites, one testsuite per host, one testcase per result', () => {
  const root = parseXml(renderJunit(sampleReport()));
  assert.is(root.name, 'testsuites');
  assert.equal(root.attrs['tests'], '8');
  assert.equal(root.attrs['failures'], '3');
  assert.equal(root.attrs['errors'], '1');
  assert.equal(root.attrs['skipped'], '2');
  const suites = find(root, 'testsuite');
  assert.equal(suites.map((suite) => suite.attrs['name']), ['doctor gw1', 'doctor gw2']);
  assert.equal(suites.map((suite) => suite.attrs['tests']), ['6', '2']);
  assert.is(suites[0]!.attrs['hostname'], 'gw1');
  assert.is(find(root, 'testcase').length, 8);
});

test('classname is the family, name is id and subject; fail, error, skip and waived map to their elements', () => {
  const root = parseXml(renderJunit(sampleReport()));
  const cases = find(root, 'testcase');
  const byName = new Map(cases.map((c) => [c.attrs['name'], c]));
  const bind = byName.get('gateway.bind-loopback gateway.host')!;
  assert.is(bind.attrs['classname'], 'gateway');
  assert.is(bind.attrs['time'], '0.003');
  const failure = find(bind, 'failure')[0]!;
  assert.is(failure.attrs['message'], 'gateway binds 0.0.0.0:18790 with no auth token');
  assert.is(failure.attrs['type'], 'critical');
  assert.match(failure.text, /fix: bind to 127\.0\.0\.1/);
  assert.match(failure.text, /"port":18790/);
  const error = find(byName.get('monitor.auth-failures')!, 'error')[0]!;
  assert.is(error.attrs['message'], 'could not decide: timeline.db is locked');
  const waived = cases.find((c) => c.attrs['name'] === 'host.patches' && find(c, 'skipped')[0]?.attrs['message']?.includes('waived'))!;
  assert.ok(waived, 'the waived fail is a skipped testcase');
  assert.is(find(waived, 'failure').length, 0);
  assert.is(find(waived, 'skipped')[0]!.attrs['message'], 'fail: waived (vendor kernel, patched monthly, ops@example.org, until 2026-12-31)');
  assert.is(find(waived, 'system-out')[0]!.text, 'fail: 3 security updates pending');
  const pass = byName.get('tools.exec-restrict-workspace')!;
  assert.equal(pass.children.map((c) => c.name), ['system-out']);
});

test('markup characters and control characters are escaped and survive a round trip', () => {
  const nasty = `<tag attr="x">&amp; 'quoted' \u0001bell\u0007 tab\tnew\nline\r\n]]> \ud800 end`;
  const xml = renderJunit(sampleReport([result({ id: 'secrets.file-permissions', status: 'fail', subject: nasty, message: nasty })]));
  const root = parseXml(xml);
  const testcase = find(root, 'testcase')[0]!;
  const failure = find(testcase, 'failure')[0]!;
  const shown = `<tag attr="x">&amp; 'quoted' \\u0001bell\\u0007 tab\tnew\nline\r\n]]> \\ud800 end`;
  assert.is(testcase.attrs['name'], `secrets.file-permissions ${shown}`);
  assert.is(failure.attrs['message'], shown);
  assert.ok(failure.text.startsWith(shown));
  assert.not.ok(xml.includes('\u0001'));
  assert.not.ok(xml.includes(']]>'));
});

test('escaping helpers', () => {
  assert.is(xmlText(`a<b>&"'`), `a&lt;b&gt;&amp;"'`);
  assert.is(xmlAttr(`a<b>&"'\n`), 'a&lt;b&gt;&amp;&quot;&apos;&#10;');
  assert.is(xmlText('\u0000\u001f'), '\\u0000\\u001f');
});

test('the strict XML check used above rejects broken documents', () => {
  assert.throws(() => parseXml('<a><b></a></b>'), /does not close/);
  assert.throws(() => parseXml('<a x="1 & 2"/>'), /entity/);
  assert.throws(() => parseXml('<a>1 < 2</a>'), /tag name|raw/);
  assert.throws(() => parseXml('<a>\u0001</a>'), /forbidden/);
  assert.throws(() => parseXml('<a x="1" x="2"/>'), /duplicate/);
  assert.throws(() => parseXml('<a/><b/>'), /second root/);
});

test('an empty run is still a valid document', () => {
  const root = parseXml(renderJunit(sampleReport([])));
  assert.is(root.attrs['tests'], '0');
  assert.is(find(root, 'testsuite').length, 1);
});

test.run();

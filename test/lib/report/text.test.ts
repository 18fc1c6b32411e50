import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderText } from '../../../lib/report/text.js';
import { result, sampleReport } from './fixture.js';

const ESC = '\u001b';

test('results are grouped fail, error, warn, pass, skip, one line each as STATUS severity id subject: message', () => {
  const text = renderText(sampleReport());
  const lines = text.split('\n');
  const statusLines = lines.filter((line) => /^(FAIL|ERROR|WARN|PASS|SKIP) /.test(line));
  assert.equal(
    statusLines.map((line) => line.split(' ')[0]),
    ['FAIL', 'FAIL', 'FAIL', 'FAIL', 'ERROR', 'WARN', 'PASS', 'SKIP'],
  );
  assert.ok(lines.includes('FAIL  critical gateway.bind-loopback gateway.host: gateway binds 0.0.0.0:18790 with no auth token'));
  assert.ok(lines.includes('ERROR high monitor.auth-failures: could not decide: timeline.db is locked'));
  assert.ok(lines.includes('PASS  critical tools.exec-restrict-workspace: exec is restricted to the workspace'));
});

test('a result on another host than the report names it', () => {
  const text = renderText(sampleReport());
  assert.ok(text.includes('WARN  high backup.fresh [gw2]: newest backup is 20 h old'));
  assert.not.ok(text.includes('[gw1]'));
});

test('failing results carry their fix summary on the next line; others and waived ones do not', () => {
  const lines = renderText(sampleReport()).split('\n');
  const at = lines.findIndex((line) => line.startsWith('FAIL  critical gateway.bind-loopback'));
  assert.is(lines[at + 1], '      fix: bind to 127.0.0.1 when no token is set');
  const session = lines.findIndex((line) => line.startsWith('FAIL  medium access.session-scope'));
  assert.is(lines[session + 1], '      fix: set room', 'falls back to the catalog fix summary');
  const waived = lines.findIndex((line) => line.startsWith('FAIL  medium host.patches'));
  assert.is(lines[waived + 1], '      waived (vendor kernel, patched monthly, ops@example.org, until 2026-12-31)');
  assert.not.ok(lines[waived + 2]?.includes('fix:'));
  const warn = lines.findIndex((line) => line.startsWith('WARN'));
  assert.not.ok(lines[warn + 1]?.includes('fix:'));
});

test('the last line is the summary, waived counted apart from fail', () => {
  const lines = renderText(sampleReport()).trimEnd().split('\n');
  assert.is(lines.at(-1), 'Summary: 3 fail, 1 error, 1 warn, 1 pass, 1 skip, 1 waived (8 results in 1234 ms)');
});

test('no ANSI codes without colour; status labels coloured with it', () => {
  const plain = renderText(sampleReport());
  assert.not.ok(plain.includes(ESC));
  const coloured = renderText(sampleReport(), { color: true });
  assert.ok(coloured.includes(`${ESC}[31mFAIL ${ESC}[0m critical gateway.bind-loopback`));
  assert.ok(coloured.includes(`${ESC}[32mPASS ${ESC}[0m`));
  assert.ok(coloured.includes(`${ESC}[35mERROR${ESC}[0m`));
  assert.is(coloured.replace(/\u001b\[\d+m/g, ''), plain);
});

test('control characters from checked data are shown, not sent to the terminal', () => {
  const report = sampleReport([
    result({ id: 'host.patches', status: 'fail', subject: '/tmp/evil\u001b[2J', message: 'line one\nline two\r overwritten' }),
  ]);
  const text = renderText(report, { color: true });
  assert.not.ok(text.includes('\u001b[2J'));
  assert.not.ok(text.includes('\r'));
  assert.ok(text.includes('/tmp/evil\\x1b[2J: line one\n      line two\\x0d overwritten'));
});

test('an empty run still says so', () => {
  const text = renderText(sampleReport([]));
  assert.match(text, /Summary: 0 fail, 0 error, 0 warn, 0 pass, 0 skip, 0 waived \(0 results/);
  assert.match(text, /^kafclaw-hardening 0\.1\.0: profile doctor on gw1, started 2026-11-25T02:00:00\.000Z\n/);
});

test('the header names the config audited, and says when it does not exist', () => {
  const present = renderText({ ...sampleReport(), configs: [{ host: 'gw1', path: '/home/k/.kafclaw/config.json', exists: true }] }).split('\n');
  assert.is(present[1], 'config: /home/k/.kafclaw/config.json');
  const missing = renderText({ ...sampleReport(), configs: [{ host: 'gw1', path: '/home/k/.kafclaw/config.json', exists: false }] }).split('\n');
  assert.is(missing[1], "config: /home/k/.kafclaw/config.json (does not exist: KafClaw's defaults were audited)");
  const hosts = renderText({ ...sampleReport(), configs: [{ host: 'gw1', path: '/a.json', exists: true }, { host: 'gw2', path: '/b.json', exists: false }] }).split('\n');
  assert.equal(hosts.slice(1, 3), ['config on gw1: /a.json', "config on gw2: /b.json (does not exist: KafClaw's defaults were audited)"]);
  assert.is(renderText(sampleReport()).split('\n')[1], '', 'no config line when no check read one');
});

test.run();

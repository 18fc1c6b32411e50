import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mdEscape, renderMarkdown } from '../../../lib/report/markdown.js';
import { result, sampleReport } from './fixture.js';

test('a title, the run facts and a summary table with every status and waived', () => {
  const md = renderMarkdown(sampleReport());
  const lines = md.split('\n');
  assert.is(lines[0], '# kafclaw-hardening report: doctor on gw1');
  assert.ok(lines.includes('| status | count |'));
  for (const row of ['| fail | 3 |', '| error | 1 |', '| warn | 1 |', '| pass | 1 |', '| skip | 1 |', '| waived | 1 |']) {
    assert.ok(lines.includes(row), row);
  }
});

test('sections by status in order fail, error, warn, pass, skip, with counts', () => {
  const md = renderMarkdown(sampleReport());
  const headings = md.split('\n').filter((line) => line.startsWith('## '));
  assert.equal(headings, ['## Failing (4)', '## Could not decide (error) (1)', '## Warnings (1)', '## Passing (1)', '## Skipped (1)']);
});

test('items name severity, id, host, subject and message; fixes under failing ones; waived marked', () => {
  const md = renderMarkdown(sampleReport());
  assert.ok(md.includes('- **critical** gateway.bind-loopback gateway.host: gateway binds 0.0.0.0:18790 with no auth token\n  - Fix: bind to 127.0.0.1 when no token is set'));
  assert.ok(md.includes('- **medium** host.patches: 3 security updates pending\n  - _waived (vendor kernel, patched monthly, ops@example.org, until 2026-12-31)_\n'));
  assert.ok(md.includes('- **medium** access.session-scope channels.slack: slack shares sessions across rooms\n  - Fix: set room\n'), 'catalog fix as fallback');
  assert.ok(md.includes('- **high** backup.fresh on gw2: newest backup is 20 h old\n  - Fix: run a backup'), 'warnings carry a fix too');
  assert.not.ok(md.includes('- **critical** tools.exec-restrict-workspace: exec is restricted to the workspace\n  - Fix'));
});

test('checked data cannot inject HTML, links or structure', () => {
  const md = renderMarkdown(
    sampleReport([result({ id: 'host.patches', status: 'fail', subject: '<img src=x onerror=alert(1)>', message: 'a | b [x](http://evil) *bold*\n## fake heading' })]),
  );
  assert.not.ok(md.includes('<img'));
  assert.ok(md.includes('&lt;img src=x onerror=alert(1)&gt;'));
  assert.ok(md.includes('a \\| b \\[x\\](http://evil) \\*bold\\*<br>## fake heading'));
  assert.is(md.split('\n').filter((line) => line.startsWith('## ')).length, 1);
});

test('mdEscape', () => {
  assert.is(mdEscape('a_b`c'), 'a\\_b\\`c');
  assert.is(mdEscape('x\u001by'), 'x\\\\x1by');
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckResult } from '../../checks/types.js';
import { applyWaivers, isExpired, loadWaivers, parseWaivers, WaiverFileError, type WaiverEntry } from '../../checks/waivers.js';
import { exitCodeFor } from '../../lib/report/exit-code.js';

const NOW = new Date('2026-11-25T12:00:00Z');

function r(id: string, status: CheckResult['status'], subject?: string): CheckResult {
  const out: CheckResult = { id, title: id, status, severity: 'high', message: `${id} ${status}`, durationMs: 1 };
  if (subject !== undefined) out.subject = subject;
  return out;
}

function parseError(text: string): WaiverFileError {
  try {
    parseWaivers(text, 'waivers.yaml');
  } catch (error) {
    assert.instance(error, WaiverFileError);
    return error as WaiverFileError;
  }
  throw new Error('expected a WaiverFileError');
}

const GOOD = `# accepted risks
- id: host.patches
  reason: vendor kernel, patched monthly
  owner: ops@example.org
  expires: 2026-12-31
- id: secrets.file-permissions
  match: /srv/shared
  reason: group-readable by design
  owner: alice
  expires: "2027-01-15"
`;

test('parse: a list of waivers, with the line each starts on', () => {
  const waivers = parseWaivers(GOOD, 'waivers.yaml');
  assert.equal(waivers, [
    { id: 'host.patches', reason: 'vendor kernel, patched monthly', owner: 'ops@example.org', expires: '2026-12-31', file: 'waivers.yaml', line: 2 },
    { id: 'secrets.file-permissions', match: '/srv/shared', reason: 'group-readable by design', owner: 'alice', expires: '2027-01-15', file: 'waivers.yaml', line: 6 },
  ]);
});

test('parse: an empty or comment-only file waives nothing', () => {
  assert.equal(parseWaivers('', 'w.yaml'), []);
  assert.equal(parseWaivers('# none yet\n', 'w.yaml'), []);
  assert.equal(parseWaivers('[]\n', 'w.yaml'), []);
});

test('malformed: an unknown key names file, line, column and key, and lists the allowed keys', () => {
  const error = parseError('- id: host.patches\n  reason: r\n  owner: o\n  expires: 2026-12-31\n  expiry: 2027-01-01\n');
  assert.is(error.file, 'waivers.yaml');
  assert.is(error.line, 5);
  assert.is(error.column, 3);
  assert.is(error.key, 'expiry');
  assert.is(error.exitCode, 2);
  assert.match(error.message, /^waivers\.yaml:5:3: expiry: unknown key; allowed keys are id, match, reason, owner, expires$/);
});

test('malformed: a missing field points at the waiver', () => {
  const error = parseError('- id: host.patches\n  reason: r\n  owner: o\n  expires: 2026-12-31\n- id: host.firewall-active\n  reason: r\n  expires: 2026-12-31\n');
  assert.is(error.line, 5);
  assert.is(error.key, 'owner');
  assert.match(error.message, /waivers\.yaml:5:3: owner: missing in waiver 2; every waiver needs id, reason, owner, expires/);
});

test('malformed: bad dates, with the line of the value', () => {
  for (const bad of ['2026-13-01', '2026-02-30', '31.12.2026', 'next year', '2026-12-31T00:00:00Z']) {
    const error = parseError(`- id: host.patches\n  reason: r\n  owner: o\n  expires: ${bad}\n`);
    assert.is(error.line, 4, bad);
    assert.is(error.column, 12, bad);
    assert.is(error.key, 'expires');
    assert.match(error.message, /is not a date; write the date as YYYY-MM-DD/);
  }
  assert.match(parseError('- id: host.patches\n  reason: r\n  owner: o\n  expires: 20261231\n').message, /expires: must be non-empty text/);
});

test('malformed: duplicate YAML keys', () => {
  const error = parseError('- id: host.patches\n  reason: r\n  reason: again\n  owner: o\n  expires: 2026-12-31\n');
  assert.is(error.line, 3);
  assert.is(error.column, 3);
  assert.match(error.message, /^waivers\.yaml:3:3: Map keys must be unique; each waiver names each key once/);
});

test('malformed: not a list, not a mapping, YAML syntax, empty values, bad ids, duplicate waivers', () => {
  const notList = parseError('id: host.patches\nreason: r\n');
  assert.is(notList.line, 1);
  assert.match(notList.message, /not a list of waivers; write each waiver as a list item/);
  assert.match(parseError('- host.patches\n').message, /waivers\.yaml:1:3: waiver 1 is not a mapping/);
  const syntax = parseError('- id: host.patches\n  reason: [unclosed\n');
  assert.ok(syntax.line !== undefined && syntax.line >= 2, String(syntax.line));
  assert.match(syntax.message, /fix the YAML syntax/);
  assert.match(parseError('- id: host.patches\n  reason: ""\n  owner: o\n  expires: 2026-12-31\n').message, /:2:11: reason: must be non-empty text/);
  assert.match(parseError('- id: Host Patches\n  reason: r\n  owner: o\n  expires: 2026-12-31\n').message, /:1:7: id: "Host Patches" is not a check id/);
  const twice = parseError(GOOD + '- id: host.patches\n  reason: again\n  owner: bob\n  expires: 2027-01-01\n');
  assert.is(twice.line, 11);
  assert.match(twice.message, /a second waiver for host\.patches \(first at line 2\); merge the two/);
});

test('loadWaivers reads a real file; a missing file is a WaiverFileError', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'waivers-'));
  try {
    const path = join(dir, 'waivers.yaml');
    await writeFile(path, GOOD);
    const waivers = await loadWaivers(path);
    assert.is(waivers.length, 2);
    assert.is(waivers[0]!.file, path);
    await writeFile(path, '- id: host.patches\n  bogus: 1\n');
    await loadWaivers(path).then(
      () => assert.unreachable('should reject'),
      (error: WaiverFileError) => assert.match(error.message, new RegExp(`^${path.replace(/[.]/g, '\\.')}:2:3: bogus: unknown key`)),
    );
    await loadWaivers(join(dir, 'absent.yaml')).then(
      () => assert.unreachable('should reject'),
      (error: WaiverFileError) => {
        assert.instance(error, WaiverFileError);
        assert.match(error.message, /absent\.yaml: no such file; check the path given to --waivers/);
      },
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

const waiver = (partial: Partial<WaiverEntry> & Pick<WaiverEntry, 'id'>): WaiverEntry => ({
  reason: 'accepted',
  owner: 'alice',
  expires: '2026-12-31',
  ...partial,
});

test('apply: a matching result is waived, keeps its status, and the run passes', () => {
  const results = [r('host.patches', 'fail'), r('gateway.bind-loopback', 'pass')];
  const out = applyWaivers(results, [waiver({ id: 'host.patches' })], NOW);
  assert.is(out.length, 2);
  assert.is(out[0]!.status, 'fail');
  assert.equal(out[0]!.waived, { reason: 'accepted', owner: 'alice', expires: '2026-12-31' });
  assert.is(out[1]!.waived, undefined);
  assert.is(results[0]!.waived, undefined, 'inputs are not changed');
  assert.is(exitCodeFor(results), 1);
  assert.is(exitCodeFor(out), 0);
});

test('apply: match narrows to results whose subject contains it', () => {
  const results = [
    r('secrets.file-permissions', 'fail', '/srv/shared/config.json'),
    r('secrets.file-permissions', 'fail', '/home/alice/.kafclaw/config.json'),
    r('secrets.file-permissions', 'fail'),
  ];
  const out = applyWaivers(results, [waiver({ id: 'secrets.file-permissions', match: '/srv/shared' })], NOW);
  assert.equal(out.map((x) => Boolean(x.waived)), [true, false, false]);
  assert.is(exitCodeFor(out), 1);
});

test('apply: an expired waiver does not waive, and adds a failing waiver.expired result', () => {
  const results = [r('host.patches', 'fail')];
  const expired = waiver({ id: 'host.patches', owner: 'bob', expires: '2026-11-24', file: 'w.yaml', line: 7 });
  const out = applyWaivers(results, [expired], NOW);
  assert.is(out.length, 2);
  assert.is(out[0]!.waived, undefined);
  const finding = out[1]!;
  assert.is(finding.id, 'waiver.expired');
  assert.is(finding.status, 'fail');
  assert.is(finding.severity, 'high');
  assert.match(finding.message, /waiver for host\.patches \(w\.yaml:7\), owned by bob, expired on 2026-11-24/);
  assert.equal(finding.evidence, { waivedId: 'host.patches', owner: 'bob', expires: '2026-11-24', file: 'w.yaml', line: 7 });
  assert.is(exitCodeFor(out), 1);
  // Expired even when the waived check passes now: the waiver itself needs attention.
  assert.is(exitCodeFor(applyWaivers([r('host.patches', 'pass')], [expired], NOW)), 1);
});

test('expiry: the waiver holds through its day, UTC', () => {
  const w = { expires: '2026-11-25' };
  assert.is(isExpired(w, new Date('2026-11-25T23:59:59.999Z')), false);
  assert.is(isExpired(w, new Date('2026-11-26T00:00:00Z')), true);
});

test('apply: a waiver that matches nothing is a waiver.unused warning, which does not fail the run', () => {
  const out = applyWaivers(
    [r('host.patches', 'pass'), r('secrets.file-permissions', 'fail', '/home/a')],
    [waiver({ id: 'host.patches' }), waiver({ id: 'secrets.file-permissions', match: '/srv' }), waiver({ id: 'host.ssh-hardning' })],
    NOW,
  );
  const unused = out.filter((x) => x.id === 'waiver.unused');
  assert.is(unused.length, 3);
  assert.ok(unused.every((x) => x.status === 'warn'));
  assert.match(unused[0]!.message, /waiver for host\.patches, owned by alice, matches no failing, warning or error result/);
  assert.match(unused[1]!.message, /matching "\/srv"/);
  assert.match(unused[2]!.message, /matches no result of this run/);
  assert.is(out.find((x) => x.id === 'host.patches')!.waived, undefined, 'a pass is never marked waived');
  assert.is(exitCodeFor(out.filter((x) => x.id !== 'secrets.file-permissions')), 0);
});

test('apply: with knownIds, a waiver for a check outside this profile is quiet, a typo is reported', () => {
  const out = applyWaivers(
    [r('gateway.bind-loopback', 'pass')],
    [waiver({ id: 'host.patches' }), waiver({ id: 'host.ssh-hardning' })],
    NOW,
    { knownIds: ['gateway.bind-loopback', 'host.patches'] },
  );
  const unused = out.filter((x) => x.id === 'waiver.unused');
  assert.is(unused.length, 1);
  assert.match(unused[0]!.message, /host\.ssh-hardning.*names no known check/);
});

test('apply: two waivers covering one result are both used; the first decides the note', () => {
  const out = applyWaivers(
    [r('secrets.file-permissions', 'error', '/srv/shared/a')],
    [waiver({ id: 'secrets.file-permissions', match: '/srv', reason: 'first' }), waiver({ id: 'secrets.file-permissions', reason: 'second' })],
    NOW,
  );
  assert.is(out.length, 1);
  assert.is(out[0]!.waived?.reason, 'first');
});

test('end to end: a parsed file applied to results', () => {
  const waivers = parseWaivers(GOOD, 'waivers.yaml');
  const out = applyWaivers([r('host.patches', 'warn'), r('secrets.file-permissions', 'fail', '/srv/shared/x')], waivers, NOW);
  assert.ok(out.every((x) => x.waived));
  const later = applyWaivers([r('host.patches', 'warn'), r('secrets.file-permissions', 'fail', '/srv/shared/x')], waivers, new Date('2027-01-01T00:00:00Z'));
  assert.equal(later.map((x) => [x.id, Boolean(x.waived)]), [
    ['host.patches', false],
    ['secrets.file-permissions', true],
    ['waiver.expired', false],
  ]);
});

test.run();

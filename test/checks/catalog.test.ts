import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { CHECKS } from '../../checks/index.js';
import { renderCatalogDoc } from '../../checks/catalog-doc.js';
import { PROFILES } from '../../checks/select.js';
import type { FixKind } from '../../checks/types.js';

const catalogText = readFileSync(new URL('../../../shared/spec/check-catalog.md', import.meta.url), 'utf8');
/** `| \`id\` | fails when | severity | …` rows of the promised catalog. */
const promised = [...catalogText.matchAll(/^\| `([a-z]+\.[a-z0-9-]+)` \|[^|]*\| (critical|high|medium|low) \|/gm)].map((m) => ({ id: m[1]!, severity: m[2]! }));
const FAMILIES_HERE = ['gateway', 'secrets', 'host', 'paths', 'tools', 'access', 'kafclaw'];
/** The catalog's "fix" column, where a row has one. */
const promisedFix = new Map([...catalogText.matchAll(/^\| `([a-z]+\.[a-z0-9-]+)` \|[^|]*\| (?:critical|high|medium|low) \| ([^|]*?) \|$/gm)].map((m) => [m[1]!, m[2]!]));

/** "guided…" and "provisioner" name themselves; any other text names what `doctor --fix` does. */
function fixKindOf(column: string): FixKind {
  if (/^guided\b/.test(column)) return 'guided';
  if (column === 'provisioner') return 'provisioner';
  return 'auto';
}

/** Where the code deliberately does less than the catalog's fix column: the column, the kind, and why. */
const FIX_KIND_EXCEPTIONS: Record<string, { column: string; kind: FixKind; because: RegExp }> = {
  'gateway.auth-token-strength': { column: 'rotate', kind: 'guided', because: /cuts off every client that holds the old one/ },
  'gateway.auth-token-age': { column: 'rotate', kind: 'guided', because: /cuts off every client that holds the old one/ },
};

test('the catalog parses: every promised id was read', () => {
  assert.ok(promised.length >= 35, `read ${promised.length} ids`);
});

test('every promised id of the implemented families is registered, with its severity', () => {
  for (const { id, severity } of promised.filter((p) => FAMILIES_HERE.includes(p.id.split('.')[0]!))) {
    const check = CHECKS.find((c) => c.id === id);
    assert.ok(check, `${id} is promised by the catalog but not registered`);
    assert.is(check!.severity, severity, id);
  }
});

test('every promised id of the implemented families has the fix kind the catalog\'s fix column names', () => {
  const rows = promised.filter((p) => FAMILIES_HERE.includes(p.id.split('.')[0]!) && promisedFix.has(p.id));
  assert.ok(rows.length >= 20, `read the fix column of ${rows.length} ids`);
  assert.ok(rows.some((p) => fixKindOf(promisedFix.get(p.id)!) === 'provisioner') && rows.some((p) => fixKindOf(promisedFix.get(p.id)!) === 'auto'));
  for (const { id } of rows) {
    const check = CHECKS.find((c) => c.id === id)!;
    const column = promisedFix.get(id)!;
    const exception = FIX_KIND_EXCEPTIONS[id];
    if (exception) {
      assert.is(column, exception.column, `${id}: the catalog changed; revisit the exception`);
      assert.is(check.fixKind, exception.kind, id);
      assert.match(check.fixSummary, exception.because, `${id}: docs/checks.md says why the fix is ${exception.kind}`);
      continue;
    }
    assert.is(check.fixKind, fixKindOf(column), `${id}: the catalog's fix is "${column}"`);
  }
});

test('no registered id in a promised family is missing from the catalog, and ids are unique', () => {
  const ids = CHECKS.map((c) => c.id);
  assert.is(new Set(ids).size, ids.length);
  for (const id of ids) assert.ok(promised.some((p) => p.id === id), `${id} is registered but not in the catalog`);
});

test('every check is well formed: profiles, rationale, runbook, fix summary; auto fixes have a fix()', () => {
  for (const check of CHECKS) {
    assert.ok(check.profiles.length > 0 && check.profiles.every((p) => PROFILES.includes(p)), check.id);
    assert.ok(check.profiles.includes('go-live') || check.profiles.includes('monitor'), `${check.id} belongs in go-live`);
    assert.ok(check.rationale.length > 20 && check.fixSummary.length > 5 && check.runbook.length > 0, check.id);
    if (check.fixKind === 'auto') assert.type(check.fix, 'function', check.id);
  }
});

test('docs/checks.md is generated from the registry (run `npm run docs` after changing a check)', () => {
  const docs = readFileSync(new URL('../../docs/checks.md', import.meta.url), 'utf8');
  assert.fixture(docs, renderCatalogDoc(CHECKS));
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type AnySchemaObject } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import { renderSarif, SARIF_SCHEMA_URI } from '../../../lib/report/sarif.js';
import { result, sampleReport } from './fixture.js';

// The SARIF 2.1.0 schema as Microsoft ships it in @microsoft/jest-sarif (rtm.5, the release the OASIS
// standard was cut from). It is written in draft-04, which Ajv 8 does not load: draft-04 differs from
// draft-07 only in `id` (now `$id`) and boolean exclusiveMinimum/Maximum, which this schema does not use.
const schemaPath = createRequire(import.meta.url).resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
const schemaText = readFileSync(schemaPath, 'utf8');
const { $schema: _draft04, id, ...rest } = JSON.parse(schemaText) as Record<string, unknown>;
const schema: AnySchemaObject = { $schema: 'http://json-schema.org/draft-07/schema#', $id: String(id), ...rest };

const addFormats = addFormatsPlugin as unknown as (ajv: Ajv) => Ajv;
// unicodeRegExp off: the schema's `language` pattern has a stray `]` that only non-unicode regexps accept.
const ajv = new Ajv({ allErrors: true, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(schema);

function sarif(report = sampleReport()): any {
  return JSON.parse(renderSarif(report));
}

function assertValid(log: unknown): void {
  const ok = validate(log);
  assert.ok(ok, ajv.errorsText(validate.errors, { separator: '\n' }));
}

test('the schema needs no draft-04-only keyword beyond `id`', () => {
  assert.not.match(schemaText, /"exclusiveM(in|ax)imum"\s*:\s*(true|false)/);
  assert.match(schemaText, /"version"/);
});

test('the sample report validates against the SARIF 2.1.0 schema', () => {
  assertValid(sarif());
});

test('the validator does catch an invalid log', () => {
  const log = sarif();
  log.runs[0].results[0].level = 'critical';
  assert.not.ok(validate(log));
  const noVersion = sarif();
  delete noVersion.version;
  assert.not.ok(validate(noVersion));
});

test('one run; $schema and version; driver name and version', () => {
  const log = sarif();
  assert.is(log.$schema, SARIF_SCHEMA_URI);
  assert.is(log.version, '2.1.0');
  assert.is(log.runs.length, 1);
  assert.is(log.runs[0].tool.driver.name, 'kafclaw-hardening');
  assert.is(log.runs[0].tool.driver.version, '0.1.0');
  assert.is(log.runs[0].properties.profile, 'doctor');
});

test('one rule per catalog entry, with descriptions, help, level and properties', () => {
  const rules = sarif().runs[0].tool.driver.rules;
  assert.equal(
    rules.map((r: any) => r.id),
    ['gateway.bind-loopback', 'secrets.file-permissions', 'host.patches', 'access.session-scope', 'monitor.auth-failures', 'tools.exec-restrict-workspace', 'backup.fresh'],
  );
  const bind = rules[0];
  assert.is(bind.name, 'GatewayBindLoopback');
  assert.is(bind.shortDescription.text, 'Gateway binds to loopback');
  assert.match(bind.fullDescription.text, /without a token/);
  assert.is(bind.help.text, 'bind to 127.0.0.1 when no token is set');
  assert.is(bind.defaultConfiguration.level, 'error');
  assert.is(bind.properties.severity, 'critical');
  assert.is(bind.properties.runbook, '§1.2');
  assert.is(rules[2].defaultConfiguration.level, 'warning', 'medium → warning');
});

test('results only for fail, warn and error; levels by status and severity; ruleIndex points at the rule', () => {
  const run = sarif().runs[0];
  const results = run.results;
  assert.equal(
    results.map((r: any) => [r.ruleId, r.level]),
    [
      ['gateway.bind-loopback', 'error'],
      ['secrets.file-permissions', 'error'],
      ['access.session-scope', 'warning'],
      ['host.patches', 'warning'],
      ['monitor.auth-failures', 'error'],
      ['backup.fresh', 'warning'],
    ],
  );
  for (const r of results) assert.is(run.tool.driver.rules[r.ruleIndex].id, r.ruleId);
  assert.is(results[0].message.text, 'gateway binds 0.0.0.0:18790 with no auth token');
});

test('a path subject is a file URI; another subject a logical location; none falls back to the host', () => {
  const results = sarif().runs[0].results;
  assert.is(results[1].locations[0].physicalLocation.artifactLocation.uri, 'file:///home/kaf%20claw/.kafclaw/config.json');
  assert.equal(results[0].locations[0].logicalLocations[0], { name: 'gateway.host', fullyQualifiedName: 'gw1:gateway.host' });
  assert.equal(results[4].locations[0].logicalLocations[0], { name: 'gw1', kind: 'host' });
  assert.is(results[5].properties.host, 'gw2');
});

test('a waived result is a suppression of kind external with the justification', () => {
  const waived = sarif().runs[0].results.find((r: any) => r.ruleId === 'host.patches');
  assert.equal(waived.suppressions, [
    { kind: 'external', status: 'accepted', justification: 'vendor kernel, patched monthly (owner ops@example.org, until 2026-12-31)' },
  ]);
  const others = sarif().runs[0].results.filter((r: any) => r.ruleId !== 'host.patches');
  assert.ok(others.every((r: any) => r.suppressions === undefined));
});

test('fingerprints are stable and tell subjects apart', () => {
  const a = sarif().runs[0].results;
  const b = sarif().runs[0].results;
  assert.equal(a.map((r: any) => r.partialFingerprints), b.map((r: any) => r.partialFingerprints));
  assert.is(new Set(a.map((r: any) => r.partialFingerprints['kafclawFinding/v1'])).size, a.length);
});

test('a result whose id is not in the catalog gets a rule of its own, and the log stays valid', () => {
  const report = sampleReport([
    result({ id: 'waiver.expired', status: 'fail', severity: 'high', title: 'Waiver expired', message: 'waiver for host.patches expired', subject: 'host.patches' }),
  ]);
  report.tool.informationUri = 'https://example.org/kafclaw-hardening';
  const log = sarif(report);
  assertValid(log);
  const rules = log.runs[0].tool.driver.rules;
  assert.is(rules.at(-1).id, 'waiver.expired');
  assert.is(log.runs[0].results[0].ruleIndex, rules.length - 1);
  assert.is(log.runs[0].tool.driver.informationUri, 'https://example.org/kafclaw-hardening');
});

test('an empty run and a run with odd subjects stay valid', () => {
  assertValid(sarif(sampleReport([])));
  const odd = sampleReport([
    result({ id: 'secrets.file-permissions', status: 'fail', subject: '/tmp/a b/#x?y%z\u00e9' }),
    result({ id: 'secrets.file-permissions', status: 'warn', subject: '' }),
  ]);
  const log = sarif(odd);
  assertValid(log);
  assert.is(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, 'file:///tmp/a%20b/%23x%3Fy%25z%C3%A9');
});

test.run();

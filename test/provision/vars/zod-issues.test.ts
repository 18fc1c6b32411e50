import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { z } from 'zod';
import { issuesToErrors, allowedKeysAt, describeValue } from '../../../provision/vars/zod-issues.js';
import { parseYamlSource } from '../../../provision/vars/yaml-source.js';
import { SourceError } from '../../../provision/vars/source-error.js';

const make = (message: string, where: ConstructorParameters<typeof SourceError>[1]) => new SourceError(message, where);

const schema = z.strictObject({
  name: z.string().min(1),
  port: z.number().int(),
  tags: z.array(z.string()).min(1),
  mode: z.enum(['a', 'b']).optional(),
  nested: z.strictObject({ on: z.boolean() }).optional(),
  map: z.record(z.string().regex(/^[A-Z]+$/, 'upper-case names only'), z.number()).optional(),
});

function errorsFor(text: string) {
  const source = parseYamlSource(text, 'f.yml', make);
  const parsed = schema.safeParse(source.value);
  assert.not.ok(parsed.success);
  return issuesToErrors(parsed.error!.issues, source, schema, make).map((e) => e.describeOne());
}

test('each issue kind becomes a positioned message that does not quote values', () => {
  assert.equal(errorsFor('name: ""\nport: "8080"\ntags: []\nmode: c\nnested: { on: "true", off: 1 }\nmap: { lower: 1 }\n'), [
    'f.yml:1:7: name: must not be empty',
    'f.yml:2:7: port: expected a number, got a quoted string that looks like a number: write the number without quotes (strings are not converted)',
    'f.yml:3:7: tags: the list is empty: it must hold at least 1 entry',
    'f.yml:4:7: mode: expected one of "a", "b", got a string',
    'f.yml:5:15: nested.on: expected true or false, got a quoted string that looks like a boolean: write true or false without quotes (strings are not converted)',
    'f.yml:5:23: nested.off: unknown key "off"; allowed keys here: on',
    'f.yml:6:8: map.lower: key "lower": upper-case names only',
  ]);
  assert.equal(errorsFor('port: 1\ntags: [x]\n'), ['f.yml:1:1: name: missing required key "name" (a string)']);
});

test('allowedKeysAt walks objects, arrays, records and optionals', () => {
  assert.equal(allowedKeysAt(schema, []), ['name', 'port', 'tags', 'mode', 'nested', 'map']);
  assert.equal(allowedKeysAt(schema, ['nested']), ['on']);
  assert.is(allowedKeysAt(schema, ['tags']), null);
  assert.is(allowedKeysAt(schema, ['missing']), null);
});

test('describeValue never shows the value', () => {
  assert.is(describeValue('CANARY-0123456789'), 'a string');
  assert.is(describeValue([]), 'an empty list');
  assert.is(describeValue({}), 'a mapping');
  assert.is(describeValue(null), 'null (an empty value)');
  assert.is(describeValue(3), 'a number');
});

test.run();

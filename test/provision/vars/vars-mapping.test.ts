import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { varsFromMapping } from '../../../provision/vars/vars-mapping.js';
import { parseYamlSource } from '../../../provision/vars/yaml-source.js';
import { SourceError } from '../../../provision/vars/source-error.js';

const make = (message: string, where: ConstructorParameters<typeof SourceError>[1]) => new SourceError(message, where);
const source = (text: string) => parseYamlSource(text, 'f.yml', make);

test('a vars mapping becomes a VarSource with per-name origins', () => {
  const { vars, errors } = varsFromMapping(source('play:\n  vars:\n    a: 1\n    b: [x]\n'), ['play', 'vars'], 'play', make);
  assert.equal(errors, []);
  assert.equal(vars.vars, { a: 1, b: ['x'] });
  assert.equal(vars.origin('b'), { layer: 'play', file: 'f.yml', line: 4, column: 5 });
  const group = varsFromMapping(source('vars:\n  a: 1\n'), ['vars'], 'group', make, 'web');
  assert.equal(group.vars.origin('a'), { layer: 'group', file: 'f.yml', line: 2, column: 3, group: 'web' });
});

test('missing or null mappings are empty; other shapes are errors', () => {
  assert.equal(varsFromMapping(source('x: 1\n'), ['vars'], 'play', make).vars.vars, {});
  assert.equal(varsFromMapping(source('vars:\n'), ['vars'], 'play', make).vars.vars, {});
  const list = varsFromMapping(source('vars: [a]\n'), ['vars'], 'play', make);
  assert.equal(list.errors.map((e) => [e.line, e.column, e.message]), [[1, 7, 'vars must be a mapping of variable names to values']]);
});

test('bad names, literal secrets and template syntax are reported with positions', () => {
  const { errors } = varsFromMapping(source('vars:\n  1bad: x\n  secrets: { gateway_token: CANARY-literal-0123 }\n  t: "{{ x | nope }}"\n'), ['vars'], 'play', make);
  assert.equal(errors.map((e) => [e.line, e.column, e.key]), [[2, 3, 'vars.1bad'], [3, 29, 'vars.secrets.gateway_token'], [4, 6, 'vars.t']]);
  assert.ok(errors.every((e) => !e.describe().includes('CANARY')));
});

test.run();

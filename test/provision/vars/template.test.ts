import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TemplateScope, TemplateError, render, parseTemplate, findTemplateErrors } from '../../../provision/vars/template.js';

const scope = new TemplateScope({
  port: 18790,
  name: 'kafclaw',
  remote: false,
  admins: [{ name: 'alice', keys: ['k1'] }, { name: 'bob', keys: ['k2'] }],
  secrets: { gateway_token: 'env:TOKEN' },
  greeting: 'hello {{ name }}',
  loop_a: '{{ loop_b }}',
  loop_b: '{{ loop_a }}',
  nothing: null,
});

function renderError(value: unknown, s = scope): string {
  try {
    render(value, s);
  } catch (error) {
    assert.instance(error, TemplateError);
    return (error as Error).message;
  }
  throw new Error('expected a TemplateError');
}

test('a whole-value expression keeps its type; inside text it is inserted', () => {
  assert.is(render('{{ port }}', scope), 18790);
  assert.is(render('{{ remote }}', scope), false);
  assert.equal(render('{{ admins }}', scope), [{ name: 'alice', keys: ['k1'] }, { name: 'bob', keys: ['k2'] }]);
  assert.is(render('port={{ port }} remote={{remote}}', scope), 'port=18790 remote=false');
  assert.is(render('no template', scope), 'no template');
});

test('paths, indices and quoted keys', () => {
  assert.is(render('{{ admins[1].name }}', scope), 'bob');
  assert.is(render('{{ admins.0.keys[0] }}', scope), 'k1');
  assert.is(render("{{ secrets['gateway_token'] }}", scope), 'env:TOKEN');
});

test('default() applies to undefined and null, at any depth', () => {
  assert.is(render("{{ missing | default('x') }}", scope), 'x');
  assert.is(render('{{ nothing | default(5) }}', scope), 5);
  assert.is(render('{{ secrets.provider_keys | default({}) }}', scope) as object instanceof Object, true);
  assert.equal(render('{{ secrets.provider_keys | default({}) }}', scope), {});
  assert.equal(render('{{ missing.deeper | default([]) }}', scope), []);
  assert.is(render('{{ port | default(1) }}', scope), 18790);
  assert.is(render('{{ missing | default(name) }}', scope), 'kafclaw');
});

test("map(attribute='name')", () => {
  assert.equal(render("{{ admins | map(attribute='name') }}", scope), ['alice', 'bob']);
  assert.match(renderError("{{ port | map(attribute='name') }}"), /not a list/);
  assert.match(renderError("{{ admins | map(attribute='uid') }}"), /element 0 of "admins" has no "uid"/);
});

test('variables holding templates render when used; cycles are errors', () => {
  assert.is(render('{{ greeting }}', scope), 'hello kafclaw');
  assert.match(renderError('{{ loop_a }}'), /refers to itself \(loop_a → loop_b → loop_a\)/);
});

test('undefined variables name the variable and what to do', () => {
  assert.match(renderError('{{ admins_typo }}'), /undefined variable "admins_typo"; set it in the inventory, the play vars or with -e admins_typo=VALUE/);
  assert.match(renderError('{{ secrets.other }}'), /"secrets.other" is not defined/);
});

test('a group the inventory lacks is named as such (groups is the inventory\'s, not a variable to set with -e)', () => {
  const withGroups = new TemplateScope({ groups: { all: ['a', 'b'], ungrouped: [], restore_test: ['b'] } });
  const message = renderError('{{ groups.gateway[0] }}', withGroups);
  assert.match(message, /the inventory has no group "gateway" \(its groups: restore_test\)/);
  assert.not.match(message, /-e groups=/);
  assert.is(render('{{ groups.restore_test[0] }}', withGroups), 'b');
  assert.match(renderError('{{ groups.restore_test[3] }}', withGroups), /"groups.restore_test\[3\]" is not defined/);
});

test('lists and mappings cannot be inserted into text', () => {
  assert.match(renderError('keys: {{ admins }}'), /is a list and cannot be inserted into text/);
});

test('literals, and {{ "{{" }} for a literal brace pair', () => {
  assert.is(render("{{ '{{' }} x }}", scope), '{{ x }}');
  assert.is(render('{{ true }}', scope), true);
  assert.equal(render('{{ [] }}', scope), []);
});

test('syntax errors: no code, only variables, default and map', () => {
  for (const bad of ['{{ port + 1 }}', '{{ name | upper }}', '{{ __import__("os") }}', '{{ name', '{{ }}']) {
    assert.throws(() => parseTemplate(bad), (error: unknown) => error instanceof TemplateError, bad);
  }
  assert.match(renderError('{{ name | upper }}'), /unknown filter "upper"/);
});

test('findTemplateErrors walks a value and reports key paths', () => {
  const found = findTemplateErrors({ a: ['ok {{ x }}', '{{ x | bad }}'], b: { c: '{{ 1 + }}' } });
  assert.equal(found.map((f) => f.path), [['a', 1], ['b', 'c']]);
});

test('render recurses into lists and mappings', () => {
  assert.equal(render({ a: ['{{ port }}', { b: '{{ name }}' }], n: 3 }, scope), { a: [18790, { b: 'kafclaw' }], n: 3 });
});

test('no prototype access: inherited properties are undefined', () => {
  assert.is(render("{{ name.constructor | default('none') }}", scope), 'none');
  assert.is(render("{{ admins.__proto__ | default('none') }}", scope), 'none');
  assert.match(renderError('{{ toString }}'), /undefined variable "toString"/);
});

test.run();

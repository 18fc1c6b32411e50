import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseWhen, parseCondition, evaluateCondition, WhenError } from '../../../provision/playbook/when.js';
import { TemplateScope } from '../../../provision/vars/template.js';

const scope = new TemplateScope({ remote: true, local: false, env: 'prod', port: 22, text_bool: 'false', nested: { on: true }, derived: '{{ local }}' });
const holds = (text: string | boolean | string[]) => evaluateCondition(parseWhen(text), scope);

test('booleans, not, and, or, parentheses', () => {
  assert.ok(holds('remote'));
  assert.not.ok(holds('local'));
  assert.ok(holds('not local'));
  assert.ok(holds('remote and not local'));
  assert.ok(holds('local or remote'));
  assert.not.ok(holds('not (local or remote)'));
  assert.ok(holds('nested.on'));
  assert.not.ok(holds('derived'));
  assert.ok(holds(true));
  assert.not.ok(holds(false));
});

test('comparisons and definedness', () => {
  assert.ok(holds("env == 'prod'"));
  assert.ok(holds('env != "dev"'));
  assert.ok(holds('port == 22'));
  assert.not.ok(holds("port == '22'"));
  assert.ok(holds('missing is not defined'));
  assert.ok(holds('remote is defined'));
  assert.ok(holds('nested.off is not defined'));
});

test('a list holds when every condition holds', () => {
  assert.ok(holds(['remote', "env == 'prod'"]));
  assert.not.ok(holds(['remote', 'local']));
});

test('a non-boolean used as a condition is an error, not truthiness', () => {
  assert.throws(() => holds('text_bool'), (error: unknown) => error instanceof WhenError && /"text_bool" must be true or false to be used as a condition, but it is a string/.test((error as Error).message));
  assert.throws(() => holds('port'), (error: unknown) => error instanceof WhenError && /a number/.test((error as Error).message));
  assert.throws(() => holds('missing'), (error: unknown) => error instanceof WhenError && /"missing" is not defined; set it or test it with "is defined"/.test((error as Error).message));
});

test('syntax errors', () => {
  for (const bad of ['remote and', 'remote ==', '(remote', 'remote is nice', 'a + b', '', 'remote remote']) {
    assert.throws(() => parseCondition(bad), (error: unknown) => error instanceof WhenError, bad);
  }
});

test.run();

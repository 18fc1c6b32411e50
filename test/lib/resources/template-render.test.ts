import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { renderTemplate } from '../../../lib/resources/template-render.js';

const test = suite('template-render');

test('variables, dotted paths and lists', () => {
  assert.is(renderTemplate('a={{a}} b={{ x.y }} l={{ l }}', { a: 1, x: { y: 'z' }, l: ['p', 'q'] }), 'a=1 b=z l=p q');
});

test('an undefined variable names the source, the line and the variable', () => {
  assert.throws(() => renderTemplate('ok\n{{ missing }}', {}, 'templates/x.conf'), /templates\/x\.conf:2: variable "missing" is not defined/);
});

test('an object value is refused; text without placeholders is unchanged', () => {
  assert.throws(() => renderTemplate('{{ o }}', { o: { a: 1 } }), /not a string, number or list/);
  assert.is(renderTemplate('{ not a placeholder }', {}), '{ not a placeholder }');
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseYamlSource } from '../../../provision/vars/yaml-source.js';
import { SourceError } from '../../../provision/vars/source-error.js';

const make = (message: string, where: ConstructorParameters<typeof SourceError>[1]) => new SourceError(message, where);

function failure(text: string): SourceError {
  try {
    parseYamlSource(text, 'f.yml', make);
  } catch (error) {
    assert.instance(error, SourceError);
    return error as SourceError;
  }
  throw new Error('expected an error');
}

test('duplicate keys are errors at the second key, all of them reported', () => {
  const error = failure('a: 1\nb:\n  c: 1\n  c: 2\nd: 1\nd: 2\n');
  assert.is(error.line, 4);
  assert.is(error.column, 3);
  assert.is(error.message, 'duplicate key "c": the same key appears twice in one mapping; keep one of them');
  assert.is(error.all.length, 2);
  assert.is(error.all[1]!.line, 6);
  assert.is(error.all[1]!.column, 1);
  assert.is(error.describe(), 'f.yml:4:3: duplicate key "c": the same key appears twice in one mapping; keep one of them\nf.yml:6:1: duplicate key "d": the same key appears twice in one mapping; keep one of them');
});

test('duplicate keys with empty values are placed at the second key', () => {
  const error = failure('all:\n  hosts:\n    h1:\n    h1:\n');
  assert.equal([error.line, error.column], [4, 5]);
});

test('unknown tags and syntax errors carry positions', () => {
  const tag = failure('a: !vault |\n  xyz\n');
  assert.is(tag.line, 1);
  assert.is(tag.column, 4);
  assert.match(tag.message, /custom YAML tags are not supported/);
  const syntax = failure('a: [1, 2\nb: 3\n');
  assert.match(syntax.message, /^YAML syntax error/);
  assert.ok(syntax.line !== undefined);
});

test('where() points at values, keys, and falls back to the nearest ancestor', () => {
  const source = parseYamlSource('top:\n  list:\n    - x\n    - name: y\n      port: 22\n', 'f.yml', make);
  assert.equal(source.where(['top', 'list', 1, 'port']), { file: 'f.yml', key: 'top.list[1].port', line: 5, column: 13 });
  assert.equal(source.where(['top', 'list', 1, 'port'], 'key'), { file: 'f.yml', key: 'top.list[1].port', line: 5, column: 7 });
  assert.equal(source.where(['top', 'list', 0]), { file: 'f.yml', key: 'top.list[0]', line: 3, column: 7 });
  assert.equal(source.where(['top', 'list', 1, 'missing']), { file: 'f.yml', key: 'top.list[1].missing', line: 4, column: 7 });
});

test('YAML 1.2: yes/no stay strings, 0640 is decimal', () => {
  const source = parseYamlSource('a: yes\nb: 0640\nc: 0o640\n', 'f.yml', make);
  assert.equal(source.value, { a: 'yes', b: 640, c: 416 });
});

test('merge keys (<<: *anchor) work as Ansible reads them; own keys win', () => {
  const source = parseYamlSource('base: &base\n  ansible_user: deploy\n  port: 22\nhost:\n  <<: *base\n  port: 2222\n', 'f.yml', make);
  assert.equal(source.value, { base: { ansible_user: 'deploy', port: 22 }, host: { ansible_user: 'deploy', port: 2222 } });
});

test.run();

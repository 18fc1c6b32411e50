import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readConfigTree, deepMerge, fileProvidingKey, ConfigError } from '../../../lib/config/index.js';

function reader(files: Record<string, string>) {
  return async (path: string) => (path in files ? Buffer.from(files[path]!) : null);
}

test('deepMerge: objects merge, arrays and scalars replace, __proto__ stays a plain key', () => {
  const target = { a: { b: 1, c: [1, 2] }, d: 'x' };
  deepMerge(target, JSON.parse('{"a": {"c": [3], "e": true}, "d": {"f": 1}, "__proto__": {"polluted": true}}'));
  assert.equal(target, JSON.parse('{"a": {"b": 1, "c": [3], "e": true}, "d": {"f": 1}, "__proto__": {"polluted": true}}'));
  assert.is(({} as Record<string, unknown>).polluted, undefined);
});

test('includes: nested, relative to the including file, absolute paths, blank entries skipped', async () => {
  const tree = await readConfigTree(
    '/c/config.json',
    reader({
      '/c/config.json': '{"$include": ["parts/a.json", "", "/abs/b.json"], "x": 1}',
      '/c/parts/a.json': '{"$include": "deeper.json", "x": 0, "y": "a"}',
      '/c/parts/deeper.json': '{"z": "deep", "y": "deep"}',
      '/abs/b.json': '{"y": "b"}',
    }),
  );
  assert.ok(tree);
  assert.equal(tree.object, { z: 'deep', y: 'b', x: 1 });
  assert.equal(tree.includes, ['/c/parts/a.json', '/c/parts/deeper.json', '/abs/b.json']);
  assert.is(fileProvidingKey(tree, ['z']), '/c/parts/deeper.json');
  assert.is(fileProvidingKey(tree, ['y']), '/abs/b.json');
  assert.is(fileProvidingKey(tree, ['x']), '/c/config.json');
  assert.is(fileProvidingKey(tree, ['absent']), null);
});

test('missing root is null; missing include, bad $include and cycles are ConfigErrors', async () => {
  assert.is(await readConfigTree('/none.json', reader({})), null);
  const cases: [Record<string, string>, RegExp][] = [
    [{ '/c.json': '{"$include": "gone.json"}' }, /gone\.json does not exist/],
    [{ '/c.json': '{"$include": 5}' }, /string or an array/],
    [{ '/c.json': '{"$include": ["a.json", 1]}', '/a.json': '{}' }, /must be strings/],
    [{ '/c.json': '{"$include": "c.json"}' }, /cycle: \/c\.json -> \/c\.json/],
  ];
  for (const [files, message] of cases) {
    try {
      await readConfigTree('/c.json', reader(files));
      assert.unreachable();
    } catch (error) {
      assert.instance(error, ConfigError);
      assert.match((error as Error).message, message);
    }
  }
});

test('a syntax error in an included file names that file', async () => {
  try {
    await readConfigTree('/c.json', reader({ '/c.json': '{"$include": "bad.json"}', '/bad.json': '{\n  "a": 1,\n}' }));
    assert.unreachable();
  } catch (error) {
    assert.instance(error, ConfigError);
    assert.is((error as ConfigError).path, '/bad.json');
    assert.is((error as ConfigError).line, 3);
  }
});

test('unreadable files become ConfigErrors that say what to do', async () => {
  try {
    await readConfigTree('/c.json', async () => {
      throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    });
    assert.unreachable();
  } catch (error) {
    assert.instance(error, ConfigError);
    assert.match((error as Error).message, /permission denied; run as the file owner or with sudo/);
  }
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listDirTool } from '../../../runtime/tools/list-dir.js';
import { DEFAULT_TOOL_LIMITS } from '../../../runtime/settings.js';
import { tempDir } from '../fixtures.js';

test('lists sorted entries with / for directories and @ for symlinks; default is the workspace root', () => {
  const dir = tempDir();
  try {
    const workspace = join(dir.path, 'ws');
    mkdirSync(join(workspace, 'src'), { recursive: true });
    writeFileSync(join(workspace, 'b.txt'), '');
    writeFileSync(join(workspace, 'src', 'a.ts'), '');
    symlinkSync('/etc', join(workspace, 'etc-link'));
    const context = { workspace, limits: DEFAULT_TOOL_LIMITS, env: {} };
    assert.is(listDirTool(context, {}).output, 'b.txt\netc-link@\nsrc/');
    assert.is(listDirTool(context, { path: 'src' }).output, 'a.ts');
    const outside = listDirTool(context, { path: 'etc-link' });
    assert.equal([outside.status, outside.error], ['failed', 'path resolves outside the workspace']);
    assert.match(listDirTool(context, { path: '..' }).error!, 'outside the workspace');
    assert.is(listDirTool(context, { path: 'b.txt' }).error, 'b.txt: not a directory');
    assert.is(listDirTool(context, { path: 'missing' }).error, 'missing: no such directory');
  } finally {
    dir.remove();
  }
});

test('at most listMaxEntries entries, with a count of the rest', () => {
  const dir = tempDir();
  try {
    for (let i = 0; i < 12; i++) writeFileSync(join(dir.path, `f${String(i).padStart(2, '0')}`), '');
    const result = listDirTool({ workspace: dir.path, limits: { ...DEFAULT_TOOL_LIMITS, listMaxEntries: 5 }, env: {} }, { path: '.' });
    assert.is(result.output, 'f00\nf01\nf02\nf03\nf04\n(7 more entries not listed)');
    assert.ok(result.truncated);
  } finally {
    dir.remove();
  }
});

test.run();

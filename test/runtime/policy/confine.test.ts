import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { confineToWorkspace, isInside } from '../../../runtime/policy/confine.js';
import { tempDir } from '../fixtures.js';

function layout() {
  const dir = tempDir();
  const root = realpathSync(dir.path);
  const workspace = join(root, 'workspace');
  mkdirSync(join(workspace, 'src'), { recursive: true });
  mkdirSync(join(root, 'workspace-evil'));
  mkdirSync(join(root, 'outside'));
  writeFileSync(join(workspace, 'src', 'a.txt'), 'a');
  writeFileSync(join(root, 'outside', 'secret.txt'), 's');
  symlinkSync(join(root, 'outside'), join(workspace, 'escape'));
  symlinkSync(join(root, 'outside', 'secret.txt'), join(workspace, 'secret-link'));
  symlinkSync(join(workspace, 'src'), join(workspace, 'inner-link'));
  symlinkSync(workspace, join(root, 'workspace-link'));
  return { dir, root, workspace };
}

test('paths inside the workspace are allowed, including files not written yet and inner symlinks', () => {
  const { dir, workspace } = layout();
  try {
    assert.equal(confineToWorkspace(workspace, 'src/a.txt'), { ok: true, path: join(workspace, 'src', 'a.txt') });
    assert.equal(confineToWorkspace(workspace, 'src/new/file.txt'), { ok: true, path: join(workspace, 'src', 'new', 'file.txt') });
    assert.equal(confineToWorkspace(workspace, 'inner-link/a.txt'), { ok: true, path: join(workspace, 'src', 'a.txt') });
    assert.equal(confineToWorkspace(workspace, 'src/../src/a.txt'), { ok: true, path: join(workspace, 'src', 'a.txt') });
    assert.ok(confineToWorkspace(workspace, '.').ok);
    assert.ok(confineToWorkspace(join(workspace, '..', 'workspace-link'), 'src/a.txt').ok, 'a workspace reached through a symlink');
  } finally {
    dir.remove();
  }
});

test('escapes are refused: .., absolute paths, symlinks out, sibling prefixes, NUL', () => {
  const { dir, root, workspace } = layout();
  try {
    const outside = { ok: false, reason: 'path resolves outside the workspace' };
    assert.equal(confineToWorkspace(workspace, '../outside/secret.txt'), outside);
    assert.equal(confineToWorkspace(workspace, 'src/../../outside'), outside);
    assert.equal(confineToWorkspace(workspace, '/etc/passwd'), outside);
    assert.equal(confineToWorkspace(workspace, join(root, 'outside', 'secret.txt')), outside);
    assert.equal(confineToWorkspace(workspace, 'escape/secret.txt'), outside, 'directory symlink out');
    assert.equal(confineToWorkspace(workspace, 'escape/not-yet.txt'), outside, 'new file behind a symlink out');
    assert.equal(confineToWorkspace(workspace, 'secret-link'), outside, 'file symlink out');
    assert.equal(confineToWorkspace(workspace, join(root, 'workspace-evil', 'x')), outside, 'a sibling sharing the prefix');
    assert.equal(confineToWorkspace(workspace, 'src/a.txt\0.png'), { ok: false, reason: 'path contains a NUL byte' });
    assert.not.ok(confineToWorkspace(join(root, 'missing'), 'x').ok);
  } finally {
    dir.remove();
  }
});

test('isInside compares components, not prefixes', () => {
  assert.ok(isInside('/w', '/w'));
  assert.ok(isInside('/w', '/w/a/b'));
  assert.ok(isInside('/w', '/w/..hidden'));
  assert.not.ok(isInside('/w', '/w-evil'));
  assert.not.ok(isInside('/w', '/'));
});

test.run();

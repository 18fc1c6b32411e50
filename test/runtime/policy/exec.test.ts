import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkExec } from '../../../runtime/policy/exec.js';
import { tempDir } from '../fixtures.js';

function layout() {
  const dir = tempDir();
  const root = realpathSync(dir.path);
  const workspace = join(root, 'workspace');
  mkdirSync(join(workspace, 'src'), { recursive: true });
  writeFileSync(join(workspace, 'src', 'a.txt'), 'a');
  mkdirSync(join(root, 'outside'));
  symlinkSync(join(root, 'outside'), join(workspace, 'escape'));
  symlinkSync('/etc/passwd', join(workspace, 'pw'));
  return { dir, root, workspace };
}

test('allowed programs with workspace paths pass; the working directory is resolved', () => {
  const { dir, workspace } = layout();
  try {
    assert.equal(checkExec(workspace, ['cat', 'src/a.txt']), { ok: true, cwd: workspace });
    assert.equal(checkExec(workspace, ['grep', '-n', 'needle', 'a.txt'], 'src'), { ok: true, cwd: join(workspace, 'src') });
    assert.ok(checkExec(workspace, ['git', 'log', '--oneline', '-5']).ok);
    assert.ok(checkExec(workspace, ['rg', '--glob=src/*.txt', 'x']).ok);
  } finally {
    dir.remove();
  }
});

test('escapes are refused: absolute paths, .., symlinks, working directory, options carrying paths, ~', () => {
  const { dir, root, workspace } = layout();
  try {
    const refused = (argv: string[], cwd?: string) => {
      const result = checkExec(workspace, argv, cwd);
      assert.not.ok(result.ok, JSON.stringify(argv));
      return (result as { reason: string }).reason;
    };
    assert.match(refused(['cat', '/etc/passwd']), 'outside the workspace');
    assert.match(refused(['cat', '../outside/x']), 'outside the workspace');
    assert.match(refused(['cat', 'escape/x']), 'outside the workspace');
    assert.match(refused(['cat', 'pw']), 'outside the workspace');
    assert.match(refused(['ls'], '..'), 'working directory');
    assert.match(refused(['ls'], join(root, 'outside')), 'working directory');
    assert.match(refused(['grep', '--file=/etc/shadow', 'x']), 'outside the workspace');
    assert.match(refused(['grep', '-f/etc/shadow', 'x']), 'carries a path');
    assert.match(refused(['cat', '~/.ssh/id_ed25519']), 'home-relative');
    assert.match(refused(['sh', '-c', 'cat /etc/passwd']), 'not in the exec allow-list');
    assert.match(refused(['/bin/cat', 'src/a.txt']), 'not in the exec allow-list');
    assert.match(refused([]), 'empty command');
  } finally {
    dir.remove();
  }
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readFileTool } from '../../../runtime/tools/read-file.js';
import { DEFAULT_TOOL_LIMITS } from '../../../runtime/settings.js';
import { tempDir } from '../fixtures.js';

function withWorkspace(run: (workspace: string, outside: string) => void): void {
  const dir = tempDir();
  const workspace = join(dir.path, 'workspace');
  const outside = join(dir.path, 'outside');
  mkdirSync(workspace);
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.txt'), 'outside the workspace');
  try {
    run(workspace, outside);
  } finally {
    dir.remove();
  }
}

const context = (workspace: string, limits = {}) => ({ workspace, limits: { ...DEFAULT_TOOL_LIMITS, ...limits }, env: {} });

test('reads a file inside the workspace, relative or absolute', () => {
  withWorkspace((workspace) => {
    mkdirSync(join(workspace, 'docs'));
    writeFileSync(join(workspace, 'docs', 'notes.txt'), 'hello\nworld\n');
    const relative = readFileTool(context(workspace), { path: 'docs/notes.txt' });
    assert.equal([relative.status, relative.output, relative.truncated], ['ok', 'hello\nworld\n', false]);
    assert.is(readFileTool(context(workspace), { path: join(workspace, 'docs/../docs/notes.txt') }).output, 'hello\nworld\n');
  });
});

test('refuses .., absolute paths and symlinks that lead outside, and a workspace-evil sibling', () => {
  withWorkspace((workspace, outside) => {
    symlinkSync(join(outside, 'secret.txt'), join(workspace, 'link.txt'));
    symlinkSync(outside, join(workspace, 'dirlink'));
    mkdirSync(`${workspace}-evil`);
    writeFileSync(`${workspace}-evil/x`, 'x');
    for (const path of ['../outside/secret.txt', join(outside, 'secret.txt'), 'link.txt', 'dirlink/secret.txt', `${workspace}-evil/x`, '/etc/passwd']) {
      const result = readFileTool(context(workspace), { path });
      assert.is(result.status, 'failed', path);
      assert.match(result.error!, 'outside the workspace', path);
      assert.is(result.output, '');
    }
  });
});

test('a symlink that stays inside is followed', () => {
  withWorkspace((workspace) => {
    writeFileSync(join(workspace, 'real.txt'), 'inside');
    symlinkSync(join(workspace, 'real.txt'), join(workspace, 'alias.txt'));
    assert.is(readFileTool(context(workspace), { path: 'alias.txt' }).output, 'inside');
  });
});

test('output is capped at readMaxBytes and marked truncated; binary files are not shown', () => {
  withWorkspace((workspace) => {
    writeFileSync(join(workspace, 'big.txt'), 'a'.repeat(10_000));
    const result = readFileTool(context(workspace, { readMaxBytes: 100 }), { path: 'big.txt' });
    assert.equal([result.status, result.output.length, result.truncated], ['ok', 100, true]);
    const capped = readFileTool(context(workspace, { maxOutputBytes: 50 }), { path: 'big.txt' });
    assert.equal([capped.output.length, capped.truncated], [50, true]);
    writeFileSync(join(workspace, 'blob.bin'), Buffer.from([1, 0, 2, 3]));
    assert.is(readFileTool(context(workspace), { path: 'blob.bin' }).output, '(binary file, 4 bytes; not shown)');
  });
});

test('missing files, directories, FIFOs and bad arguments fail with what went wrong', () => {
  withWorkspace((workspace) => {
    mkdirSync(join(workspace, 'sub'));
    execFileSync('mkfifo', [join(workspace, 'pipe')]);
    assert.is(readFileTool(context(workspace), { path: 'nope.txt' }).error, 'nope.txt: no such file');
    assert.is(readFileTool(context(workspace), { path: 'sub' }).error, 'sub: not a regular file');
    assert.is(readFileTool(context(workspace), { path: 'pipe' }).error, 'pipe: not a regular file', 'a FIFO does not block the gateway');
    assert.is(readFileTool(context(workspace), { path: 7 }).error, 'read_file needs a path (a string)');
  });
});

test('secrets in a file are redacted before they leave the tool', () => {
  withWorkspace((workspace) => {
    writeFileSync(join(workspace, '.env'), 'OPENAI_API_KEY=sk-proj-abcdefghijklmnopqrstuv\nDEBUG=1\n');
    assert.is(readFileTool(context(workspace), { path: '.env' }).output, 'OPENAI_API_KEY=(secret)\nDEBUG=1\n');
  });
});

test.run();

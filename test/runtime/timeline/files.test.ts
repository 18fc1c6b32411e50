import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateDir, ensurePrivateFile } from '../../../runtime/timeline/files.js';
import { tempDir } from '../fixtures.js';

test('creates a 0700 directory and a 0600 file, and tightens existing ones', () => {
  const dir = tempDir();
  try {
    const state = join(dir.path, 'a', 'b');
    ensurePrivateDir(state);
    assert.is(statSync(state).mode & 0o777, 0o700);
    const file = join(state, 'timeline.db');
    ensurePrivateFile(file);
    assert.is(statSync(file).mode & 0o777, 0o600);
    writeFileSync(`${file}-wal`, '');
    chmodSync(`${file}-wal`, 0o664);
    chmodSync(state, 0o775);
    ensurePrivateDir(state);
    ensurePrivateFile(file);
    assert.is(statSync(state).mode & 0o777, 0o700);
    assert.is(statSync(`${file}-wal`).mode & 0o777, 0o600);
  } finally {
    dir.remove();
  }
});

test('a state path that is a file is refused with what to do', () => {
  const dir = tempDir();
  try {
    const path = join(dir.path, 'file');
    writeFileSync(path, '');
    assert.throws(() => ensurePrivateDir(path), /file is not a directory: point the gateway state directory/);
  } finally {
    dir.remove();
  }
});

test.run();

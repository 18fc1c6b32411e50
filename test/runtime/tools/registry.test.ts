import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { executeTool, isBuiltInTool, toolDeclarations } from '../../../runtime/tools/registry.js';
import { DEFAULT_TOOL_LIMITS } from '../../../runtime/settings.js';
import { tempDir } from '../fixtures.js';

test('the built-in tools are read_file, list_dir and exec, declared with JSON schemas', () => {
  const names = toolDeclarations().map((d) => (d as { function: { name: string } }).function.name);
  assert.equal(names, ['read_file', 'list_dir', 'exec']);
  const exec = toolDeclarations()[2] as { type: string; function: { parameters: { required: string[] } } };
  assert.is(exec.type, 'function');
  assert.equal(exec.function.parameters.required, ['argv']);
  assert.ok(isBuiltInTool('exec'));
  assert.not.ok(isBuiltInTool('write_file'));
  assert.not.ok(isBuiltInTool('__proto__'));
});

test('executeTool runs a built-in and refuses anything else as unavailable', async () => {
  const dir = tempDir();
  try {
    writeFileSync(join(dir.path, 'a.txt'), 'A');
    const context = { workspace: dir.path, limits: DEFAULT_TOOL_LIMITS, env: {} };
    assert.is((await executeTool(context, 'read_file', { path: 'a.txt' })).output, 'A');
    const write = await executeTool(context, 'write_file', { path: 'b.txt' });
    assert.equal([write.status, write.error], ['failed', 'write_file is not available in this gateway']);
    assert.is((await executeTool(context, 'constructor', {})).status, 'failed');
  } finally {
    dir.remove();
  }
});

test.run();

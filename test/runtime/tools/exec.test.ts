import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Secret } from '../../../lib/secrets/index.js';
import { execTool } from '../../../runtime/tools/exec.js';
import { DEFAULT_TOOL_LIMITS } from '../../../runtime/settings.js';
import type { ToolLimits } from '../../../runtime/settings.js';
import { tempDir } from '../fixtures.js';

async function withWorkspace(run: (workspace: string, outside: string) => Promise<void>): Promise<void> {
  const dir = tempDir();
  const workspace = join(dir.path, 'workspace');
  const outside = join(dir.path, 'outside');
  mkdirSync(join(workspace, 'sub'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.txt'), 'outside');
  try {
    await run(workspace, outside);
  } finally {
    dir.remove();
  }
}

const context = (workspace: string, limits: Partial<ToolLimits> = {}, env: NodeJS.ProcessEnv = process.env) => ({
  workspace, limits: { ...DEFAULT_TOOL_LIMITS, ...limits }, env,
});

test('runs an allow-listed program in the workspace: cwd is the workspace or working_dir inside it', async () => {
  await withWorkspace(async (workspace) => {
    writeFileSync(join(workspace, 'notes.txt'), 'one\ntwo\n');
    const cat = await execTool(context(workspace), { argv: ['cat', 'notes.txt'] });
    assert.equal([cat.status, cat.output, cat.exitCode], ['ok', 'one\ntwo\n', 0]);
    const pwd = await execTool(context(workspace), { argv: ['pwd'], working_dir: 'sub' });
    assert.is(pwd.output.trim(), join(workspace, 'sub'));
    const wc = await execTool(context(workspace), { argv: ['wc', '-l', 'notes.txt'] });
    assert.match(wc.output, /^\s*2 notes\.txt/);
  });
});

test('refused before anything runs: programs off the allow-list, paths outside (.., absolute, symlink), bad argv', async () => {
  await withWorkspace(async (workspace, outside) => {
    symlinkSync(outside, join(workspace, 'out'));
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ argv: ['sh', '-c', 'id'] }, 'not in the exec allow-list'],
      [{ argv: ['cat', join(outside, 'secret.txt')] }, 'outside the workspace'],
      [{ argv: ['cat', '../outside/secret.txt'] }, 'outside the workspace'],
      [{ argv: ['cat', 'out/secret.txt'] }, 'outside the workspace'],
      [{ argv: ['ls'], working_dir: '..' }, 'working directory'],
      [{ argv: ['grep', '-r', 'x', '--include=/etc/passwd'] }, 'outside the workspace'],
      [{ argv: [] }, 'needs argv'],
      [{ command: 'ls' }, 'needs argv'],
      [{ argv: ['ls', 3] }, 'needs argv'],
    ];
    for (const [args, reason] of cases) {
      const result = await execTool(context(workspace), args);
      assert.is(result.status, 'failed', JSON.stringify(args));
      assert.match(result.error!, reason, JSON.stringify(args));
      assert.is(result.output, '');
    }
  });
});

test('a non-zero exit is failed with the code and stderr; a hung program is killed at the timeout', async () => {
  await withWorkspace(async (workspace) => {
    const missing = await execTool(context(workspace), { argv: ['cat', 'nope.txt'] });
    assert.equal([missing.status, missing.exitCode, missing.error], ['failed', 1, 'exit code 1']);
    assert.match(missing.output, /^STDERR:\n.*nope\.txt/);
    writeFileSync(join(workspace, 'log.txt'), 'line\n');
    const started = Date.now();
    const hung = await execTool(context(workspace, { execTimeoutMs: 300 }), { argv: ['tail', '-f', 'log.txt'] });
    assert.equal([hung.status, hung.error, hung.output], ['timed_out', 'killed after 300 ms', 'line\n']);
    assert.ok(Date.now() - started < 4000);
  });
});

test('output is capped and marked truncated', async () => {
  await withWorkspace(async (workspace) => {
    writeFileSync(join(workspace, 'big.txt'), 'y'.repeat(200_000));
    const result = await execTool(context(workspace, { maxOutputBytes: 1000 }), { argv: ['cat', 'big.txt'] });
    assert.equal([result.status, result.output.length, result.truncated], ['ok', 1000, true]);
  });
});

test('secret values are redacted from output, and nothing expands variables in argv', async () => {
  await withWorkspace(async (workspace) => {
    const token = new Secret('gw-token-7Hq2Lp9Xz4Vb1Nc8', 'env:KAFCLAW_GATEWAY_AUTH_TOKEN');
    const env = { ...process.env, KAFCLAW_GATEWAY_AUTH_TOKEN: token.reveal(), OPENAI_API_KEY: 'sk-proj-envleak0123456789' };
    writeFileSync(join(workspace, 'leak.txt'), `token ${token.reveal()}\n`);
    const cat = await execTool(context(workspace, {}, env), { argv: ['cat', 'leak.txt'] });
    assert.is(cat.output, 'token (secret)\n');
    const echo = await execTool(context(workspace, {}, env), { argv: ['echo', '$OPENAI_API_KEY', '${KAFCLAW_GATEWAY_AUTH_TOKEN}'] });
    assert.is(echo.output, '$OPENAI_API_KEY ${KAFCLAW_GATEWAY_AUTH_TOKEN}\n', 'no shell expands them');
  });
});

test.run();

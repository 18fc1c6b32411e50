import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseExtraVar, parseExtraVars, ExtraVarsError } from '../../../provision/vars/extra-vars.js';

let dir = '';
test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kafclaw-extra-vars-'));
});
test.after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function failure(argument: string): Promise<ExtraVarsError> {
  try {
    await parseExtraVar(argument, 0, dir);
  } catch (error) {
    assert.instance(error, ExtraVarsError);
    return error as ExtraVarsError;
  }
  throw new Error('expected an ExtraVarsError');
}

test('KEY=VALUE reads VALUE as a YAML flow value; quotes keep strings', async () => {
  const [a, b, c, d, e] = await parseExtraVars(['gateway_remote=true', 'gateway_port=18800', 'ssh_allow_from=[10.0.0.0/8, "::/0"]', 'name="22"', 'empty='], dir);
  assert.equal(a!.vars, { gateway_remote: true });
  assert.equal(b!.vars, { gateway_port: 18800 });
  assert.equal(c!.vars, { ssh_allow_from: ['10.0.0.0/8', '::/0'] });
  assert.equal(d!.vars, { name: '22' });
  assert.equal(e!.vars, { empty: '' });
  assert.is(a!.layer, 'extra');
  assert.equal(a!.origin('gateway_remote'), { layer: 'extra', file: '-e #1' });
});

test('@FILE: a YAML mapping with positions in its origins', async () => {
  await writeFile(join(dir, 'extra.yml'), 'gateway_remote: true\nadmins:\n  - name: alice\n    keys: [k]\n');
  const source = await parseExtraVar('@extra.yml', 0, dir);
  assert.equal(source.vars, { gateway_remote: true, admins: [{ name: 'alice', keys: ['k'] }] });
  assert.equal(source.origin('admins'), { layer: 'extra', file: join(dir, 'extra.yml'), line: 2, column: 1 });
});

test('@FILE errors: missing file, not a mapping, duplicate keys, literal secrets with line and column', async () => {
  assert.match((await failure('@nope.yml')).message, /cannot read the extra-vars file \(ENOENT\)/);
  await writeFile(join(dir, 'list.yml'), '- a\n');
  assert.match((await failure('@list.yml')).message, /must be a mapping/);
  await writeFile(join(dir, 'dup.yml'), 'a: 1\na: 2\n');
  const dup = await failure('@dup.yml');
  assert.equal([dup.line, dup.column], [2, 1]);
  await writeFile(join(dir, 'literal.yml'), 'secrets:\n  gateway_token: CANARY-extra-0123456789\n');
  const literal = await failure('@literal.yml');
  assert.equal([literal.line, literal.column, literal.key], [2, 18, 'secrets.gateway_token']);
  assert.match(literal.message, /not allowed as a literal/);
  assert.not.match(literal.describe(), /CANARY/);
});

test('KEY=VALUE: a literal secret is refused without echoing it; bad forms are explained', async () => {
  const error = await failure('secrets={gateway_token: CANARY-kv-0123456789}');
  assert.match(error.message, /not allowed as a literal/);
  assert.not.match(error.describe(), /CANARY/);
  const become = await failure('ansible_become_password=CANARY-become-0123456789');
  assert.is(become.key, 'ansible_become_password');
  assert.not.match(become.describe(), /CANARY/);
  assert.match((await failure('not a pair')).message, /expected KEY=VALUE, @FILE or a \{…\} mapping/);
  assert.equal((await parseExtraVar('{a: 1, b: [x]}', 0, dir)).vars, { a: 1, b: ['x'] });
});

test.run();

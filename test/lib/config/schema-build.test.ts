import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildConfigSchema } from '../../../lib/config/schema-build.js';
import { Secret } from '../../../lib/secrets/index.js';
import { DEFAULT_WORKSPACE } from '../../../lib/config/schema.js';

test('issues carry the English messages full zod gives (zod/mini has none of its own)', () => {
  const result = buildConfigSchema(Secret, DEFAULT_WORKSPACE).safeParse({ gateway: { port: 1e300 } }, { jitless: true });
  assert.not.ok(result.success);
  assert.equal(result.error?.issues[0]?.path, ['gateway', 'port']);
  assert.is(result.error?.issues[0]?.message, 'Too big: expected int to be <=9007199254740991');
});

test('a jitless parse gives what a compiled parse gives: defaults, prefaults, kept keys, Secrets', () => {
  const schema = buildConfigSchema(Secret, DEFAULT_WORKSPACE);
  const input = { extra: { a: 1 }, agents: { defaults: { subagents: { model: 'm' } } }, er1: { apiKey: 'k' } };
  const jitless = schema.parse(input, { jitless: true });
  const compiled = schema.parse(input);
  assert.equal(jitless.extra, { a: 1 });
  assert.is(jitless.agents?.defaults?.subagents?.model, 'm');
  assert.is(jitless.agents?.defaults?.subagents?.maxConcurrent, 8);
  assert.ok(jitless.er1.apiKey instanceof Secret);
  assert.is(jitless.er1.apiKey.reveal(), 'k');
  assert.is(jitless.kafgraph.syncInterval, 300e9);
  assert.equal(JSON.stringify(jitless), JSON.stringify(compiled));
});

test.run();

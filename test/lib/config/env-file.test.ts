import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseEnvFile, parseEnvFileEntries, envFileCandidates, layerEnvFiles } from '../../../lib/config/index.js';

const TEXT = [
  '# comment',
  '',
  'export A=1',
  '  B = two words  ',
  'C="double"',
  "D='single'",
  'E="mismatched\'',
  'F=x # not a comment',
  'G=',
  '=novalue',
  'no equals sign',
  'A=second',
  '__proto__=x',
  'H="',
].join('\r\n');

test('KafClaw env file syntax: export, comments, one layer of matching quotes, first definition wins', () => {
  const values = parseEnvFile(TEXT);
  assert.is(values.A, '1');
  assert.is(values.B, 'two words');
  assert.is(values.C, 'double');
  assert.is(values.D, 'single');
  assert.is(values.E, '"mismatched\'');
  assert.is(values.F, 'x # not a comment');
  assert.is(values.G, '');
  assert.is(values.H, '"');
  assert.ok(Object.hasOwn(values, '__proto__'));
  assert.is(Object.getPrototypeOf(values), Object.prototype);
  assert.equal(parseEnvFileEntries(TEXT).filter((e) => e.name === 'A').map((e) => [e.value, e.line]), [['1', 3], ['second', 12]]);
});

test('candidates: KAFCLAW_ENV_FILE first (relative to cwd), then HOME-based files, no duplicates', () => {
  assert.equal(envFileCandidates({ KAFCLAW_ENV_FILE: 'my.env' }, '/h', '/work'), [
    '/work/my.env',
    '/h/.config/kafclaw/env',
    '/h/.kafclaw/env',
    '/h/.kafclaw/.env',
  ]);
  assert.equal(envFileCandidates({ KAFCLAW_ENV_FILE: '/h/.kafclaw/env' }, '/h', '/'), ['/h/.kafclaw/env', '/h/.config/kafclaw/env', '/h/.kafclaw/.env']);
  assert.equal(envFileCandidates({}, undefined, '/'), []);
});

test('layering: process env first, then the first file that defines a name', () => {
  const layered = layerEnvFiles({ A: 'process', B: '' }, [
    { path: '/one', text: 'A=one\nB=one\nC=one\n' },
    { path: '/two', text: 'C=two\nD=two\n' },
  ]);
  assert.equal(layered.env, { A: 'process', B: '', C: 'one', D: 'two' });
  assert.equal(layered.sources, { A: 'process', B: 'process', C: '/one', D: '/two' });
  assert.equal(layered.fileEnv, { A: 'one', B: 'one', C: 'one', D: 'two' }, 'what the files alone define, shadowed or not');
  assert.equal(layered.fileSources, { A: '/one', B: '/one', C: '/one', D: '/two' });
});

test.run();

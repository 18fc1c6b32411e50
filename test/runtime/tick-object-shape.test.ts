import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from './fixtures.js';

const child = fileURLToPath(new URL('./tick-object-shape-child.ts', import.meta.url));

/**
 * The states V8 reports for the property definitions in nextTick's queue-entry literal, after the
 * child has checked that no async hook is left on.
 */
function literalFeedback(setup: 'none' | 'keep' | 'gateway'): string[] {
  // V8 prints with C stdio, which drops what a full non-blocking pipe refuses: stdout goes to a file.
  const dir = tempDir('kafclaw-tick-shape-');
  try {
    const out = openSync(join(dir.path, 'out'), 'w');
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', '--allow-natives-syntax', child], {
      env: { ...process.env, SETUP: setup },
      stdio: ['ignore', out, 'pipe'],
      encoding: 'utf8',
      timeout: 60_000,
    });
    closeSync(out);
    assert.is(run.status, 0, `child ended with ${run.status ?? run.signal}: ${run.stderr}`);
    const printed = readFileSync(join(dir.path, 'out'), 'utf8');
    assert.match(printed, /^promise symbols: 0$/m, `an async hook was left on (${setup})`);
    const states = [...printed.matchAll(/slot #\d+ DefineKeyedOwnPropertyInLiteral (\w+)/g)].map((match) => match[1]!);
    assert.ok(states.length >= 4, `nextTick's literal feedback was not found in V8's print (${setup})`);
    return states;
  } finally {
    dir.remove();
  }
}

test('without it, an idle spell of full collections leaves nextTick defining its entries through V8 runtime', () => {
  const states = literalFeedback('none');
  assert.ok(
    states.includes('MEGAMORPHIC'),
    `this Node's V8 no longer loses nextTick's maps (${states.join(', ')}): keepTickObjectShape may be unnecessary`,
  );
});

test('with a tick object kept, every property definition stays monomorphic through the same spell', () => {
  assert.equal([...new Set(literalFeedback('keep'))], ['MONOMORPHIC']);
});

test('a started gateway keeps one', () => {
  assert.equal([...new Set(literalFeedback('gateway'))], ['MONOMORPHIC']);
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';

test('the package entry exports the engine, every check, the config model, the targets and the reporters', async () => {
  const lib = await import('../index.js');
  for (const name of ['runDoctor', 'runChecks', 'runCheck', 'collectFacts', 'gatherFacts', 'loadConfig', 'editConfigFile', 'LocalTarget', 'Secret', 'scrub', 'renderReport', 'applyWaivers', 'parseWaivers', 'selectChecks', 'gatherStatus']) {
    assert.type((lib as Record<string, unknown>)[name], 'function', name);
  }
  assert.ok(lib.CHECKS.length >= 25);
});

test('package.json points at built files with type declarations (npm run build)', () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  const root = new URL('../', import.meta.url);
  for (const file of [pkg.exports['.'].default, pkg.exports['.'].types, pkg.bin.kafclaw]) {
    assert.ok(existsSync(new URL(file, root)), `${file} is missing: run npm run build`);
  }
});

test.run();

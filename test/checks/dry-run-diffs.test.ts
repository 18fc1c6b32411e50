import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fixtureHome } from './fixture-home.js';
import type { Check, CheckContext } from '../../checks/types.js';
import type { ConfigFact } from '../../checks/config-fact.js';
import type { FixOutcome } from '../../checks/fix.js';
import { kafclawEnvFile } from '../../checks/locations.js';
import { configEdit } from '../../lib/resources/config-edit.js';
import { envFileValue } from '../../lib/resources/env-file-value.js';
import { Secret } from '../../lib/secrets/secret.js';

const config = (ctx: CheckContext) => ctx.facts.get<ConfigFact>('config');
const level = (ctx: CheckContext) => Number((config(ctx).fileConfig.test as { level?: number } | undefined)?.level ?? 0);

/** A check that fails below `wanted` and whose fix sets test.level to it: two of them edit the same key. */
function levelCheck(wanted: number): Check {
  return {
    id: `test.level-${wanted}`,
    title: `test.level is at least ${wanted}`,
    severity: 'low',
    profiles: ['doctor'],
    rationale: 'a test check',
    runbook: '-',
    needs: ['config'],
    fixKind: 'auto',
    fixSummary: `set test.level to ${wanted}`,
    run: (ctx) => (level(ctx) >= wanted ? { status: 'pass', message: 'high enough' } : { status: 'fail', message: `test.level is ${level(ctx)}` }),
    fix: (ctx) => ({ resources: [configEdit(ctx.target, config(ctx).path, [{ keyPath: ['test', 'level'], value: wanted }])], steps: [] }),
  };
}

/** A check that wants TEST_VALUE (an env-file value) to be `wanted`: two of them write the same variable. */
function envCheck(name: string, wanted: string, failsWhen: (current: string | undefined) => boolean): Check {
  return {
    id: `test.env-${name}`,
    title: 'TEST_VALUE is set',
    severity: 'low',
    profiles: ['doctor'],
    rationale: 'a test check',
    runbook: '-',
    needs: ['config'],
    fixKind: 'auto',
    fixSummary: 'set TEST_VALUE',
    run: (ctx) => (failsWhen(config(ctx).env.TEST_VALUE) ? { status: 'fail', message: 'TEST_VALUE is not as wanted' } : { status: 'pass', message: 'TEST_VALUE is as wanted' }),
    fix: (ctx) => ({ resources: [envFileValue(ctx.target, kafclawEnvFile(config(ctx)), 'TEST_VALUE', new Secret(wanted))], steps: [] }),
  };
}

const changes = (fixes: readonly FixOutcome[]) => fixes.map((f) => `${f.id}: ${f.changes.map((c) => `${c.field} ${c.before} -> ${c.after}`).join(', ')}`);

test('two fixes of the same config key in one dry run: the second diff starts from the first one\'s simulated value, as the real run does', async () => {
  const home = fixtureHome({ test: { level: 0 } });
  try {
    const checks = [levelCheck(1), levelCheck(2)];
    const dry = await home.doctor({ checks, fix: true, dryRun: true });
    assert.equal(changes(dry.fixes), ['test.level-1: test.level 0 -> 1', 'test.level-2: test.level 1 -> 2']);
    assert.equal(JSON.parse(home.read('.kafclaw/config.json')), { test: { level: 0 } }, 'the dry run wrote nothing');
    const real = await home.doctor({ checks, fix: true });
    assert.equal(changes(real.fixes), changes(dry.fixes));
  } finally {
    home.cleanup();
  }
});

test('two fixes of the same env-file variable in one dry run: the second sees the first one\'s simulated value (a secret), not the real absent one', async () => {
  const home = fixtureHome({});
  try {
    const checks = [
      envCheck('first', 'first-dry-run-value', (current) => current === undefined),
      envCheck('second', 'second-dry-run-value', (current) => current !== 'second-dry-run-value'),
    ];
    const dry = await home.doctor({ checks, fix: true, dryRun: true });
    const [first, second] = dry.fixes.map((f) => f.changes.map((c) => c.before));
    assert.equal([first, second], [[null], ['(secret)']], JSON.stringify(dry.fixes));
    const real = await home.doctor({ checks, fix: true });
    assert.equal(changes(real.fixes), changes(dry.fixes));
    assert.not.match(JSON.stringify(dry.fixes), /dry-run-value/);
  } finally {
    home.cleanup();
  }
});

test.run();

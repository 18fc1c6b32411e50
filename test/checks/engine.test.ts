import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runChecks } from '../../checks/engine.js';
import { FactSnapshot, FactError } from '../../lib/facts/snapshot.js';
import { LocalTarget } from '../../lib/target/local.js';
import { DEFAULT_CHECK_OPTIONS } from '../../checks/options.js';
import type { Check, CheckContext } from '../../checks/types.js';

const base = { title: 't', severity: 'high', profiles: ['doctor'], rationale: 'r', runbook: '§1', needs: [], fixKind: 'none', fixSummary: 'none' } as const;
const check = (id: string, run: Check['run']): Check => ({ ...base, profiles: [...base.profiles], id, run });

function context(timeoutMs = 200): CheckContext {
  const facts = new FactSnapshot();
  facts.set('broken', new FactError('broken', 'the probe script exited 1'));
  return { target: new LocalTarget(), host: 'h', facts, options: { ...DEFAULT_CHECK_OPTIONS, checkTimeoutMs: timeoutMs }, now: new Date() };
}

test('a check that hangs past its timeout, throws, reads a missing or failed fact, or returns nothing is an error, never a pass', async () => {
  const results = await runChecks([
    check('x.hangs', () => new Promise(() => {})),
    check('x.throws', () => { throw new Error('boom'); }),
    check('x.rejects', async () => { throw new Error('async boom'); }),
    check('x.undeclared', (ctx) => ({ status: 'pass', message: String(ctx.facts.get('never-gathered')) })),
    check('x.failed-fact', (ctx) => ({ status: 'pass', message: String(ctx.facts.get('broken')) })),
    check('x.empty', () => []),
    check('x.ok', () => ({ status: 'pass', message: 'fine' })),
  ], context());
  assert.equal(results.map((r) => [r.id, r.status]), [
    ['x.hangs', 'error'], ['x.throws', 'error'], ['x.rejects', 'error'], ['x.undeclared', 'error'], ['x.failed-fact', 'error'], ['x.empty', 'error'], ['x.ok', 'pass'],
  ]);
  assert.match(results[0]!.message, /did not finish within 200 ms/);
  assert.match(results[1]!.message, /boom/);
  assert.match(results[4]!.message, /probe script exited 1/);
});

test('checks run in parallel: ten 150 ms checks finish together, in registry order', async () => {
  const slow = Array.from({ length: 10 }, (_, i) => check(`x.slow${i}`, () => new Promise((resolve) => setTimeout(() => resolve({ status: 'pass', message: String(i) }), 150))));
  const started = Date.now();
  const results = await runChecks(slow, context(5_000));
  assert.ok(Date.now() - started < 1_200, `took ${Date.now() - started} ms`);
  assert.equal(results.map((r) => r.message), slow.map((_, i) => String(i)));
});

test('several verdicts of one check become several results with subjects; fix hints only on failures', async () => {
  const results = await runChecks([check('x.multi', () => [
    { status: 'fail', subject: '/a', message: 'a is open' },
    { status: 'pass', subject: '/b', message: 'b is fine' },
  ])], context());
  assert.equal(results.map((r) => [r.subject, r.status, r.fix?.kind ?? null]), [['/a', 'fail', 'none'], ['/b', 'pass', null]]);
});

test.run();

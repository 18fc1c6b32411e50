import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { parseNftRuleset } from '../../../../lib/facts/probes/nftables.js';

// Fixtures are real `nft -j list ruleset` output of the .nft files beside them, loaded in a scratch netns.
const fixture = (name: string) => readFileSync(new URL(`../../../fixtures/nft/${name}.json`, import.meta.url), 'utf8');

test('the hardened ruleset: input drop, loopback and ssh rules, no gateway ports', () => {
  const ruleset = parseNftRuleset(fixture('hardened-loopback'), 0);
  assert.ok(ruleset.available);
  if (!ruleset.available) return;
  const input = ruleset.chains.find((c) => c.hook === 'input')!;
  assert.is(input.policy, 'drop');
  assert.is(input.table, 'kafclaw');
  assert.ok(input.rules.some((r) => r.loopback && r.verdict === 'accept'));
  const ssh = input.rules.filter((r) => r.dports.includes(22));
  assert.equal(ssh.map((r) => r.saddrs).flat().sort(), ['0.0.0.0/0', '::/0']);
  assert.not.ok(input.rules.some((r) => r.dports.includes(18790)));
});

test('gateway ports from an allowlist carry their source prefix; an open rule carries none', () => {
  const allow = parseNftRuleset(fixture('remote-allowlisted'), 0);
  const open = parseNftRuleset(fixture('remote-open'), 0);
  if (!allow.available || !open.available) throw new Error('unavailable');
  const allowRule = allow.chains.find((c) => c.hook === 'input')!.rules.find((r) => r.dports.includes(18790))!;
  assert.equal(allowRule.dports.sort(), [18790, 18791]);
  assert.equal(allowRule.saddrs, ['10.20.0.0/16']);
  const openRule = open.chains.find((c) => c.hook === 'input')!.rules.find((r) => r.dports.includes(18791))!;
  assert.equal(openRule.saddrs, []);
});

test('an accept-all ruleset and an empty one parse; a failing nft is unavailable', () => {
  const acceptAll = parseNftRuleset(fixture('accept-all'), 0);
  assert.ok(acceptAll.available && acceptAll.chains[0]?.policy === 'accept');
  const empty = parseNftRuleset(fixture('empty'), 0);
  assert.ok(empty.available && empty.chains.length === 0);
  assert.equal(parseNftRuleset('Operation not permitted', 1), { available: false, reason: 'nft failed: Operation not permitted' });
  assert.is(parseNftRuleset('', 127).available, false);
});

test.run();

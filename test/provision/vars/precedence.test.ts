import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mergeVars, describeOrigin } from '../../../provision/vars/precedence.js';
import type { VarLayer, VarSource } from '../../../provision/vars/precedence.js';

const source = (layer: VarLayer, vars: Record<string, unknown>, file = `${layer}.yml`): VarSource => ({
  layer,
  vars,
  origin: () => ({ layer, file, line: 1, column: 1 }),
});

test('precedence: defaults < group < host < play < extra, whatever the order given', () => {
  const merged = mergeVars([
    source('extra', { e: 'extra' }),
    source('play', { p: 'play', e: 'play' }),
    source('host', { h: 'host', p: 'host', e: 'host' }),
    source('group', { g: 'group', h: 'group', p: 'group', e: 'group' }),
    source('default', { d: 'default', g: 'default', h: 'default', p: 'default', e: 'default' }),
  ]);
  assert.equal(merged.vars, { d: 'default', g: 'group', h: 'host', p: 'play', e: 'extra' });
  assert.is(merged.origins.d!.layer, 'default');
  assert.is(merged.origins.g!.layer, 'group');
  assert.is(merged.origins.h!.layer, 'host');
  assert.is(merged.origins.p!.layer, 'play');
  assert.is(merged.origins.e!.layer, 'extra');
});

test('within a layer, later sources win; mappings are replaced, not merged', () => {
  const merged = mergeVars([
    source('group', { secrets: { gateway_token: 'env:A', provider_keys: {} } }, 'all.yml'),
    source('group', { secrets: { provider_keys: { K: 'env:K' } } }, 'web.yml'),
  ]);
  assert.equal(merged.vars.secrets, { provider_keys: { K: 'env:K' } });
  assert.is(merged.origins.secrets!.file, 'web.yml');
});

test('describeOrigin names the layer, group and place', () => {
  assert.is(describeOrigin({ layer: 'group', group: 'web', file: 'inv.yml', line: 3, column: 5 }), 'group vars of "web" (inv.yml:3:5)');
  assert.is(describeOrigin({ layer: 'extra', file: '-e #1' }), 'extra vars (-e) (-e #1)');
});

test('__proto__ as a variable name stays an own property', () => {
  const merged = mergeVars([source('play', JSON.parse('{"__proto__": {"polluted": true}}'))]);
  assert.is(({} as Record<string, unknown>).polluted, undefined);
  assert.ok(Object.hasOwn(merged.vars, '__proto__'));
});

test.run();

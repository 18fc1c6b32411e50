import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { resolveConfigPath, resolveConfigHome, expandHome } from '../../../lib/config/index.js';

test('expandHome follows KafClaw: a leading ~ joins the rest onto home', () => {
  assert.is(expandHome('~/KafClaw-Workspace', '/home/k'), '/home/k/KafClaw-Workspace');
  assert.is(expandHome('~', '/home/k'), '/home/k');
  assert.is(expandHome('~x', '/home/k'), '/home/k/x');
  assert.is(expandHome('/abs/~', '/home/k'), '/abs/~');
  assert.is(expandHome('~/x', undefined), '~/x');
});

test('config home and path resolution order; blank values are unset', () => {
  assert.is(resolveConfigHome({ KAFCLAW_HOME: ' ', MIKROBOT_HOME: '/m' }, '/h'), '/m');
  assert.is(resolveConfigHome({ KAFCLAW_HOME: '~/k' }, '/h'), '/h/k');
  assert.is(resolveConfigPath({}, '/h', '/cwd'), '/h/.kafclaw/config.json');
  assert.is(resolveConfigPath({ KAFCLAW_HOME: '/k' }, '/h', '/cwd'), '/k/.kafclaw/config.json');
  assert.is(resolveConfigPath({ KAFCLAW_CONFIG: '~/c.json', KAFCLAW_HOME: '/k' }, '/h', '/cwd'), '/k/c.json');
  assert.is(resolveConfigPath({ KAFCLAW_CONFIG: 'rel.json' }, '/h', '/cwd'), '/cwd/rel.json');
  assert.is(resolveConfigPath({ KAFCLAW_CONFIG: '', MIKROBOT_CONFIG: '/m.json' }, '/h', '/cwd'), '/m.json');
  assert.is(resolveConfigPath({}, undefined, '/cwd'), undefined);
});

test.run();

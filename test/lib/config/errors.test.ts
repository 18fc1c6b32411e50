import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigError, isConfigError } from '../../../lib/config/index.js';

test('describe() prints file:line:column: key: message, omitting what is unknown', () => {
  const full = new ConfigError('expected a number', { path: '/c.json', line: 3, column: 5, key: 'gateway.port' });
  assert.is(full.describe(), '/c.json:3:5: gateway.port: expected a number');
  assert.is(new ConfigError('cannot read', { path: '/c.json' }).describe(), '/c.json: cannot read');
  assert.is(new ConfigError('bad', { path: '/c.json', line: 2 }).describe(), '/c.json:2: bad');
  assert.ok(isConfigError(full));
  assert.not.ok(isConfigError(new Error('x')));
  assert.is(full.name, 'ConfigError');
});

test.run();

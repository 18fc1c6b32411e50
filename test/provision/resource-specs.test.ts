import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Secret } from '../../lib/secrets/secret.js';
import { resourceFromSpec, secretReferencesIn, UnsupportedKindError, withSecrets } from '../../provision/resource-specs.js';
import { envFileKind } from '../../provision/playbook/kinds/index.js';

const params = envFileKind.params.parse({ path: '/etc/kafclaw/gateway.env', values: { TOKEN: 'env:KAFCLAW_TOKEN' }, values_from: { KEY: 'file:/tmp/key' } });

test('secret references inside params are found and replaced by their secrets', () => {
  const found = secretReferencesIn(params);
  assert.equal(found.map((r) => r.text), ['env:KAFCLAW_TOKEN', 'file:/tmp/key']);
  const secrets = new Map([
    ['env:KAFCLAW_TOKEN', new Secret('token-value-123456', 'env:KAFCLAW_TOKEN')],
    ['file:/tmp/key', new Secret('key-value-1234567', 'file:/tmp/key')],
  ]);
  const resolved = withSecrets(params, secrets) as { values: Record<string, Secret>; mode: number };
  assert.ok(resolved.values.TOKEN instanceof Secret);
  assert.is(resolved.mode, 0o600);
  const resource = resourceFromSpec({ kind: 'env_file', params: resolved }, {});
  assert.is(resource.id.includes('/etc/kafclaw/gateway.env'), true);
  assert.throws(() => withSecrets(params, new Map()), /not resolved/);
});

test('a kind without a resource yet is a clear error', () => {
  assert.throws(() => resourceFromSpec({ kind: 'release', params: {} }, {}), (error: Error) => error instanceof UnsupportedKindError && /not implemented yet/.test(error.message));
});

test.run();

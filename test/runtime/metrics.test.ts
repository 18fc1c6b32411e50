import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { GatewayMetrics, requestLabels } from '../../runtime/metrics.js';

test('request labels are bounded: known methods, route patterns, status classes', () => {
  assert.equal(requestLabels('GET', '/api/v1/timeline', 200), { method: 'GET', route: '/api/v1/timeline', status: '2xx' });
  assert.equal(requestLabels('BREW', undefined, 404), { method: 'OTHER', route: '(no route)', status: '4xx' });
});

test('each gateway has its own registry, so two can coexist in one process', async () => {
  const a = new GatewayMetrics({ defaultMetrics: false });
  const b = new GatewayMetrics({ defaultMetrics: false });
  a.authFailed('api', 'unknown');
  assert.match(await a.registry.metrics(), 'kafclaw_gateway_auth_failures_total{listener="api",reason="unknown"} 1');
  assert.not.match(await b.registry.metrics(), 'reason="unknown"');
});

test.run();

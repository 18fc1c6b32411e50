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

test('the signal gauge reads the signals at scrape time; a failing reader does not fail the scrape', async () => {
  const metrics = new GatewayMetrics({ defaultMetrics: false });
  let verdict: 'ok' | 'alert' = 'ok';
  metrics.watchSignals(() => [{ id: 'auth-failures', threshold: 10, observed: 0, verdict, detail: '' }]);
  assert.match(await metrics.registry.metrics(), 'kafclaw_gateway_security_signal_alert{signal="auth-failures"} 0');
  verdict = 'alert';
  assert.match(await metrics.registry.metrics(), 'kafclaw_gateway_security_signal_alert{signal="auth-failures"} 1');
  metrics.watchSignals(() => {
    throw new Error('database closed');
  });
  assert.match(await metrics.registry.metrics(), 'kafclaw_gateway_security_signal_alert{signal="auth-failures"} 1');
  metrics.agentTokens.inc({ provider: 'offline', kind: 'prompt' }, 7);
  assert.match(await metrics.registry.metrics(), 'kafclaw_gateway_agent_tokens_total{provider="offline",kind="prompt"} 7');
});

test.run();

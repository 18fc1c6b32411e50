import { collectDefaultMetrics, Counter, Registry } from 'prom-client';
import type { AuthFailureCode } from './auth/bearer.js';

/**
 * The gateway's Prometheus metrics, one registry per gateway (shared by both listeners). Every label
 * value comes from a fixed set or from the matched route pattern, never from the request itself.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly authFailures = new Counter({
    name: 'kafclaw_gateway_auth_failures_total',
    help: 'Rejected authentication attempts, by listener and reason',
    labelNames: ['listener', 'reason'] as const,
    registers: [this.registry],
  });
  readonly rateLimited = new Counter({
    name: 'kafclaw_gateway_auth_rate_limited_total',
    help: 'Requests answered 429 because their address is locked out after failed authentication',
    labelNames: ['listener'] as const,
    registers: [this.registry],
  });
  readonly requests = new Counter({
    name: 'kafclaw_gateway_http_requests_total',
    help: 'Answered HTTP requests, by listener, method, route pattern and status class',
    labelNames: ['listener', 'method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'kafclaw_gateway_' });
  }

  authFailed(listener: string, reason: AuthFailureCode): void {
    this.authFailures.inc({ listener, reason });
  }
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Bounded label values for a request. */
export function requestLabels(method: string, route: string | undefined, status: number): { method: string; route: string; status: string } {
  return {
    method: METHODS.has(method) ? method : 'OTHER',
    route: route ?? '(no route)',
    status: `${Math.floor(status / 100)}xx`,
  };
}

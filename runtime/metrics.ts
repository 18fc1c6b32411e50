import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { Signal } from '../lib/monitor/index.js';
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
  /**
   * Requests counted since the last scrape: listener → method → route pattern → count per status class
   * (index 1-5). Folded into `requests` when it is collected. Nested maps keyed by strings the request
   * already holds: no key is built per request.
   */
  readonly #answered = new Map<string, Map<string, Map<string | undefined, number[]>>>();
  readonly requests = new Counter({
    name: 'kafclaw_gateway_http_requests_total',
    help: 'Answered HTTP requests, by listener, method, route pattern and status class',
    labelNames: ['listener', 'method', 'route', 'status'] as const,
    registers: [this.registry],
    collect: () => this.#foldAnswered(),
  });

  readonly inbound = new Counter({
    name: 'kafclaw_gateway_inbound_messages_total',
    help: 'Inbound channel messages, by configured channel and access decision',
    labelNames: ['channel', 'authorized'] as const,
    registers: [this.registry],
  });
  readonly agentTurns = new Counter({
    name: 'kafclaw_gateway_agent_turns_total',
    help: 'Agent turns, by provider and outcome',
    labelNames: ['provider', 'status'] as const,
    registers: [this.registry],
  });
  readonly agentTokens = new Counter({
    name: 'kafclaw_gateway_agent_tokens_total',
    help: 'Tokens used by agent turns, by provider and kind (prompt, completion)',
    labelNames: ['provider', 'kind'] as const,
    registers: [this.registry],
  });
  readonly toolDecisions = new Counter({
    name: 'kafclaw_gateway_tool_decisions_total',
    help: 'Tool-policy decisions, by tier and outcome',
    labelNames: ['tier', 'allowed'] as const,
    registers: [this.registry],
  });
  readonly adminActions = new Counter({
    name: 'kafclaw_gateway_admin_actions_total',
    help: 'Changes made through the admin endpoints, by action',
    labelNames: ['action'] as const,
    registers: [this.registry],
  });
  #signals: (() => Signal[]) | null = null;
  readonly signalAlert = new Gauge({
    name: 'kafclaw_gateway_security_signal_alert',
    help: "1 while a runbook monitoring signal is over its threshold, 0 otherwise (read from the timeline at scrape time)",
    labelNames: ['signal'] as const,
    registers: [this.registry],
    collect: () => {
      if (!this.#signals) return;
      let signals: Signal[];
      try {
        signals = this.#signals();
      } catch {
        return; // the timeline is closing or unreadable: keep the last values rather than fail the scrape
      }
      for (const signal of signals) this.signalAlert.set({ signal: signal.id }, signal.verdict === 'alert' ? 1 : 0);
    },
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'kafclaw_gateway_' });
  }

  /** Where the signal gauge reads its values from at each scrape. */
  watchSignals(read: () => Signal[]): void {
    this.#signals = read;
  }

  authFailed(listener: string, reason: AuthFailureCode): void {
    this.authFailures.inc({ listener, reason });
  }

  /**
   * Counts one answered request. Per request this is three map lookups and an addition; prom-client's
   * label hashing and validation run once per label set and scrape instead.
   */
  answered(listener: string, method: string, route: string | undefined, status: number): void {
    let byMethod = this.#answered.get(listener);
    if (!byMethod) this.#answered.set(listener, (byMethod = new Map()));
    let byRoute = byMethod.get(method);
    if (!byRoute) byMethod.set(method, (byRoute = new Map()));
    let counts = byRoute.get(route);
    if (!counts) byRoute.set(route, (counts = [0, 0, 0, 0, 0, 0]));
    counts[Math.min(5, Math.max(1, Math.floor(status / 100)))]! += 1;
  }

  #foldAnswered(): void {
    for (const [listener, byMethod] of this.#answered) {
      for (const [method, byRoute] of byMethod) {
        for (const [route, counts] of byRoute) {
          for (let statusClass = 1; statusClass < counts.length; statusClass++) {
            const count = counts[statusClass]!;
            if (count === 0) continue;
            this.requests.inc({ listener, ...requestLabels(method, route, statusClass * 100) }, count);
            counts[statusClass] = 0;
          }
        }
      }
    }
  }
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

interface RequestLabels {
  method: string;
  route: string;
  status: string;
}

/** Bounded label values for a request. */
export function requestLabels(method: string, route: string | undefined, status: number): RequestLabels {
  return {
    method: METHODS.has(method) ? method : 'OTHER',
    route: route ?? '(no route)',
    status: `${Math.floor(status / 100)}xx`,
  };
}

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Surface } from '../http/security-headers.js';
import type { GatewayState } from '../state.js';
import type { GatewayMetrics } from '../metrics.js';
import type { TimelineStore } from '../timeline/store.js';
import { queryCarriesCredential, readBearer } from './bearer.js';
import type { AuthFailureCode } from './bearer.js';

export interface AuthHookOptions {
  state: GatewayState;
  timeline: TimelineStore;
  metrics: GatewayMetrics;
  surface: Surface;
  now: () => number;
}

const UNAUTHORIZED = { error: 'Unauthorized', message: 'a valid bearer token is required (Authorization: Bearer <token>)' };

/**
 * The onRequest hook of the authenticated context. The reply never says which check failed; the
 * timeline does (reason, method, matched route), without any token material or the raw URL.
 */
export function authHook(options: AuthHookOptions) {
  const { state, timeline, metrics, surface, now } = options;

  function reject(request: FastifyRequest, reply: FastifyReply, reason: string, code: AuthFailureCode, at: number): FastifyReply {
    const address = request.ip;
    metrics.authFailed(surface, code);
    const lockoutMs = state.failures.fail(address, at);
    try {
      timeline.record({
        eventType: 'SECURITY',
        classification: 'AUTH_FAILURE',
        senderId: address,
        senderName: 'gateway-auth',
        contentText: reason,
        authorized: false,
        metadata: { method: request.method, route: request.routeOptions.url ?? '(no route)', listener: surface, lockout_ms: lockoutMs },
        at: new Date(at),
      });
    } catch (error) {
      request.log.error({ err: error }, 'could not record an authentication failure in the timeline');
    }
    request.log.warn({ address, reason, lockoutMs }, 'authentication failed');
    return reply.code(401).header('www-authenticate', 'Bearer realm="kafclaw"').send(UNAUTHORIZED);
  }

  return async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const at = now();
    const waitMs = state.failures.retryAfterMs(request.ip, at);
    if (waitMs > 0) {
      const seconds = Math.max(1, Math.ceil(waitMs / 1000));
      metrics.rateLimited.inc({ listener: surface });
      await reply
        .code(429)
        .header('retry-after', String(seconds))
        .send({ error: 'Too Many Requests', message: `too many failed authentication attempts from this address; retry after ${seconds} s` });
      return;
    }
    if (queryCarriesCredential(request.url)) {
      await reject(request, reply, 'credential in the query string; send it in the Authorization header', 'query', at);
      return;
    }
    const bearer = readBearer(request.raw.rawHeaders, state.settings.limits.maxAuthHeaderBytes);
    if ('problem' in bearer) {
      await reject(request, reply, bearer.problem, bearer.code, at);
      return;
    }
    const verdict = state.tokens.check(bearer.token, at);
    if (verdict !== 'valid') {
      await reject(request, reply, verdict === 'expired' ? 'expired token' : 'unknown token', verdict, at);
      return;
    }
    state.failures.succeed(request.ip);
  };
}

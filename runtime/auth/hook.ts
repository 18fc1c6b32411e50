import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { routePatternOf } from '../http/route-pattern.js';
import type { Surface } from '../http/security-headers.js';
import type { GatewayState } from '../state.js';
import type { GatewayMetrics } from '../metrics.js';
import type { TimelineStore } from '../timeline/store.js';
import { authorizationHeader, bearerToken, queryCarriesCredential } from './bearer.js';
import type { AuthFailureCode } from './bearer.js';

export interface AuthHookOptions {
  state: GatewayState;
  timeline: TimelineStore;
  metrics: GatewayMetrics;
  surface: Surface;
  now: () => number;
  /** The client's address (the socket peer, or X-Forwarded-For from a trusted proxy); default `request.ip`. */
  addressOf?: (request: FastifyRequest) => string;
  /**
   * False where a route asks for a second credential after the bearer token (the channel token):
   * the address's failure count is then cleared by that check, so that guessing the second one
   * backs off like guessing the first. Default true.
   */
  clearFailuresOnSuccess?: boolean;
}

const UNAUTHORIZED = { error: 'Unauthorized', message: 'a valid bearer token is required (Authorization: Bearer <token>)' };

/**
 * Counts one failed authentication against the client's address (the backoff), in the metrics, the
 * timeline (reason, method, matched route; never token material or the raw URL) and the log.
 * Returns the lockout it started.
 */
export function failureRecorder(options: AuthHookOptions) {
  const { state, timeline, metrics, surface } = options;
  return function recordFailure(request: FastifyRequest, address: string, reason: string, code: AuthFailureCode, at: number): number {
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
        metadata: { method: request.method, route: routePatternOf(request) ?? '(no route)', listener: surface, lockout_ms: lockoutMs },
        at: new Date(at),
      });
    } catch (error) {
      request.log.error({ err: error }, 'could not record an authentication failure in the timeline');
    }
    request.log.warn({ address, reason, lockoutMs }, 'authentication failed');
    return lockoutMs;
  };
}

/**
 * The onRequest hook of the authenticated context. The reply never says which check failed; the
 * timeline does. Written callback-style and synchronous (the timeline is SQLite, synchronous too):
 * an async hook costs every request a promise and a microtask turn.
 */
export function authHook(options: AuthHookOptions) {
  const { state, metrics, surface, now } = options;
  const addressOf = options.addressOf ?? ((request: FastifyRequest) => request.ip);
  const clearFailures = options.clearFailuresOnSuccess ?? true;
  const recordFailure = failureRecorder(options);

  function reject(request: FastifyRequest, reply: FastifyReply, address: string, reason: string, code: AuthFailureCode, at: number): void {
    recordFailure(request, address, reason, code, at);
    reply.code(401).header('www-authenticate', 'Bearer realm="kafclaw"').send(UNAUTHORIZED);
  }

  return function authenticate(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
    const at = now();
    const address = addressOf(request);
    const waitMs = state.failures.retryAfterMs(address, at);
    if (waitMs > 0) {
      const seconds = Math.max(1, Math.ceil(waitMs / 1000));
      metrics.rateLimited.inc({ listener: surface });
      reply
        .code(429)
        .header('retry-after', String(seconds))
        .send({ error: 'Too Many Requests', message: `too many failed authentication attempts from this address; retry after ${seconds} s` });
      return;
    }
    if (queryCarriesCredential(request.url)) {
      reject(request, reply, address, 'credential in the query string; send it in the Authorization header', 'query', at);
      return;
    }
    const header = authorizationHeader(request.raw.rawHeaders);
    if (typeof header !== 'string') {
      reject(request, reply, address, header.problem, header.code, at);
      return;
    }
    const maxLength = state.settings.limits.maxAuthHeaderBytes;
    // The common case first: exactly `Bearer <an accepted token>`, compared in place. Anything else is
    // read by bearerToken, which says what is wrong with it. (Accepted tokens that are not all token68
    // could pass here where bearerToken refuses them: then every header takes that path.)
    const tokens = state.tokens;
    let verdict = tokens.token68 && header.length <= maxLength && header.startsWith('Bearer ') ? tokens.check(header, at, 7) : 'unknown';
    if (verdict === 'unknown') {
      const bearer = bearerToken(header, maxLength);
      if ('problem' in bearer) {
        reject(request, reply, address, bearer.problem, bearer.code, at);
        return;
      }
      verdict = tokens.check(bearer.token, at);
    }
    if (verdict !== 'valid') {
      reject(request, reply, address, verdict === 'expired' ? 'expired token' : 'unknown token', verdict, at);
      return;
    }
    if (clearFailures) state.failures.succeed(address);
    done();
  };
}

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayState } from '../state.js';

const ALLOWED_METHODS = 'GET, POST';
const ALLOWED_HEADERS = 'Authorization, Content-Type';

/**
 * CORS only for the exact origins configured; with none configured no Access-Control-* header is
 * ever sent. A preflight from an allowed origin is answered here, without data (returns true); any
 * other OPTIONS falls through to the router and so to authentication. Synchronous: it runs inside
 * each route's one onRequest hook, before authentication.
 */
export function corsPreflight(state: GatewayState) {
  return function answerPreflight(request: FastifyRequest, reply: FastifyReply): boolean {
    if (request.method !== 'OPTIONS') return false;
    const origin = request.headers.origin;
    if (!origin || !state.settings.corsOrigins.includes(origin)) return false;
    if (!request.headers['access-control-request-method']) return false;
    reply
      .code(204)
      .headers({
        'access-control-allow-origin': origin,
        'access-control-allow-methods': ALLOWED_METHODS,
        'access-control-allow-headers': ALLOWED_HEADERS,
        'access-control-max-age': '600',
        vary: 'Origin',
      })
      .send();
    return true;
  };
}

/** The response headers for an allowed origin; nothing for any other request. */
export function corsResponseHeaders(state: GatewayState) {
  return function addCorsHeaders(request: FastifyRequest, reply: FastifyReply): void {
    const allowed = state.settings.corsOrigins;
    if (allowed.length === 0) return;
    const origin = request.headers.origin;
    if (!origin || !allowed.includes(origin)) return;
    reply.header('access-control-allow-origin', origin);
    reply.header('vary', 'Origin');
  };
}

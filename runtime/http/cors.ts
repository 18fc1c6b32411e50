import type { FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayState } from '../state.js';

const ALLOWED_METHODS = 'GET, POST';
const ALLOWED_HEADERS = 'Authorization, Content-Type';

/**
 * CORS only for the exact origins configured; with none configured no Access-Control-* header is
 * ever sent. A preflight from an allowed origin is answered here, without data; any other OPTIONS
 * falls through to the router and so to authentication.
 */
export function corsPreflightHook(state: GatewayState) {
  return async function corsPreflight(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (request.method !== 'OPTIONS') return;
    const origin = request.headers.origin;
    if (!origin || !state.settings.corsOrigins.includes(origin)) return;
    if (!request.headers['access-control-request-method']) return;
    await reply
      .code(204)
      .headers({
        'access-control-allow-origin': origin,
        'access-control-allow-methods': ALLOWED_METHODS,
        'access-control-allow-headers': ALLOWED_HEADERS,
        'access-control-max-age': '600',
        vary: 'Origin',
      })
      .send();
  };
}

export function corsResponseHook(state: GatewayState) {
  return async function corsResponse(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const origin = request.headers.origin;
    if (!origin || !state.settings.corsOrigins.includes(origin)) return;
    reply.header('access-control-allow-origin', origin);
    reply.header('vary', 'Origin');
  };
}

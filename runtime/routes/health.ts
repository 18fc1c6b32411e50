import type { FastifyInstance } from 'fastify';

const NO_QUERY = { type: 'object', additionalProperties: false, properties: {} } as const;

/** The only unauthenticated routes: liveness and a minimal status, neither with details. */
export async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/healthz',
    { schema: { querystring: NO_QUERY, response: { 200: { type: 'string' } } } },
    async (_request, reply) => reply.type('text/plain; charset=utf-8').send('ok'),
  );
  app.get(
    '/api/v1/status',
    {
      schema: {
        querystring: NO_QUERY,
        response: {
          200: {
            type: 'object',
            additionalProperties: false,
            required: ['status', 'auth_required'],
            properties: { status: { type: 'string' }, auth_required: { type: 'boolean' } },
          },
        },
      },
    },
    async () => ({ status: 'ok', auth_required: true }),
  );
}

import type { FastifyInstance } from 'fastify';

/** KafClaw's `/api/v1/auth/verify`: reachable only with a valid token, so the answer is always valid. */
export async function authVerifyRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/api/v1/auth/verify',
    {
      schema: {
        querystring: { type: 'object', additionalProperties: false, properties: {} },
        response: {
          200: {
            type: 'object',
            additionalProperties: false,
            required: ['valid', 'auth_required'],
            properties: { valid: { type: 'boolean' }, auth_required: { type: 'boolean' } },
          },
        },
      },
    },
    async () => ({ valid: true, auth_required: true }),
  );
}

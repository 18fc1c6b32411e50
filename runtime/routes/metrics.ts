import type { FastifyPluginAsync } from 'fastify';
import type { GatewayMetrics } from '../metrics.js';

/** `GET /metrics` in Prometheus text format; behind the token, unlike KafClaw's open endpoint. */
export const metricsRoutes: FastifyPluginAsync<{ metrics: GatewayMetrics }> = async (app, { metrics }) => {
  app.get(
    '/metrics',
    { schema: { querystring: { type: 'object', additionalProperties: false, properties: {} }, response: { 200: { type: 'string' } } } },
    async (_request, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
};

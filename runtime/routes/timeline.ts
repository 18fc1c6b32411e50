import type { FastifyPluginAsync } from 'fastify';
import type { TimelineStore } from '../timeline/store.js';

const EVENT = {
  type: 'object',
  additionalProperties: false,
  properties: {
    id: { type: 'integer' },
    event_id: { type: 'string' },
    trace_id: { type: ['string', 'null'] },
    timestamp: { type: 'string' },
    sender_id: { type: ['string', 'null'] },
    sender_name: { type: ['string', 'null'] },
    event_type: { type: 'string' },
    content_text: { type: ['string', 'null'] },
    classification: { type: ['string', 'null'] },
    authorized: { type: 'boolean' },
    metadata: { type: ['string', 'null'] },
  },
} as const;

interface TimelineQuerystring {
  limit: number;
  offset: number;
  sender?: string;
  trace_id?: string;
}

/** KafClaw's `GET /api/v1/timeline?limit&offset&sender&trace_id`: newest events first. */
export const timelineRoutes: FastifyPluginAsync<{ timeline: TimelineStore }> = async (app, { timeline }) => {
  app.get<{ Querystring: TimelineQuerystring }>(
    '/api/v1/timeline',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
            offset: { type: 'integer', minimum: 0, maximum: 1_000_000, default: 0 },
            sender: { type: 'string', minLength: 1, maxLength: 256 },
            trace_id: { type: 'string', minLength: 1, maxLength: 128 },
          },
        },
        response: { 200: { type: 'array', items: EVENT } },
      },
    },
    async (request) => {
      const { limit, offset, sender, trace_id: traceId } = request.query;
      return timeline
        .list({ limit, offset, ...(sender ? { sender } : {}), ...(traceId ? { traceId } : {}) })
        .map((event) => ({ ...event, authorized: event.authorized !== 0 }));
    },
  );
};

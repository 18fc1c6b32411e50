import type { FastifyPluginAsync } from 'fastify';
import { DASHBOARD_CSS } from '../dashboard/page.css.js';
import { DASHBOARD_HTML } from '../dashboard/page.html.js';
import { DASHBOARD_JS } from '../dashboard/page.js.js';
import { readOperations } from '../dashboard/operations.js';
import type { GatewayState } from '../state.js';
import type { TimelineStore } from '../timeline/store.js';
import { currentSignals, SIGNAL_SCHEMA } from './signals.js';

const NO_QUERY = { type: 'object', additionalProperties: false, properties: {} } as const;
const TEXT = { 200: { type: 'string' } } as const;

/** The dashboard's static shell (public: it holds no data) on the dashboard listener. */
export const dashboardAssetRoutes: FastifyPluginAsync = async (app) => {
  const asset = (path: string, type: string, body: string) =>
    app.get(path, { schema: { querystring: NO_QUERY, response: TEXT } }, async (_request, reply) => reply.type(type).send(body));
  asset('/', 'text/html; charset=utf-8', DASHBOARD_HTML);
  asset('/dashboard.js', 'text/javascript; charset=utf-8', DASHBOARD_JS);
  asset('/dashboard.css', 'text/css; charset=utf-8', DASHBOARD_CSS);
};

const nullable = (properties: Record<string, unknown>) => ({ type: ['object', 'null'], additionalProperties: false, properties });
const S = { type: 'string' } as const;
const N = { type: 'number' } as const;
const B = { type: 'boolean' } as const;
const NS = { type: ['string', 'null'] } as const;

const SUMMARY = {
  type: 'object',
  additionalProperties: false,
  required: ['at', 'status', 'signals', 'security_events', 'operations'],
  properties: {
    at: S,
    status: {
      type: 'object',
      additionalProperties: false,
      properties: {
        uptime_seconds: N,
        agent_provider: S,
        tool_policy: { type: 'object', additionalProperties: false, properties: { maxAutoTier: N, externalMaxTier: N } },
        channels: { type: 'array', items: { type: 'object', additionalProperties: false, properties: { name: S, enabled: B } } },
      },
    },
    signals: { type: 'array', items: SIGNAL_SCHEMA },
    security_events: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        properties: { timestamp: S, event_type: S, classification: NS, sender_id: NS, content_text: NS },
      },
    },
    operations: {
      type: 'object',
      additionalProperties: false,
      properties: {
        source: NS,
        audit: nullable({ host: S, profile: S, finishedAt: S, passed: N, failed: N, waived: N, exitCode: N }),
        backup: nullable({ host: S, name: S, createdAt: S, encrypted: B, verified: B }),
        restoreTest: nullable({ host: S, target: S, startedAt: S, ok: B, failedSteps: { type: 'array', items: S } }),
      },
    },
  },
} as const;

/** `GET /api/v1/dashboard`: everything the page shows, behind the token. */
export const dashboardDataRoutes: FastifyPluginAsync<{ state: GatewayState; timeline: TimelineStore; now: () => number }> = async (
  app,
  { state, timeline, now },
) => {
  app.get('/api/v1/dashboard', { schema: { querystring: NO_QUERY, response: { 200: SUMMARY } } }, async () => {
    const at = new Date(now());
    const settings = state.settings;
    return {
      at: at.toISOString(),
      status: {
        uptime_seconds: Math.max(0, (at.getTime() - state.startedAt) / 1000),
        agent_provider: settings.agent.kind,
        tool_policy: settings.toolPolicy,
        channels: Object.entries(settings.channels).map(([name, policy]) => ({ name, enabled: policy.enabled })),
      },
      signals: currentSignals(state, timeline, at),
      security_events: timeline.securityEvents(25).map((e) => ({
        timestamp: e.timestamp,
        event_type: e.event_type,
        classification: e.classification,
        sender_id: e.sender_id,
        content_text: e.content_text && e.content_text.length > 200 ? `${e.content_text.slice(0, 200)}…` : e.content_text,
      })),
      operations: readOperations(settings.opsStorePath),
    };
  });
};

import type { FastifyPluginAsync } from 'fastify';
import { evaluateSignals } from '../../lib/monitor/index.js';
import type { Signal } from '../../lib/monitor/index.js';
import type { GatewayState } from '../state.js';
import type { TimelineStore } from '../timeline/store.js';

export const SIGNAL_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'threshold', 'observed', 'verdict', 'detail'],
  properties: {
    id: { type: 'string' },
    threshold: { type: 'number' },
    observed: { type: 'number' },
    verdict: { type: 'string', enum: ['ok', 'alert', 'no-baseline'] },
    detail: { type: 'string' },
    subject: { type: 'string' },
  },
} as const;

/** The four signals now, from the gateway's own timeline, with the thresholds of the live settings. */
export function currentSignals(state: GatewayState, timeline: TimelineStore, now: Date): Signal[] {
  const thresholds = state.settings.monitor;
  return evaluateSignals(timeline.monitorReadings(now, thresholds.windowHours), thresholds);
}

/** `GET /api/v1/security/signals`: the runbook's four signals, each with threshold, observation and verdict. */
export const signalsRoutes: FastifyPluginAsync<{ state: GatewayState; timeline: TimelineStore; now: () => number }> = async (
  app,
  { state, timeline, now },
) => {
  app.get(
    '/api/v1/security/signals',
    {
      schema: {
        querystring: { type: 'object', additionalProperties: false, properties: {} },
        response: {
          200: {
            type: 'object',
            additionalProperties: false,
            required: ['at', 'window_hours', 'signals'],
            properties: { at: { type: 'string' }, window_hours: { type: 'number' }, signals: { type: 'array', items: SIGNAL_SCHEMA } },
          },
        },
      },
    },
    async () => {
      const at = new Date(now());
      return { at: at.toISOString(), window_hours: state.settings.monitor.windowHours, signals: currentSignals(state, timeline, at) };
    },
  );
};

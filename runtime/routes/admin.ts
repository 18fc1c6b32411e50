import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { editConfigFile, isConfigError } from '../../lib/config/index.js';
import type { ConfigEdit } from '../../lib/config/index.js';
import type { GatewayMetrics } from '../metrics.js';
import type { GatewaySettings, ToolPolicy } from '../settings.js';
import type { GatewayState } from '../state.js';
import type { TimelineStore } from '../timeline/store.js';

export interface AdminOptions {
  state: GatewayState;
  timeline: TimelineStore;
  metrics: GatewayMetrics;
  /** Fresh settings from config.json and the environment, to see whether the edit will hold after a restart. */
  reloadSettings?: () => GatewaySettings | Promise<GatewaySettings>;
}

type Tier = 0 | 1 | 2;

const REASON = { type: 'string', minLength: 1, maxLength: 500 } as const;
const TIER = { type: 'integer', enum: [0, 1, 2] } as const;
const RESULT = {
  type: 'object',
  additionalProperties: false,
  required: ['ok', 'action', 'persisted_to'],
  properties: {
    ok: { type: 'boolean' },
    action: { type: 'string' },
    persisted_to: { type: 'string' },
    backup: { type: 'string' },
    channel: { type: 'string' },
    enabled: { type: 'boolean' },
    tool_policy: { type: 'object', additionalProperties: false, properties: { maxAutoTier: TIER, externalMaxTier: TIER } },
    warning: { type: 'string' },
  },
} as const;

/** Tightening only: each given tier must not exceed the live one. Pure; returns the refusal or null. */
export function looseningProblem(current: ToolPolicy, wanted: Partial<ToolPolicy>): string | null {
  for (const key of ['maxAutoTier', 'externalMaxTier'] as const) {
    const value = wanted[key];
    if (value !== undefined && value > current[key]) {
      return `tools.policy.${key} is ${current[key]}; this endpoint only tightens (asked for ${value}). To loosen, edit config.json and send SIGHUP`;
    }
  }
  return null;
}

/**
 * Authenticated admin endpoints for incident response: disable or enable a channel, tighten the
 * tool policy. Each change is written to config.json first (backup, atomic, unknown keys kept),
 * then applied live; each is a SECURITY/ADMIN_ACTION timeline event. One change at a time.
 */
export const adminRoutes: FastifyPluginAsync<AdminOptions> = async (app, options) => {
  const { state, timeline, metrics } = options;
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };

  async function change(
    request: FastifyRequest,
    reply: FastifyReply,
    action: string,
    reason: string,
    edits: ConfigEdit[],
    patch: (settings: GatewaySettings) => GatewaySettings,
    holds: (settings: GatewaySettings) => boolean,
    extra: Record<string, unknown>,
  ): Promise<FastifyReply> {
    const configPath = state.settings.configPath;
    if (!configPath) {
      return reply.code(409).send({ error: 'Conflict', message: 'this gateway was started without a config.json path, so the change could not be persisted; nothing was changed' });
    }
    let backup: string | undefined;
    try {
      backup = (await editConfigFile(configPath, edits)).backupPath;
    } catch (error) {
      const message = isConfigError(error) ? error.describe() : `could not write ${configPath}: ${(error as Error).message}`;
      request.log.error({ action, problem: message }, 'admin change not persisted; nothing was changed');
      return reply.code(500).send({ error: 'Internal Server Error', message: `${message}; nothing was changed` });
    }
    let warning: string | undefined;
    let base = state.settings;
    if (options.reloadSettings) {
      try {
        base = await options.reloadSettings();
        if (!holds(base)) warning = `config.json now says so, but the environment sets a different value: the change holds only until the gateway restarts`;
      } catch (error) {
        warning = `config.json was written but could not be re-read (${(error as Error).message}); the change is applied to the running settings`;
        base = state.settings;
      }
    }
    try {
      state.reload(patch(base));
    } catch (error) {
      // the re-read settings would not be allowed to run (say, a weak token): apply the change to the running ones
      warning = `config.json was written, but re-reading it was refused (${(error as Error).message.split('\n')[0]}); the change is applied to the running settings`;
      state.reload(patch(state.settings));
    }
    metrics.adminActions.inc({ action });
    timeline.record({
      eventType: 'SECURITY',
      classification: 'ADMIN_ACTION',
      senderId: request.ip,
      senderName: 'gateway-admin',
      contentText: `${action}: ${reason}`,
      metadata: { action, reason, config: configPath, backup: backup ?? null, ...extra },
    });
    request.log.warn({ action, ...extra }, 'admin change applied and persisted');
    return reply.send({ ok: true, action, persisted_to: configPath, ...(backup ? { backup } : {}), ...extra, ...(warning ? { warning } : {}) });
  }

  for (const enabled of [false, true]) {
    const verb = enabled ? 'enable' : 'disable';
    app.post<{ Params: { channel: string }; Body: { reason: string } }>(
      `/api/v1/admin/channels/:channel/${verb}`,
      {
        schema: {
          params: { type: 'object', additionalProperties: false, required: ['channel'], properties: { channel: { type: 'string', pattern: '^[a-z][a-z0-9_-]{0,31}$' } } },
          body: { type: 'object', additionalProperties: false, required: ['reason'], properties: { reason: REASON } },
          response: { 200: RESULT },
        },
      },
      (request, reply) =>
        serially(async () => {
          const channel = request.params.channel === 'teams' ? 'msteams' : request.params.channel;
          if (!state.settings.channels[channel]) {
            return reply.code(404).send({ error: 'Not Found', message: `channel "${channel}" is not configured (channels.${channel} in config.json)` });
          }
          const withChannel = (settings: GatewaySettings): GatewaySettings => {
            const policy = settings.channels[channel] ?? state.settings.channels[channel]!;
            return { ...settings, channels: { ...settings.channels, [channel]: { ...policy, enabled } } };
          };
          return change(
            request, reply, `channel.${verb}`, request.body.reason,
            [{ keyPath: ['channels', channel, 'enabled'], value: enabled }],
            withChannel,
            (settings) => settings.channels[channel]?.enabled === enabled,
            { channel, enabled },
          );
        }),
    );
  }

  app.post<{ Body: { reason: string; maxAutoTier?: Tier; externalMaxTier?: Tier } }>(
    '/api/v1/admin/tool-policy',
    {
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['reason'],
          minProperties: 2,
          properties: { reason: REASON, maxAutoTier: TIER, externalMaxTier: TIER },
        },
        response: { 200: RESULT },
      },
    },
    (request, reply) =>
      serially(async () => {
        const { reason, ...wanted } = request.body;
        const problem = looseningProblem(state.settings.toolPolicy, wanted);
        if (problem) return reply.code(400).send({ error: 'Bad Request', message: problem });
        const policy: ToolPolicy = { ...state.settings.toolPolicy, ...wanted };
        const edits: ConfigEdit[] = Object.entries(wanted).map(([key, value]) => ({ keyPath: ['tools', 'policy', key], value }));
        return change(
          request, reply, 'tool-policy.tighten', reason, edits,
          (settings) => ({ ...settings, toolPolicy: policy }),
          (settings) => settings.toolPolicy.maxAutoTier === policy.maxAutoTier && settings.toolPolicy.externalMaxTier === policy.externalMaxTier,
          { tool_policy: policy },
        );
      }),
  );
};

import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import { runAgentTurn } from '../agent/turn.js';
import { turnDepsFor } from '../agent/turn-deps.js';
import type { AgentAdapter } from '../agent/types.js';
import { evaluateAccess, normalizeSender } from '../policy/access.js';
import { PAIRING_SETTING, pairingReply, parsePending, requestPairing } from '../policy/pairing.js';
import { sessionKey } from '../policy/session-key.js';
import type { GatewayMetrics } from '../metrics.js';
import type { GatewayState } from '../state.js';
import type { TimelineStore } from '../timeline/store.js';

interface InboundBody {
  account_id?: string;
  sender_id: string;
  sender_name?: string;
  chat_id?: string;
  thread_id?: string;
  message_id?: string;
  text: string;
  is_group?: boolean;
  was_mentioned?: boolean;
  history_limit?: number;
  dm_history_limit?: number;
  group_id?: string;
  channel_id?: string;
}

const ID = { type: 'string', maxLength: 256 } as const;

const BODY = {
  type: 'object',
  additionalProperties: false,
  required: ['sender_id', 'text'],
  properties: {
    account_id: { type: 'string', maxLength: 128 },
    sender_id: { type: 'string', minLength: 1, maxLength: 256 },
    sender_name: ID,
    chat_id: ID,
    thread_id: ID,
    message_id: ID,
    text: { type: 'string', maxLength: 32_000 },
    is_group: { type: 'boolean' },
    was_mentioned: { type: 'boolean' },
    history_limit: { type: 'integer', minimum: 0, maximum: 1000 },
    dm_history_limit: { type: 'integer', minimum: 0, maximum: 1000 },
    group_id: ID,
    channel_id: ID,
  },
} as const;

const REPLY = {
  type: 'object',
  additionalProperties: false,
  required: ['ok', 'authorized', 'reason', 'trace_id'],
  properties: {
    ok: { type: 'boolean' },
    authorized: { type: 'boolean' },
    reason: { type: 'string' },
    trace_id: { type: 'string' },
    session_key: { type: 'string' },
    reply: { type: 'string' },
    message: { type: 'string' },
    task_id: { type: 'string' },
    tools: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          tool: { type: 'string' },
          tier: { type: 'integer' },
          allowed: { type: 'boolean' },
          reason: { type: 'string' },
          status: { type: 'string', enum: ['denied', 'ok', 'failed', 'timed_out'] },
          approval_id: { type: 'string' },
        },
      },
    },
    pairing: {
      type: 'object',
      additionalProperties: false,
      properties: { code: { type: 'string' }, expires_at: { type: 'string' } },
    },
  },
} as const;

/**
 * `POST /api/v1/channels/:channel/inbound`: a bridge delivers one message. The channel's access
 * policy decides (default-deny, pairing codes for unknown direct senders); every message becomes a
 * timeline event with `authorized` set to that decision.
 */
export interface InboundOptions {
  state: GatewayState;
  timeline: TimelineStore;
  /** Overrides the adapter the settings choose (tests, embedders). */
  agent?: AgentAdapter;
  metrics?: GatewayMetrics;
}

export const inboundRoutes: FastifyPluginAsync<InboundOptions> = async (app, { state, timeline, agent, metrics }) => {
  // Turns waiting for an operator's approval stop waiting when the gateway closes.
  const closing = new AbortController();
  app.addHook('preClose', async () => closing.abort());
  app.post<{ Params: { channel: string }; Body: InboundBody }>(
    '/api/v1/channels/:channel/inbound',
    {
      schema: {
        params: {
          type: 'object',
          additionalProperties: false,
          required: ['channel'],
          properties: { channel: { type: 'string', pattern: '^[a-z][a-z0-9_-]{0,31}$' } },
        },
        body: BODY,
        response: { 200: REPLY, 403: REPLY, 502: REPLY, 503: REPLY },
      },
    },
    async (request, reply) => {
      const channel = request.params.channel === 'teams' ? 'msteams' : request.params.channel;
      const policy = state.settings.channels[channel];
      if (!policy) {
        return reply.code(404).send({
          error: 'Not Found',
          message: `channel "${channel}" is not configured: add channels.${channel} to the KafClaw config`,
        });
      }
      const body = request.body;
      const sender = normalizeSender(channel, body.sender_id);
      const decision = evaluateAccess(policy, {
        channel,
        senderId: body.sender_id,
        isGroup: body.is_group ?? false,
        wasMentioned: body.was_mentioned ?? false,
      });
      const traceId = randomUUID();
      const key = sessionKey(policy.sessionScope, {
        channel,
        senderId: sender,
        ...(body.account_id ? { accountId: body.account_id } : {}),
        ...(body.chat_id ? { chatId: body.chat_id } : {}),
        ...(body.thread_id ? { threadId: body.thread_id } : {}),
      });

      const answer = timeline.transaction(() => {
        let pairing: { code: string; expires_at: string } | undefined;
        if (decision.requiresPairing) {
          const result = requestPairing(parsePending(timeline.getSetting(PAIRING_SETTING)), channel, sender, new Date());
          timeline.setSetting(PAIRING_SETTING, JSON.stringify(result.pending));
          pairing = { code: result.entry.code, expires_at: result.entry.expires_at };
        }
        timeline.record({
          eventType: 'TEXT',
          classification: decision.allowed ? 'INBOUND' : decision.requiresPairing ? 'PAIRING_REQUESTED' : 'ACCESS_DENIED',
          senderId: sender,
          ...(body.sender_name ? { senderName: body.sender_name } : {}),
          contentText: body.text,
          traceId,
          authorized: decision.allowed,
          metadata: {
            channel,
            account_id: body.account_id ?? 'default',
            chat_id: body.chat_id ?? null,
            thread_id: body.thread_id ?? null,
            message_id: body.message_id ?? null,
            is_group: body.is_group ?? false,
            session_key: key,
            access_reason: decision.reason,
          },
        });
        return pairing;
      });

      metrics?.inbound.inc({ channel, authorized: String(decision.allowed) });
      if (decision.allowed) {
        const turn = await runAgentTurn(
          turnDepsFor(state.settings, {
            timeline,
            signal: closing.signal,
            ...(agent ? { agent } : {}),
            ...(metrics ? { metrics } : {}),
            ...(body.chat_id ? { chatId: body.chat_id } : {}),
          }),
          // Channel messages are external (facts §5.1): at most the read-only tier unless the policy says otherwise.
          { text: body.text, sender, channel, sessionKey: key, messageType: 'external', traceId },
        );
        if (!turn.ok) {
          const common = { ok: false, authorized: true, reason: turn.reason, trace_id: traceId, session_key: key, task_id: turn.taskId, tools: turn.tools };
          if (turn.reason === 'daily_token_limit_reached') {
            request.log.warn({ taskId: turn.taskId }, 'daily token limit reached; message not sent to the model');
            return reply.code(200).send({ ...common, reply: 'The daily token limit has been reached; try again after midnight UTC.', message: turn.error });
          }
          if (turn.reason === 'daily_token_limit_unavailable') {
            request.log.error({ taskId: turn.taskId, problem: turn.error }, 'daily token limit could not be checked; message not sent to the model');
            return reply.code(503).send({ ...common, message: turn.error });
          }
          request.log.warn({ taskId: turn.taskId, problem: turn.error }, 'agent turn failed');
          return reply.code(502).send({ ...common, message: turn.error });
        }
        return reply.code(200).send({
          ok: true, authorized: true, reason: decision.reason, trace_id: traceId, session_key: key,
          task_id: turn.taskId, reply: turn.reply, tools: turn.tools,
        });
      }

      const status = decision.reason === 'channel_disabled' ? 403 : 200;
      return reply.code(status).send({
        ok: status === 200,
        authorized: decision.allowed,
        reason: decision.reason,
        trace_id: traceId,
        ...(decision.allowed ? { session_key: key } : {}),
        ...(answer ? { reply: pairingReply(channel, answer.code), pairing: answer } : {}),
      });
    },
  );
};

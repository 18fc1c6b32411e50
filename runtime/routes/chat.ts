import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import { runAgentTurn } from '../agent/turn.js';
import { turnDepsFor } from '../agent/turn-deps.js';
import type { AgentAdapter } from '../agent/types.js';
import type { OpenConnections } from '../http/open-connections.js';
import type { GatewayMetrics } from '../metrics.js';
import type { GatewayState } from '../state.js';
import type { TimelineStore } from '../timeline/store.js';

export const DEFAULT_CHAT_SESSION = 'local:default';
const MAX_MESSAGE = 32_000;
const MAX_SESSION = 256;

export type ChatInput = { message: string; session: string } | { problem: string };

/**
 * The message and session of a `/chat` call, from a JSON body `{message, session}` or, as KafClaw
 * sends them, from the query string. Pure; the problem says what to send instead.
 */
export function chatInput(body: unknown, query: { message?: string; session?: string }): ChatInput {
  let fromBody: { message?: unknown; session?: unknown } = {};
  if (body !== undefined && body !== null) {
    if (typeof body !== 'object' || Array.isArray(body)) return { problem: 'the body must be a JSON object {"message": "...", "session": "..."}' };
    fromBody = body as Record<string, unknown>;
    const extra = Object.keys(fromBody).filter((key) => key !== 'message' && key !== 'session');
    if (extra.length > 0) return { problem: `body has unknown properties (${extra.join(', ')}); send only message and session` };
  }
  if (fromBody.message !== undefined && query.message !== undefined) {
    return { problem: 'the message is both in the body and in the query string; send it in one place' };
  }
  const message = fromBody.message ?? query.message;
  const session = fromBody.session ?? query.session ?? DEFAULT_CHAT_SESSION;
  if (typeof message !== 'string' || message.trim() === '') return { problem: 'message is missing: send {"message": "..."} as JSON (or ?message=...)' };
  if (message.length > MAX_MESSAGE) return { problem: `message is longer than ${MAX_MESSAGE} characters` };
  if (typeof session !== 'string' || session === '' || session.length > MAX_SESSION) {
    return { problem: `session must be a non-empty string of at most ${MAX_SESSION} characters (default ${DEFAULT_CHAT_SESSION})` };
  }
  return { message, session };
}

export interface ChatOptions {
  state: GatewayState;
  timeline: TimelineStore;
  /** Overrides the adapter the settings choose (tests, embedders). */
  agent?: AgentAdapter;
  metrics?: GatewayMetrics;
  /** The listener's connections: a turn waiting on an approval holds its caller's connection open. */
  connections?: OpenConnections;
}

const STRING = { type: 'string' } as const;

/**
 * KafClaw's `POST /chat` on the API port: one message from the owner, answered in text/plain. It is
 * an internal message (owner tier), through the same agent turn (and settings) as channel messages. The message
 * may come in the query string for KafClaw's clients; the access log never carries a query string.
 */
export const chatRoutes: FastifyPluginAsync<ChatOptions> = async (app, { state, timeline, agent, metrics, connections }) => {
  // A turn can wait on a model or an approval; closing the gateway ends it instead of waiting.
  const closing = new AbortController();
  app.addHook('preClose', async () => closing.abort());
  app.post<{ Querystring: { message?: string; session?: string } }>(
    '/chat',
    { schema: { querystring: { type: 'object', additionalProperties: false, properties: { message: STRING, session: STRING } } } },
    async (request, reply) => {
      const input = chatInput(request.body, request.query);
      if ('problem' in input) return reply.code(400).send({ error: 'Bad Request', message: input.problem });
      const traceId = randomUUID();
      timeline.record({
        eventType: 'TEXT',
        classification: 'INBOUND',
        senderId: 'local',
        senderName: 'owner',
        contentText: input.message,
        traceId,
        authorized: true,
        metadata: { channel: 'local', session_key: input.session, source: 'chat' },
      });
      const turn = await runAgentTurn(
        turnDepsFor(state.settings, {
          timeline,
          signal: closing.signal,
          // An owner's tool call may wait for an operator's approval longer than the idle timeout.
          ...(connections ? { holdConnection: connections.holdFor(request.raw.socket) } : {}),
          ...(agent ? { agent } : {}),
          ...(metrics ? { metrics } : {}),
        }),
        { text: input.message, sender: 'local', channel: 'local', sessionKey: input.session, messageType: 'internal', traceId },
      );
      reply.type('text/plain; charset=utf-8');
      if (!turn.ok) {
        request.log.warn({ taskId: turn.taskId, problem: turn.error }, 'agent turn failed');
        return reply.code(502).send(`agent failed: ${turn.error} (task ${turn.taskId})\n`);
      }
      return reply.code(200).send(turn.reply);
    },
  );
};

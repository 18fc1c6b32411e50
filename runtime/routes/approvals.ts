import type { FastifyPluginAsync } from 'fastify';
import { currentApprovalTimeoutMs } from '../policy/approval.js';
import type { ApprovalRow, TimelineStore } from '../timeline/store.js';

export interface ApprovalRoutesOptions {
  timeline: TimelineStore;
  now?: () => number;
}

const APPROVAL = {
  type: 'object',
  additionalProperties: false,
  properties: {
    id: { type: 'integer' },
    approval_id: { type: 'string' },
    trace_id: { type: ['string', 'null'] },
    task_id: { type: ['string', 'null'] },
    tool: { type: 'string' },
    tier: { type: 'integer' },
    arguments: { type: ['string', 'null'] },
    sender: { type: ['string', 'null'] },
    channel: { type: ['string', 'null'] },
    status: { type: 'string' },
    created_at: { type: 'string' },
    responded_at: { type: ['string', 'null'] },
  },
} as const;

const ANSWER = {
  type: 'object',
  additionalProperties: false,
  required: ['ok', 'approval_id', 'status'],
  properties: { ok: { type: 'boolean' }, approval_id: { type: 'string' }, status: { type: 'string' } },
} as const;

const PARAMS = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } },
} as const;

/**
 * KafClaw's approval endpoints (facts §2.4, rows 14-15), authenticated like every other route:
 * the pending requests, and an operator's answer. A request older than `approval_timeout_seconds`
 * is timed out, never approved late; one already answered is not answered again.
 */
export const approvalRoutes: FastifyPluginAsync<ApprovalRoutesOptions> = async (app, { timeline, now = Date.now }) => {
  const notBefore = () => new Date(now() - currentApprovalTimeoutMs(timeline));

  app.get<{ Querystring: { limit: number } }>(
    '/api/v1/approvals/pending',
    {
      schema: {
        querystring: { type: 'object', additionalProperties: false, properties: { limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 } } },
        response: { 200: { type: 'array', items: APPROVAL } },
      },
    },
    async (request) => {
      timeline.expireApprovals(notBefore(), new Date(now()));
      return timeline.pendingApprovals(request.query.limit);
    },
  );

  app.post<{ Params: { id: string }; Body: { approved: boolean } }>(
    '/api/v1/approvals/:id',
    {
      schema: {
        params: PARAMS,
        body: { type: 'object', additionalProperties: false, required: ['approved'], properties: { approved: { type: 'boolean' } } },
        response: { 200: ANSWER },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const status = request.body.approved ? 'approved' : 'denied';
      const answer = timeline.closeApproval(id, status, notBefore(), new Date(now()));
      if (!answer.ok && answer.problem === 'not_found') {
        return reply.code(404).send({ error: 'Not Found', message: `no approval request ${id}: list the pending ones with GET /api/v1/approvals/pending` });
      }
      if (!answer.ok) {
        let row: ApprovalRow = answer.row;
        if (row.status === 'pending') {
          // still pending but out of time: its waiter may be gone (a restart), so close it here
          const closed = timeline.closeApproval(id, 'timeout', new Date(0), new Date(now()));
          row = closed.ok || closed.problem === 'not_pending' ? closed.row : row;
        }
        return reply.code(409).send({ error: 'Conflict', message: `approval request ${id} is ${row.status === 'timeout' ? 'timed out' : `already ${row.status}`}; nothing was changed` });
      }
      timeline.record({
        eventType: 'SECURITY',
        classification: 'APPROVAL_RESPONDED',
        senderId: request.ip,
        senderName: 'gateway-admin',
        traceId: answer.row.trace_id ?? undefined,
        contentText: `${answer.row.tool} (tier ${answer.row.tier}) ${status} by an operator`,
        metadata: { approval_id: id, tool: answer.row.tool, tier: answer.row.tier, task_id: answer.row.task_id, status },
        at: new Date(now()),
      });
      request.log.warn({ approvalId: id, tool: answer.row.tool, status }, 'approval request answered');
      return { ok: true, approval_id: id, status };
    },
  );
};

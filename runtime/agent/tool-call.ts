import { checkExec } from '../policy/exec.js';
import { confineToWorkspace } from '../policy/confine.js';
import { currentApprovalTimeoutMs, waitForApproval } from '../policy/approval.js';
import { gateToolCall } from '../policy/tool-gate.js';
import type { ConnectionHold } from '../http/open-connections.js';
import type { GatewayMetrics } from '../metrics.js';
import type { ToolLimits, ToolPolicy } from '../settings.js';
import { capUtf8, redactSecrets } from '../tools/redact.js';
import { executeTool } from '../tools/registry.js';
import type { ToolResult } from '../tools/types.js';
import type { TimelineStore } from '../timeline/store.js';
import type { AgentRequest, ToolRequest } from './types.js';

/** What became of one tool call: refused (by policy, confinement or an operator), or run with this status. */
export interface ToolOutcome {
  tool: string;
  tier: number;
  allowed: boolean;
  reason: string;
  status: 'denied' | ToolResult['status'];
  approval_id?: string;
}

export interface ToolCallDeps {
  timeline: TimelineStore;
  toolPolicy: ToolPolicy;
  workspace: string;
  toolLimits: ToolLimits;
  /** The gateway's environment; exec gets only its allow-listed part. */
  env: NodeJS.ProcessEnv;
  metrics?: GatewayMetrics;
  now: () => Date;
  /** Aborted when the gateway closes, so nobody waits out an approval timeout on shutdown. */
  signal?: AbortSignal;
  approvalPollMs?: number;
  /** Keeps the caller's HTTP connection open through an approval wait (see OpenConnections.holdFor). */
  holdConnection?: ConnectionHold;
}

/** KafClaw keeps at most this much of a tool's result in the timeline. */
const RESULT_IN_TIMELINE_BYTES = 10 * 1024;

const FILE_TOOLS = new Set(['read_file', 'list_dir', 'write_file', 'edit_file']);

/** Where an allowed call would reach outside the workspace, or null. Checked again when the tool runs. */
export function confinementProblem(workspace: string, call: ToolRequest): string | null {
  if (call.tool === 'exec') {
    const argv = call.arguments.argv;
    if (!Array.isArray(argv) || !argv.every((a): a is string => typeof a === 'string')) return 'exec needs argv: an array of strings';
    const dir = call.arguments.working_dir;
    if (dir !== undefined && typeof dir !== 'string') return 'working_dir must be a string';
    const checked = checkExec(workspace, argv, dir);
    return checked.ok ? null : checked.reason;
  }
  if (FILE_TOOLS.has(call.tool)) {
    const path = call.tool === 'list_dir' && (call.arguments.path === undefined || call.arguments.path === '') ? '.' : call.arguments.path;
    if (typeof path !== 'string') return `${call.tool} needs a path`;
    const confined = confineToWorkspace(workspace, path);
    return confined.ok ? null : confined.reason;
  }
  return null;
}

/**
 * One tool call the agent asked for: the tier policy (a `policy_decisions` row), confinement (a
 * second, denying row when it fails), an operator's approval when the tier needs one (an
 * `approval_requests` row, then a row for the answer), and the run itself. Every refusal is a
 * SECURITY/TOOL_DENIED event, every run a SYSTEM/TOOL event with its status. Returns the outcome
 * and the JSON the agent gets back.
 */
export async function handleToolCall(deps: ToolCallDeps, request: AgentRequest, taskId: string, call: ToolRequest & { id: string }): Promise<{ outcome: ToolOutcome; content: string }> {
  const { timeline, now } = deps;
  const common = { sender: request.sender, channel: request.channel, traceId: request.traceId, taskId };
  const args = redactSecrets(JSON.stringify(call.arguments)).slice(0, 2000);
  const decision = gateToolCall(deps.toolPolicy, timeline, { ...common, tool: call.tool, messageType: request.messageType });
  const tier = decision.tier;
  const metadata = (extra: Record<string, unknown>) => ({
    tool: call.tool,
    tier,
    channel: request.channel,
    session_key: request.sessionKey,
    task_id: taskId,
    tool_call_id: call.id,
    arguments: args,
    ...extra,
  });
  const count = (allowed: boolean) => deps.metrics?.toolDecisions.inc({ tier: String(tier), allowed: String(allowed) });

  const deny = (reason: string, approvalId?: string, record = true) => {
    if (record) timeline.recordPolicyDecision({ ...common, tool: call.tool, tier, allowed: false, reason, at: now() });
    timeline.record({
      eventType: 'SECURITY', classification: 'TOOL_DENIED', senderId: request.sender, senderName: 'tool-policy', traceId: request.traceId,
      contentText: `${call.tool} (tier ${tier}) denied: ${reason}`, metadata: metadata({ reason, ...(approvalId ? { approval_id: approvalId } : {}) }), at: now(),
    });
    count(false);
    const outcome: ToolOutcome = { tool: call.tool, tier, allowed: false, reason, status: 'denied', ...(approvalId ? { approval_id: approvalId } : {}) };
    return { outcome, content: JSON.stringify({ status: 'denied', reason }) };
  };

  // External senders never reach an approval: decideTool denies them outright; this keeps it so.
  if (!decision.allowed && !(decision.requiresApproval && request.messageType === 'internal')) return deny(decision.reason, undefined, false);
  const problem = confinementProblem(deps.workspace, call);
  if (problem) return deny(`outside_workspace: ${redactSecrets(problem)}`);

  let reason = decision.reason;
  let approvalId: string | undefined;
  if (decision.requiresApproval) {
    const approval = timeline.createApproval({ ...common, tool: call.tool, tier, arguments: args, at: now() });
    approvalId = approval.approval_id;
    const timeoutMs = currentApprovalTimeoutMs(timeline);
    timeline.record({
      eventType: 'SYSTEM', classification: 'APPROVAL_REQUESTED', senderId: request.sender, senderName: 'tool-policy', traceId: request.traceId,
      contentText: `${call.tool} (tier ${tier}) waits for an operator: POST /api/v1/approvals/${approvalId} within ${timeoutMs / 1000} s`,
      metadata: metadata({ approval_id: approvalId, timeout_ms: timeoutMs }), at: now(),
    });
    const release = deps.holdConnection?.(timeoutMs);
    let outcome: Awaited<ReturnType<typeof waitForApproval>>['outcome'];
    try {
      ({ outcome } = await waitForApproval(timeline, approvalId, {
        timeoutMs,
        ...(deps.approvalPollMs ? { pollMs: deps.approvalPollMs } : {}),
        ...(deps.signal ? { signal: deps.signal } : {}),
      }));
    } finally {
      release?.();
    }
    if (outcome !== 'approved') return deny(`approval_${outcome}:${approvalId}`, approvalId);
    reason = `approved_by_operator:${approvalId}`;
    timeline.recordPolicyDecision({ ...common, tool: call.tool, tier, allowed: true, reason, at: now() });
  }

  count(true);
  const result = await executeTool({ workspace: deps.workspace, limits: deps.toolLimits, env: deps.env }, call.tool, call.arguments);
  const kept = capUtf8(result.output, RESULT_IN_TIMELINE_BYTES);
  const error = result.error ? redactSecrets(result.error) : undefined;
  const how = result.status === 'ok' ? `ok (${result.durationMs} ms)` : `${result.status}: ${error ?? 'no detail'}`;
  timeline.record({
    eventType: 'SYSTEM', classification: 'TOOL', senderId: request.sender, senderName: 'Tool', traceId: request.traceId,
    contentText: `${call.tool} ${how}`,
    metadata: metadata({
      reason, status: result.status, duration_ms: result.durationMs, result: kept.text, truncated: result.truncated || kept.truncated,
      error: error ?? null, exit_code: result.exitCode ?? null, ...(approvalId ? { approval_id: approvalId } : {}),
    }),
    at: now(),
  });
  const outcome: ToolOutcome = { tool: call.tool, tier, allowed: true, reason, status: result.status, ...(approvalId ? { approval_id: approvalId } : {}) };
  const content = JSON.stringify({
    status: result.status,
    output: result.output,
    truncated: result.truncated,
    ...(error ? { error } : {}),
    ...(result.exitCode !== undefined ? { exit_code: result.exitCode } : {}),
  });
  return { outcome, content };
}
